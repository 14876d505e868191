//! OFAC SDN legacy CSV: `sdn.csv`, optionally with `alt.csv` (aliases), `add.csv` (addresses)
//! and `sdn_comments.csv` (the rest of remarks too long for `sdn.csv`), joined on `ent_num`.
//!
//! The files have no header row; fields are double-quoted and `-0- ` marks an empty one. OFAC
//! ends them with CRLF line endings and a DOS end-of-file byte (0x1A). That byte is the only
//! sign that a file cut at a line boundary is incomplete, so `sdn.csv`, `alt.csv` and
//! `add.csv` without it are refused as truncated; `sdn_comments.csv` is published without it
//! (the July 2021 set), so it only has to end with a line break. Text is UTF-8 when valid,
//! otherwise Windows-1252 (older files). The
//! consolidated (non-SDN) list uses the same layout under the names `cons_prim.csv`,
//! `cons_alt.csv`, `cons_add.csv` and `cons_comments.csv`; those are recognised too. A single
//! file of any name is the primary file.
//!
//! Mapping choices worth knowing:
//! - The id is `<list>:<ent_num>`; `SDN_Type` `individual`/`vessel`/`aircraft` are people,
//!   vessels and aircraft, an empty type an organisation.
//! - A person's name is kept as written (`LAST, First Middle`) with its parts filled in.
//! - `Remarks` (with its overflow from `sdn_comments.csv` appended) is parsed by
//!   [`crate::ofac_remarks`]; its quoted `a.k.a.`s are weak aliases, the `alt.csv` ones strong
//!   unless their remarks call them weak.
//! - Rows that cannot be read (wrong number of fields, non-numeric `ent_num`, empty name, an
//!   alias or address of an unknown entry) are issues and are left out. A file whose first row
//!   is not of this shape, or that ends inside a quoted field (cut short), is an error.

use std::collections::HashMap;

use interdict_model::{Address, Entity, EntityId, NameKind, Schema, SourceRecord};

use crate::csv_records::ends_inside_quotes;
use crate::ofac_remarks::{self, VesselInfo};
use crate::text;
use crate::{Error, Format, Issue, Parsed, SourceFile};

/// The part a file plays in the set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Primary,
    Aliases,
    Addresses,
    Comments,
}

impl Role {
    const ALL: [Role; 4] = [
        Role::Primary,
        Role::Aliases,
        Role::Addresses,
        Role::Comments,
    ];

    /// The file names OFAC publishes this part under (SDN list, consolidated list).
    fn file_names(self) -> [&'static str; 2] {
        match self {
            Role::Primary => ["sdn.csv", "cons_prim.csv"],
            Role::Aliases => ["alt.csv", "cons_alt.csv"],
            Role::Addresses => ["add.csv", "cons_add.csv"],
            Role::Comments => ["sdn_comments.csv", "cons_comments.csv"],
        }
    }

    fn of_file(file: &SourceFile) -> Option<Role> {
        let name = file.base_name().to_ascii_lowercase();
        Role::ALL
            .into_iter()
            .find(|role| role.file_names().contains(&name.as_str()))
    }

    fn columns(self) -> usize {
        match self {
            Role::Primary => 12,
            Role::Aliases => 5,
            Role::Addresses => 6,
            Role::Comments => 2,
        }
    }

    fn layout(self) -> &'static str {
        match self {
            Role::Primary => {
                "ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, \
                 Vess_flag, Vess_owner, Remarks"
            }
            Role::Aliases => "ent_num, alt_num, alt_type, alt_name, alt_remarks",
            Role::Addresses => "ent_num, add_num, address, city/state/postal, country, add_remarks",
            Role::Comments => "ent_num, remarks_overflow",
        }
    }
}

/// The files of one set, by role.
#[derive(Default)]
struct FileSet<'a> {
    primary: Option<&'a SourceFile>,
    aliases: Option<&'a SourceFile>,
    addresses: Option<&'a SourceFile>,
    comments: Option<&'a SourceFile>,
}

impl<'a> FileSet<'a> {
    fn slot(&mut self, role: Role) -> &mut Option<&'a SourceFile> {
        match role {
            Role::Primary => &mut self.primary,
            Role::Aliases => &mut self.aliases,
            Role::Addresses => &mut self.addresses,
            Role::Comments => &mut self.comments,
        }
    }
}

