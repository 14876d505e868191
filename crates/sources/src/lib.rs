//! Parsers for the official sanctions list formats, and for ownership data ([`parse_relations`]).
//!
//! Each format has its own private module; this facade detects the format from content,
//! dispatches, and returns [`Parsed`]: the entities plus every per-record [`Issue`] with its
//! location. Parsers do not stop at the first bad record; the importer decides, and refuses to
//! activate a version that has any issue. A file that is not the format at all is an [`Error`].
//!
//! Every file must be complete: control bytes (NUL and the other C0 controls but tab and line
//! breaks) are refused with their byte offset before any parser runs, and each format checks
//! its own end (OFAC's 0x1A trailer, XML closed to its root's end, declared record counts), so
//! that a truncated file is an [`Error`] or issues, never a shorter list.
//!
//! This crate does no file-system or network I/O: it parses the bytes of the [`SourceFile`]s it
//! is given. It depends only on `interdict-model`.

#![deny(missing_docs)]

mod cross_reference;
mod csv_records;
mod detect;
mod error;
mod eu_fsf;
mod ftm;
pub mod ftm_export;
mod ofac_csv;
mod ofac_remarks;
mod ofac_xml;
mod text;
mod uk_ofsi;
mod uk_sanctions_list;
mod uk_sanctions_list_csv;
mod un_xml;
mod us_csl;
mod xml;

// Ownership data ([`parse_relations`]).
mod ftm_ownership;
mod ownership_csv;
mod relations;

use std::fmt;
use std::str::FromStr;

use interdict_model::{Entity, PartialDate};

pub use cross_reference::cross_references_of;
pub use detect::detect;
pub use error::{Error, Issue};
pub use relations::{ParsedRelations, RelationFormat, parse_relations};

/// One input file: its name relative to what the user named (e.g. `sdn.csv`,
/// `deltas/20240527134702-zbn.delta.json`) and its bytes.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative name; parsers use the base name to recognise companion files.
    pub name: String,
    /// The file content.
    pub bytes: Vec<u8>,
}

impl SourceFile {
    /// The last path component of the name.
    pub fn base_name(&self) -> &str {
        self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name)
    }
}

/// A supported list format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// OFAC SDN legacy CSV: `sdn.csv`, optionally with `alt.csv`, `add.csv`, `sdn_comments.csv`.
    OfacSdnCsv,
    /// OFAC SDN XML (`sdn.xml`, `sdnList` root).
    OfacSdnXml,
    /// UN Security Council consolidated list XML (`CONSOLIDATED_LIST`).
    UnScXml,
    /// EU Financial Sanctions Files XML (`export` / `sanctionEntity`).
    EuFsfXml,
    /// UK OFSI consolidated list CSV.
    UkOfsiCsv,
    /// FCDO UK Sanctions List XML (`Designations` / `Designation`), the list that replaced the
    /// OFSI consolidated list.
    UkSanctionsListXml,
    /// FCDO UK Sanctions List CSV (a `Report Date` line, a header, one row per name): the
    /// same list as [`Format::UkSanctionsListXml`], giving the same entities.
    UkSanctionsListCsv,
    /// US Consolidated Screening List CSV (trade.gov).
    UsCslCsv,
    /// OpenSanctions FollowTheMoney JSON lines, with optional `*.delta.json` files.
    Ftm,
}

impl Format {
    /// Every format, for help texts.
    pub const ALL: [Format; 9] = [
        Format::OfacSdnCsv,
        Format::OfacSdnXml,
        Format::UnScXml,
        Format::EuFsfXml,
        Format::UkOfsiCsv,
        Format::UkSanctionsListXml,
        Format::UkSanctionsListCsv,
        Format::UsCslCsv,
        Format::Ftm,
    ];

    /// The name used on the command line and recorded with each version.
    pub fn name(self) -> &'static str {
        match self {
            Format::OfacSdnCsv => "ofac-sdn-csv",
            Format::OfacSdnXml => "ofac-sdn-xml",
            Format::UnScXml => "un-sc-xml",
            Format::EuFsfXml => "eu-fsf-xml",
            Format::UkOfsiCsv => "uk-ofsi-csv",
            Format::UkSanctionsListXml => "uk-sanctions-list-xml",
            Format::UkSanctionsListCsv => "uk-sanctions-list-csv",
            Format::UsCslCsv => "us-csl-csv",
            Format::Ftm => "ftm",
        }
    }

    /// The list id used when the user does not give one. FollowTheMoney exports name their
    /// dataset inside the data; see [`Parsed::list`].
    pub fn default_list_id(self) -> &'static str {
        match self {
            Format::OfacSdnCsv | Format::OfacSdnXml => "ofac-sdn",
            Format::UnScXml => "un-sc",
            Format::EuFsfXml => "eu-fsf",
            Format::UkOfsiCsv => "uk-ofsi",
            Format::UkSanctionsListXml | Format::UkSanctionsListCsv => "uk-sanctions-list",
            Format::UsCslCsv => "us-csl",
            Format::Ftm => "opensanctions",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| {
                f.name() == wanted
                    || f.default_list_id() == wanted
                    || (wanted == "ofac-csv" && *f == Format::OfacSdnCsv)
                    || (wanted == "ofac-xml" && *f == Format::OfacSdnXml)
                    || (wanted == "un" && *f == Format::UnScXml)
                    || (wanted == "eu" && *f == Format::EuFsfXml)
                    || (wanted == "uk" && *f == Format::UkOfsiCsv)
                    || (wanted == "csl" && *f == Format::UsCslCsv)
            })
            .ok_or_else(|| Error::UnknownFormat { name: s.to_owned() })
    }
}

