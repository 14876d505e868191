//! Ownership data as a plain CSV of edges, one relation per row, as a company keeps its own
//! records: a header naming `owner_id, asset_id` and any of `percentage, start_date,
//! end_date, kind, role` (extra columns are ignored).
//!
//! - Party ids with a `:` are entity ids of any list (`ofac-sdn:35391`, a reference to a listed
//!   entity); others are ids of this list and become `<list>:<id>`.
//! - `percentage` is read by [`Stake::parse`]: `50`, `25-50%`, `more than 25%`; empty for an
//!   ownership of unknown size (0–100%); it must be empty for control.
//! - `kind`: `ownership` (also empty, `shareholder`), `joint_ownership` (held under a joint
//!   arrangement), `control` (also `controller`), `director` (control, role `director`).
//! - Dates as [`PartialDate::parse`] reads them; the end may not precede the start.
//!
//! A row that breaks any of these is an issue naming its row, line and column, and gives no
//! relation; the other rows are still read. The relation id is `<list>:<owner>><asset>:<kind>`,
//! with `@<start>` when there is a start date, so a holding keeps its id across versions of
//! the file and a change of stake shows as a change, not as a removal and an addition.

use interdict_model::{PartialDate, Relation, RelationKind, SourceRecord, Stake};

use crate::csv_records::{CsvRecord, header_index, read_csv};
use crate::relations::ParsedRelations;
use crate::{Error, Issue, SourceFile};

const FORMAT: &str = "ownership-csv";

/// Reads `file` into `parsed`.
pub(crate) fn parse(
    file: &SourceFile,
    list: &str,
    parsed: &mut ParsedRelations,
) -> Result<(), Error> {
    let records = read_csv(file)?;
    let Some((header, rows)) = records.split_first() else {
        return Err(Error::Malformed {
            file: file.name.clone(),
            location: "line 1".into(),
            reason: "empty file; expected a header with owner_id and asset_id".into(),
        });
    };
    let index = header_index(
        file,
        header.line,
        &header.fields,
        &["owner_id", "asset_id"],
        "ownership CSV",
    )?;
    let columns = Columns {
        owner: index.get("owner_id").copied(),
        asset: index.get("asset_id").copied(),
        percentage: index.get("percentage").copied(),
        start: index.get("start_date").copied(),
        end: index.get("end_date").copied(),
        kind: index.get("kind").copied(),
        role: index.get("role").copied(),
        width: header.fields.len(),
    };
    for (number, record) in rows.iter().enumerate() {
        let location = format!("row {} (line {})", number + 1, record.line);
        match read_row(record, &columns, list) {
            Ok(mut relation) => {
                relation.source = SourceRecord {
                    format: FORMAT.into(),
                    file: file.name.clone(),
                    location,
                    raw: record.raw.clone(),
                };
                parsed.relations.push(relation);
            }
            Err(problems) => parsed
                .issues
                .extend(problems.into_iter().map(|message| Issue {
                    file: file.name.clone(),
                    location: location.clone(),
                    message,
                })),
        }
    }
    Ok(())
}

/// Where each column is.
struct Columns {
    owner: Option<usize>,
    asset: Option<usize>,
    percentage: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    kind: Option<usize>,
    role: Option<usize>,
    width: usize,
}

/// One row as a relation, or every problem it has (each starting with its column).
fn read_row(record: &CsvRecord, columns: &Columns, list: &str) -> Result<Relation, Vec<String>> {
    let mut problems = Vec::new();
    let cell = |column: Option<usize>| -> Result<String, String> {
        let Some(column) = column else {
            return Ok(String::new());
        };
        match record.fields.get(column) {
            Some(bytes) => std::str::from_utf8(bytes)
                .map(|text| text.trim().to_owned())
                .map_err(|e| format!("invalid UTF-8: {e}")),
            None => Ok(String::new()),
        }
    };
    if record.fields.len() != columns.width {
        problems.push(format!(
            "the row has {} fields, the header {}",
            record.fields.len(),
            columns.width
        ));
    }
    let mut text = |name: &str, column: Option<usize>| match cell(column) {
        Ok(text) => text,
        Err(reason) => {
            problems.push(format!("column {name}: {reason}"));
            String::new()
        }
    };
    let owner = text("owner_id", columns.owner);
    let asset = text("asset_id", columns.asset);
    let percentage = text("percentage", columns.percentage);
    let start_text = text("start_date", columns.start);
    let end_text = text("end_date", columns.end);
    let kind_text = text("kind", columns.kind);
    let role_text = text("role", columns.role);

    if owner.is_empty() {
        problems.push("column owner_id: empty".into());
    }
    if asset.is_empty() {
        problems.push("column asset_id: empty".into());
    }
    if !owner.is_empty() && owner == asset {
        problems.push(format!("column asset_id: {asset} cannot hold itself"));
    }
    let (kind, joint, implied_role) = match kind_text
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
        .as_str()
    {
        "" | "ownership" | "owner" | "shareholder" | "shareholding" => {
            (RelationKind::Ownership, false, None)
        }
        "joint_ownership" | "joint" => (RelationKind::Ownership, true, None),
        "control" | "controller" => (RelationKind::Control, false, None),
        "director" | "directorship" => (RelationKind::Control, false, Some("director")),
        _ => {
            problems.push(format!(
                "column kind: unknown kind {kind_text:?}; expected ownership, joint_ownership, control or director"
            ));
            (RelationKind::Ownership, false, None)
        }
    };
    let stake = match (kind, percentage.is_empty()) {
        (RelationKind::Ownership, true) => Some(Stake::unknown()),
        (RelationKind::Ownership, false) => match Stake::parse(&percentage) {
            Ok(stake) => Some(stake),
            Err(reason) => {
                problems.push(format!("column percentage: {reason}"));
                None
            }
        },
        (RelationKind::Control, true) => None,
        (RelationKind::Control, false) => {
            problems.push(format!(
                "column percentage: {percentage:?} given for {kind_text}; control has no stake (give the holding as an ownership row)"
            ));
            None
        }
    };
    let mut date = |name: &str, text: &str| {
        if text.is_empty() {
            return None;
        }
        let date = PartialDate::parse(text);
        if date.is_none() {
            problems.push(format!("column {name}: cannot read date {text:?}"));
        }
        date
    };
    let start = date("start_date", &start_text);
    let end = date("end_date", &end_text);
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        problems.push(format!(
            "column end_date: {end} is before the start {start}"
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let qualified = |id: &str| {
        if id.contains(':') {
            id.to_owned()
        } else {
            format!("{list}:{id}")
        }
    };
    let mut id = format!("{list}:{owner}>{asset}:{}", kind.as_str());
    if let Some(start) = start {
        id.push_str(&format!("@{start}"));
    }
    let role = if role_text.is_empty() {
        implied_role.map(str::to_owned)
    } else {
        Some(role_text)
    };
    Ok(Relation {
        id,
        owner: qualified(&owner),
        asset: qualified(&asset),
        kind,
        stake,
        start,
        end,
        role,
        joint,
        source: SourceRecord::default(),
    })
}