fn assign_roles(files: &[SourceFile]) -> Result<FileSet<'_>, Error> {
    let mut set = FileSet::default();
    if let [only] = files {
        set.primary = Some(only);
        return Ok(set);
    }
    for file in files {
        let role = Role::of_file(file).ok_or_else(|| Error::Malformed {
            file: file.name.clone(),
            location: "file name".into(),
            reason: "not a file of the OFAC legacy CSV set (sdn.csv, alt.csv, add.csv, \
                     sdn_comments.csv, or cons_prim.csv, cons_alt.csv, cons_add.csv, \
                     cons_comments.csv)"
                .into(),
        })?;
        let slot = set.slot(role);
        if let Some(earlier) = slot {
            return Err(Error::Malformed {
                file: file.name.clone(),
                location: "file name".into(),
                reason: format!("plays the same part as {}", earlier.name),
            });
        }
        *slot = Some(file);
    }
    if set.primary.is_none() {
        return Err(Error::MissingFile {
            name: "sdn.csv".into(),
        });
    }
    Ok(set)
}

/// One CSV row: its first line number, fields (`-0-` already emptied) and raw text.
struct Row {
    line: u64,
    fields: Vec<String>,
    raw: String,
}

impl Row {
    /// A field without its padding; `""` when missing.
    fn field(&self, index: usize) -> &str {
        self.untrimmed(index).trim()
    }

    /// A field as written, for remarks cut mid-text whose parts are joined again.
    fn untrimmed(&self, index: usize) -> &str {
        self.fields.get(index).map_or("", String::as_str)
    }
}

/// Parses an OFAC legacy CSV set into entities.
pub(crate) fn parse(files: &[SourceFile], list: &str) -> Result<Parsed, Error> {
    let set = assign_roles(files)?;
    let primary = set.primary.ok_or_else(|| Error::MissingFile {
        name: "sdn.csv".into(),
    })?;
    let mut issues = Vec::new();

    let rows = read_rows(primary, Role::Primary)?;
    if rows.is_empty() {
        return Err(Error::Malformed {
            file: primary.name.clone(),
            location: "line 1".into(),
            reason: "no records".into(),
        });
    }
    let mut entities = Vec::with_capacity(rows.len());
    let mut remarks: Vec<String> = Vec::with_capacity(rows.len());
    let mut by_ent_num: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    for row in rows {
        match entity_of(&row, primary, list) {
            Ok(entity) => {
                // A repeated ent_num is reported by the facade; companions join the first.
                by_ent_num
                    .entry(entity.id.source_id().to_owned())
                    .or_insert(entities.len());
                remarks.push(row.untrimmed(11).to_owned());
                entities.push(entity);
            }
            Err(message) => issues.push(issue_at(primary, row.line, message)),
        }
    }

    // The overflow continues the remarks mid-word: appended as is.
    if let Some(file) = set.comments {
        for (index, row) in companion_rows(file, Role::Comments, &by_ent_num, &mut issues)? {
            if let Some(text) = remarks.get_mut(index) {
                text.push_str(row.untrimmed(1));
            }
        }
    }
    // Aliases before the remarks, so that strong names come before the weak ones.
    if let Some(file) = set.aliases {
        for (index, row) in companion_rows(file, Role::Aliases, &by_ent_num, &mut issues)? {
            let added = entities
                .get_mut(index)
                .map(|entity| add_alias(entity, &row));
            if let Some(Err(message)) = added {
                issues.push(issue_at(file, row.line, message));
            }
        }
    }
    for (entity, text) in entities.iter_mut().zip(&remarks) {
        ofac_remarks::apply_remarks(entity, text);
    }
    if let Some(file) = set.addresses {
        for (index, row) in companion_rows(file, Role::Addresses, &by_ent_num, &mut issues)? {
            if let Some(entity) = entities.get_mut(index) {
                add_address(entity, &row);
            }
        }
    }

    ofac_remarks::resolve_link_targets(&mut entities);
    for entity in &mut entities {
        entity.collect_countries();
    }
    let windows_1252 = files
        .iter()
        .any(|file| std::str::from_utf8(&file.bytes).is_err());
    Ok(Parsed {
        format: Format::OfacSdnCsv,
        list: list.to_owned(),
        entities,
        issues,
        encoding: Some(if windows_1252 {
            text::WINDOWS_1252
        } else {
            text::UTF_8
        }),
        // The legacy CSV files carry no date; the caller may know it from elsewhere.
        published: None,
    })
}