/// The result of parsing a list.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The format parsed.
    pub format: Format,
    /// The list id the entity ids were built with.
    pub list: String,
    /// The entities, in source order, with unique ids.
    pub entities: Vec<Entity>,
    /// Every problem found in individual records. A list with issues must not be activated.
    pub issues: Vec<Issue>,
    /// The character encoding the files were read in ([`ENCODING_UTF8`] or
    /// [`ENCODING_WINDOWS_1252`]); `None` only for an empty result.
    pub encoding: Option<&'static str>,
    /// The publication date the file itself states (OFAC XML `Publish_Date`, UN
    /// `dateGenerated`, EU `generationDate`, UK `Last Updated` / `DateGenerated`); `None` when
    /// the format carries none (OFAC CSV, US CSL, FollowTheMoney). With several files, the
    /// latest date.
    pub published: Option<PartialDate>,
}

/// The label of the identifier ([`interdict_model::IdentifierKind::Other`]) in which EU and UK
/// records keep the UN Security Council reference number of a party the UN also lists; the UN
/// list's own record of it has the id `un-sc:<reference>`. Grouping by it shows one party once.
pub const UN_REFERENCE_LABEL: &str = cross_reference::UN_REFERENCE_LABEL;

/// The name [`Parsed::encoding`] gives UTF-8 (with or without a byte-order mark).
pub const ENCODING_UTF8: &str = text::UTF_8;
/// The name [`Parsed::encoding`] gives Windows-1252, the UK consolidated list's encoding.
pub const ENCODING_WINDOWS_1252: &str = text::WINDOWS_1252;

impl Parsed {
    /// An empty result for `format` on list `list`.
    pub(crate) fn empty(format: Format, list: &str) -> Parsed {
        Parsed {
            format,
            list: list.to_owned(),
            entities: Vec::new(),
            issues: Vec::new(),
            encoding: None,
            published: None,
        }
    }

    /// Notes that a file was read in `encoding`: a set read partly in Windows-1252 says so.
    pub(crate) fn note_encoding(&mut self, encoding: &'static str) {
        if self.encoding.is_none() || encoding != text::UTF_8 {
            self.encoding = Some(encoding);
        }
    }

    /// Notes a file's publication date: a set keeps its latest.
    pub(crate) fn note_published(&mut self, date: Option<PartialDate>) {
        if date > self.published {
            self.published = date;
        }
    }

    /// Records the outcome of one record: its problems as issues at `location`, and the entity
    /// (if one could be built) with its provenance.
    pub(crate) fn add_record(
        &mut self,
        file: &SourceFile,
        location: String,
        problems: Vec<String>,
        entity: Option<Entity>,
        raw: String,
    ) {
        for message in problems {
            self.issues.push(Issue {
                file: file.name.clone(),
                location: location.clone(),
                message,
            });
        }
        if let Some(mut entity) = entity {
            entity.source = interdict_model::SourceRecord {
                format: self.format.name().to_owned(),
                file: file.name.clone(),
                location,
                raw,
            };
            self.entities.push(entity);
        }
    }
}

/// Parses `files` as `format` (detected from content when `None`), building entity ids with
/// `list` (the format's default, or the dataset named in the data, when `None`).
pub fn parse(
    files: &[SourceFile],
    format: Option<Format>,
    list: Option<&str>,
) -> Result<Parsed, Error> {
    if files.is_empty() {
        return Err(Error::NoInput);
    }
    for file in files {
        text::check_control_bytes(file)?;
    }
    let format = match format {
        Some(format) => format,
        None => detect(files)?,
    };
    let list_default = format.default_list_id();
    let mut parsed = match format {
        Format::OfacSdnCsv => ofac_csv::parse(files, list.unwrap_or(list_default))?,
        Format::OfacSdnXml => ofac_xml::parse(files, list.unwrap_or(list_default))?,
        Format::UnScXml => un_xml::parse(files, list.unwrap_or(list_default))?,
        Format::EuFsfXml => eu_fsf::parse(files, list.unwrap_or(list_default))?,
        Format::UkOfsiCsv => uk_ofsi::parse(files, list.unwrap_or(list_default))?,
        Format::UkSanctionsListXml => {
            uk_sanctions_list::parse(files, list.unwrap_or(list_default))?
        }
        Format::UkSanctionsListCsv => {
            uk_sanctions_list_csv::parse(files, list.unwrap_or(list_default))?
        }
        Format::UsCslCsv => us_csl::parse(files, list.unwrap_or(list_default))?,
        Format::Ftm => ftm::parse(files, list)?,
    };
    check_unique_ids(&mut parsed);
    if parsed.encoding.is_none() {
        parsed.encoding = Some(text::UTF_8);
    }
    Ok(parsed)
}

/// Duplicate ids would make a version ambiguous; each repeat is an issue.
fn check_unique_ids(parsed: &mut Parsed) {
    let mut seen = std::collections::HashSet::new();
    for entity in &parsed.entities {
        if !seen.insert(entity.id.as_str()) {
            parsed.issues.push(Issue {
                file: entity.source.file.clone(),
                location: entity.source.location.clone(),
                message: format!("duplicate entity id {}", entity.id),
            });
        }
    }
}
