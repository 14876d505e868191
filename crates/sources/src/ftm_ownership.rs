//! Ownership and control from FollowTheMoney: `Ownership` entities (`owner`, `asset`,
//! `percentage`, `startDate`, `endDate`, `role`) and `Directorship` entities (`director`,
//! `organization`, `role`, dates) of the final state of the base and delta files (read as
//! `ftm` reads them).
//!
//! A `percentage` is read by [`Stake::parse`] (`50`, `25-50%`, `more than 25%`); several
//! values span from the least to the most; none is a holding of unknown size (0–100%). A
//! directorship is control, with its role. A role naming a joint holding marks it joint.
//! Party ids are FtM ids of the same dataset, so they become `<list>:<ftm id>`, as the
//! entities' ids do. A relation without both parties, or with a percentage or date that
//! cannot be read, is an issue and gives no relation.

use interdict_model::{EntityId, PartialDate, Relation, RelationKind, SourceRecord, Stake};

use crate::ftm::{Stored, read_final};
use crate::relations::{ParsedRelations, RelationFormat};
use crate::{Error, Issue, SourceFile};

/// Parses the relationship entities of FtM base and delta files.
pub(crate) fn parse(files: &[SourceFile], list: Option<&str>) -> Result<ParsedRelations, Error> {
    let (state, list, issues) = read_final(files, list)?;
    let mut parsed = ParsedRelations {
        format: RelationFormat::Ftm,
        list,
        relations: Vec::new(),
        issues,
    };
    for stored in state.entities() {
        let (kind, one, other) = match stored.raw.schema.as_str() {
            "Ownership" => (RelationKind::Ownership, "owner", "asset"),
            "Directorship" => (RelationKind::Control, "director", "organization"),
            _ => continue,
        };
        match relations_of(stored, kind, one, other, &parsed.list) {
            Ok(relations) => parsed.relations.extend(relations),
            Err(problems) => parsed
                .issues
                .extend(problems.into_iter().map(|message| Issue {
                    file: stored.file.clone(),
                    location: stored.location(),
                    message: format!("{} {}: {message}", stored.raw.schema, stored.raw.id),
                })),
        }
    }
    Ok(parsed)
}

fn relations_of(
    stored: &Stored,
    kind: RelationKind,
    one: &str,
    other: &str,
    list: &str,
) -> Result<Vec<Relation>, Vec<String>> {
    let raw = &stored.raw;
    let mut problems = Vec::new();
    let owners = raw.values(one);
    let assets = raw.values(other);
    if owners.is_empty() {
        problems.push(format!("no {one}"));
    }
    if assets.is_empty() {
        problems.push(format!("no {other}"));
    }
    let stake = match kind {
        RelationKind::Control => None,
        RelationKind::Ownership => {
            let mut span: Option<Stake> = None;
            for text in raw.values("percentage") {
                match Stake::parse(text) {
                    Ok(stake) => {
                        span = Some(match span {
                            Some(s) => Stake {
                                low: s.low.min(stake.low),
                                high: s.high.max(stake.high),
                            },
                            None => stake,
                        });
                    }
                    Err(reason) => problems.push(reason),
                }
            }
            Some(span.unwrap_or_else(Stake::unknown))
        }
    };
    let mut date = |property: &str| {
        let values = raw.values(property);
        let parsed = values.iter().find_map(|v| PartialDate::parse(v));
        if parsed.is_none()
            && let Some(text) = values.first()
        {
            problems.push(format!("cannot read {property} {text:?}"));
        }
        parsed
    };
    let start = date("startDate");
    let end = date("endDate");
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        problems.push(format!("endDate {end} is before startDate {start}"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let role = raw
        .values("role")
        .first()
        .map(|r| (*r).to_owned())
        .or_else(|| (kind == RelationKind::Control).then(|| "director".to_owned()));
    let joint = role
        .as_deref()
        .is_some_and(|r| r.to_lowercase().contains("joint"));
    let pairs: Vec<(&str, &str)> = owners
        .iter()
        .flat_map(|o| assets.iter().map(move |a| (*o, *a)))
        .filter(|(o, a)| o != a)
        .collect();
    let several = pairs.len() > 1;
    Ok(pairs
        .into_iter()
        .enumerate()
        .map(|(i, (owner, asset))| {
            let mut id = EntityId::new(list, &raw.id).to_string();
            if several {
                id.push_str(&format!("#{}", i + 1));
            }
            Relation {
                id,
                owner: EntityId::new(list, owner).to_string(),
                asset: EntityId::new(list, asset).to_string(),
                kind,
                stake,
                start,
                end,
                role: role.clone(),
                joint,
                source: SourceRecord {
                    format: RelationFormat::Ftm.name().to_owned(),
                    file: stored.base_name.clone(),
                    location: stored.location(),
                    raw: stored.text.clone(),
                },
            }
        })
        .collect())
}