/// Builds the entity of a `sdn.csv` row, without its remarks; the error is the issue message.
fn entity_of(row: &Row, file: &SourceFile, list: &str) -> Result<Entity, String> {
    check_shape(row, Role::Primary)?;
    let ent_num = row.field(0);
    let name = row.field(1);
    if name.is_empty() {
        return Err(format!("ent_num {ent_num}: empty SDN_Name"));
    }
    let schema = match row.field(2).to_ascii_lowercase().as_str() {
        "individual" => Schema::Person,
        "vessel" => Schema::Vessel,
        "aircraft" => Schema::Aircraft,
        "" => Schema::Organization,
        other => return Err(format!("ent_num {ent_num}: unknown SDN_Type {other:?}")),
    };
    let mut entity = Entity::new(EntityId::new(list, ent_num), schema, name);
    entity.names = vec![ofac_remarks::name_of(
        schema,
        name.to_owned(),
        NameKind::Primary,
    )];
    entity.programs = ofac_remarks::split_programs(row.field(3));
    if !row.field(4).is_empty() {
        entity.titles.push(row.field(4).to_owned());
    }
    ofac_remarks::apply_vessel_info(
        &mut entity,
        &VesselInfo {
            call_sign: row.field(5),
            vessel_type: row.field(6),
            tonnage: row.field(7),
            gross_tonnage: row.field(8),
            flag: row.field(9),
            owner: row.field(10),
        },
    );
    entity.source = SourceRecord {
        format: Format::OfacSdnCsv.name().into(),
        file: file.base_name().to_owned(),
        location: format!("line {}", row.line),
        raw: row.raw.clone(),
    };
    Ok(entity)
}

/// Checks a row's field count and `ent_num`.
fn check_shape(row: &Row, role: Role) -> Result<(), String> {
    if row.fields.len() != role.columns() {
        return Err(format!(
            "expected {} fields ({}), found {}",
            role.columns(),
            role.layout(),
            row.fields.len()
        ));
    }
    let ent_num = row.field(0);
    if ent_num.is_empty() || !ent_num.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("ent_num {ent_num:?} is not a number"));
    }
    Ok(())
}

/// The rows of a companion file with the index of the entity each belongs to; rows that
/// belong to none are issues.
fn companion_rows(
    file: &SourceFile,
    role: Role,
    by_ent_num: &HashMap<String, usize>,
    issues: &mut Vec<Issue>,
) -> Result<Vec<(usize, Row)>, Error> {
    let mut joined = Vec::new();
    for row in read_rows(file, role)? {
        let target = check_shape(&row, role).and_then(|()| {
            let ent_num = row.field(0);
            by_ent_num
                .get(ent_num)
                .copied()
                .ok_or_else(|| format!("ent_num {ent_num} is not in the primary file"))
        });
        match target {
            Ok(index) => joined.push((index, row)),
            Err(message) => issues.push(issue_at(file, row.line, message)),
        }
    }
    Ok(joined)
}

fn issue_at(file: &SourceFile, line: u64, message: String) -> Issue {
    Issue {
        file: file.name.clone(),
        location: format!("line {line}"),
        message,
    }
}

fn add_alias(entity: &mut Entity, row: &Row) -> Result<(), String> {
    let name = row.field(3);
    if name.is_empty() {
        return Err(format!("ent_num {}: empty alt_name", row.field(0)));
    }
    let weak = row.field(4).to_ascii_lowercase().contains("weak");
    let kind = match row.field(2).to_ascii_lowercase().replace('.', "").as_str() {
        "aka" if weak => NameKind::WeakAka,
        "aka" => NameKind::StrongAka,
        "fka" => NameKind::Fka,
        "nka" => NameKind::Nka,
        other => {
            return Err(format!(
                "ent_num {}: unknown alt_type {other:?}",
                row.field(0)
            ));
        }
    };
    let alias = ofac_remarks::name_of(entity.schema, name.to_owned(), kind);
    entity.add_name(alias);
    Ok(())
}

fn add_address(entity: &mut Entity, row: &Row) {
    let text = |index: usize| (!row.field(index).is_empty()).then(|| row.field(index).to_owned());
    let country_text = row.field(4);
    let country = ofac_remarks::country(country_text);
    let address = Address {
        street: text(2),
        city: text(3),
        country,
        country_name: country.is_none().then(|| text(4)).flatten(),
        note: text(5),
        ..Address::default()
    };
    // OFAC lists an empty address row for entries without one.
    if address != Address::default() && !entity.addresses.contains(&address) {
        entity.addresses.push(address);
    }
}

