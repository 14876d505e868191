//! Ownership and control data: the facade over `ownership_csv` (a plain CSV of edges) and
//! `ftm_ownership` (FollowTheMoney `Ownership` and `Directorship` entities, with deltas).
//!
//! Like [`crate::parse`], [`parse_relations`] returns every relation it could read plus every
//! per-record [`Issue`]; the importer refuses a version with any issue.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use interdict_model::Relation;

use crate::{Error, Issue, SourceFile, ftm_ownership, ownership_csv};

/// A format of ownership data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelationFormat {
    /// CSV with a header naming `owner_id, asset_id, percentage, start_date, end_date, kind`
    /// (and optionally `role`).
    OwnershipCsv,
    /// OpenSanctions FollowTheMoney JSON lines (with `*.delta.json` files): `Ownership` and
    /// `Directorship` entities.
    Ftm,
}

impl RelationFormat {
    /// The name used on the command line and recorded with each version.
    pub fn name(self) -> &'static str {
        match self {
            RelationFormat::OwnershipCsv => "ownership-csv",
            RelationFormat::Ftm => "ftm",
        }
    }

    /// The list id used when the user does not give one (FollowTheMoney data names its
    /// dataset; see [`ParsedRelations::list`]).
    pub fn default_list_id(self) -> &'static str {
        match self {
            RelationFormat::OwnershipCsv => "ownership",
            RelationFormat::Ftm => "opensanctions",
        }
    }
}

impl fmt::Display for RelationFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for RelationFormat {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ownership-csv" | "ownership" | "csv" => Ok(RelationFormat::OwnershipCsv),
            "ftm" | "opensanctions" => Ok(RelationFormat::Ftm),
            _ => Err(Error::UnknownFormat { name: s.to_owned() }),
        }
    }
}

/// The result of parsing ownership data.
#[derive(Debug, Clone)]
pub struct ParsedRelations {
    /// The format parsed.
    pub format: RelationFormat,
    /// The list id the relation ids (and unqualified party ids) were built with.
    pub list: String,
    /// The relations, in source order, with unique ids.
    pub relations: Vec<Relation>,
    /// Every problem found in individual records. Data with issues must not be activated.
    pub issues: Vec<Issue>,
}

/// Parses ownership data: `format` detected from content when `None` (a header with
/// `owner_id` and `asset_id` is the CSV, JSON lines are FollowTheMoney), relation ids built
/// with `list` (the format's default, or the dataset named in FollowTheMoney data, when
/// `None`).
pub fn parse_relations(
    files: &[SourceFile],
    format: Option<RelationFormat>,
    list: Option<&str>,
) -> Result<ParsedRelations, Error> {
    let first = files.first().ok_or(Error::NoInput)?;
    let format = match format {
        Some(format) => format,
        None => detect_relations(first)?,
    };
    let mut parsed = match format {
        RelationFormat::OwnershipCsv => {
            let list = list.unwrap_or(format.default_list_id());
            let mut parsed = ParsedRelations {
                format,
                list: list.to_owned(),
                relations: Vec::new(),
                issues: Vec::new(),
            };
            for file in files {
                ownership_csv::parse(file, list, &mut parsed)?;
            }
            parsed
        }
        RelationFormat::Ftm => ftm_ownership::parse(files, list)?,
    };
    check_unique_relation_ids(&mut parsed);
    Ok(parsed)
}

/// The format of ownership data from the first bytes of a file.
fn detect_relations(file: &SourceFile) -> Result<RelationFormat, Error> {
    let bytes = file
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&file.bytes);
    let start: Vec<u8> = bytes
        .iter()
        .copied()
        .skip_while(u8::is_ascii_whitespace)
        .take(4096)
        .collect();
    if start.first() == Some(&b'{') {
        return Ok(RelationFormat::Ftm);
    }
    let first_line = String::from_utf8_lossy(&start)
        .lines()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if first_line.contains("owner_id") && first_line.contains("asset_id") {
        return Ok(RelationFormat::OwnershipCsv);
    }
    Err(Error::Undetected {
        file: file.name.clone(),
        reason: "neither JSON lines nor a CSV header with owner_id and asset_id".into(),
    })
}

/// Two relations with one id would make a version ambiguous; each repeat is an issue.
fn check_unique_relation_ids(parsed: &mut ParsedRelations) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let mut repeats = Vec::new();
    for relation in &parsed.relations {
        if let Some(first) = seen.insert(&relation.id, &relation.source.location) {
            repeats.push(Issue {
                file: relation.source.file.clone(),
                location: relation.source.location.clone(),
                message: format!(
                    "relation {} repeats the one at {first} (same owner, asset, kind and start)",
                    relation.id
                ),
            });
        }
    }
    parsed.issues.extend(repeats);
}