/// Reads every row of one file. Errors when the file is not of this shape at all.
fn read_rows(file: &SourceFile, role: Role) -> Result<Vec<Row>, Error> {
    let malformed = |location: String, reason: String| Error::Malformed {
        file: file.name.clone(),
        location,
        reason,
    };
    let mut bytes: &[u8] = &file.bytes;
    bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let as_published = bytes;
    while let Some(rest) = bytes.strip_suffix(b"\x1A") {
        bytes = rest;
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(malformed(
            format!("byte {offset}"),
            "binary data (NUL byte), not an OFAC CSV file".into(),
        ));
    }
    if bytes.trim_ascii_start().starts_with(b"<") {
        return Err(malformed(
            "line 1".into(),
            "XML, not an OFAC CSV file".into(),
        ));
    }

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut rows = Vec::new();
    // The reader counts a CRLF's `\n` into the next record, so lines are counted here.
    let mut lines = LineCounter::default();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                let line = error.position().map_or(0, csv::Position::line);
                return Err(malformed(format!("line {line}"), error.to_string()));
            }
        }
        let start = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or_default();
        let end = usize::try_from(reader.position().byte()).unwrap_or(bytes.len());
        let raw_bytes = bytes.get(start..end).unwrap_or_default();
        let raw_bytes = raw_bytes.trim_ascii_start();
        let start = end.saturating_sub(raw_bytes.len());
        let line = lines.line_at(bytes, start);
        if ends_inside_quotes(raw_bytes) {
            return Err(malformed(
                format!("line {line}"),
                "the file ends inside a quoted field: it is truncated".into(),
            ));
        }
        let row = Row {
            line,
            fields: record.iter().map(|field| clean(decode(field))).collect(),
            raw: decode(raw_bytes).trim_end_matches(['\r', '\n']).to_owned(),
        };
        if rows.is_empty() {
            check_shape(&row, role).map_err(|reason| {
                malformed(
                    format!("line {line}"),
                    format!(
                        "not an OFAC legacy CSV {} file: {reason}",
                        role.file_names()[0]
                    ),
                )
            })?;
        }
        rows.push(row);
    }
    // Checked last, so that a file of another kind is named as such rather than as cut short.
    if !rows.is_empty() {
        check_complete(file, role, as_published)?;
    }
    Ok(rows)
}

/// Refuses a file that does not end the way OFAC ends it: with the 0x1A trailer, or for the
/// comments file (published without one) a line break. An empty file is left to the
/// record checks, which say so.
fn check_complete(file: &SourceFile, role: Role, bytes: &[u8]) -> Result<(), Error> {
    let Some(&last) = bytes.last() else {
        return Ok(());
    };
    let (complete, expected) = match role {
        Role::Comments => (
            matches!(last, text::EOF_BYTE | b'\n'),
            "a line break or OFAC's end-of-file byte 0x1A",
        ),
        _ => (last == text::EOF_BYTE, "OFAC's end-of-file byte 0x1A"),
    };
    if complete {
        return Ok(());
    }
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    Err(Error::Malformed {
        file: file.name.clone(),
        location: format!("line {lines}, byte {}", file.bytes.len()),
        reason: format!(
            "the file ends without {expected}, which every published file of this kind ends \
             with: it is truncated"
        ),
    })
}

/// Counts lines up to increasing byte offsets without rescanning.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: u64,
}

impl LineCounter {
    /// The 1-based line of byte `offset` of `bytes`.
    fn line_at(&mut self, bytes: &[u8], offset: usize) -> u64 {
        if let Some(skipped) = bytes.get(self.offset..offset) {
            self.newlines += skipped.iter().filter(|&&b| b == b'\n').count() as u64;
            self.offset = offset;
        }
        self.newlines + 1
    }
}

/// UTF-8, or Windows-1252 for older files that are not.
fn decode(bytes: &[u8]) -> String {
    text::decode_utf8_or_windows_1252(bytes).0.into_owned()
}

/// A field, or nothing for OFAC's `-0-` placeholder.
fn clean(field: String) -> String {
    if field.trim() == "-0-" {
        String::new()
    } else {
        field
    }
}
