//! Screening requests: validation into an engine query, the result's JSON, the audit record's
//! payload, and the replay of a recorded screening against its recorded list versions.
//!
//! The payload of a screening record holds the request as received, the query as
//! understood, the exact list versions, the engine version, the threshold and limit applied,
//! and the result. Replaying rebuilds an index over exactly those versions and must give the
//! same result, byte for byte.

use std::collections::BTreeMap;
use std::sync::Arc;

use interdict_matching::{Index, Match, Query, ScreenOptions};
use interdict_model::{CountryCode, DateOfBirth, Schema, country_code};
use interdict_store::{AuditKind, NewAuditRecord, Store};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};

use crate::api::{MatchJson, QueryJson, ReplayResponse, ScreenRequest};
use crate::error::ApiError;

/// The engine version recorded with every screening.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Default number of matches per screening.
pub const DEFAULT_LIMIT: usize = 10;

/// How far requests may go; see `Limits` in the crate root for the server's values.
#[derive(Debug, Clone, Copy)]
pub struct FieldLimits {
    /// Longest name, in characters.
    pub max_name_chars: usize,
    /// Most matches per screening.
    pub max_matches: usize,
}

impl FieldLimits {
    /// No limits: for replaying what was once accepted.
    pub const NONE: FieldLimits = FieldLimits {
        max_name_chars: usize::MAX,
        max_matches: usize::MAX,
    };
}

/// A validated screening: what the engine is asked.
#[derive(Debug, Clone)]
pub struct Screening {
    /// The engine query.
    pub query: Query,
    /// Threshold and limit.
    pub options: ScreenOptions,
}

/// Validates a request, naming the field at fault (`prefix` locates the request in a batch,
/// e.g. `[3].`).
pub fn validate(
    request: &ScreenRequest,
    limits: FieldLimits,
    prefix: &str,
) -> Result<Screening, ApiError> {
    let field = |name: &str| format!("{prefix}{name}");
    let name = request.name.trim();
    if name.is_empty() {
        return Err(ApiError::invalid(field("name"), "the name is empty"));
    }
    let chars = name.chars().count();
    if chars > limits.max_name_chars {
        return Err(ApiError::invalid(
            field("name"),
            format!(
                "the name has {chars} characters; at most {} are accepted",
                limits.max_name_chars
            ),
        ));
    }
    let mut query = Query::name(name);
    query.schema = match request.schema.as_deref().map(str::trim) {
        None | Some("") | Some("any") => None,
        Some(text) => Some(
            text.parse::<Schema>()
                .map_err(|e| ApiError::invalid(field("schema"), e))?,
        ),
    };
    if let Some(dob) = request
        .dob
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        query.dob = Some(DateOfBirth::parse(dob).ok_or_else(|| {
            ApiError::invalid(field("dob"), format!("{dob:?} is not a date of birth"))
        })?);
    }
    if let Some(countries) = request.country.as_deref() {
        query.countries = countries
            .split([';', '|'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| {
                country_code(c).ok_or_else(|| {
                    ApiError::invalid(field("country"), format!("{c:?} is not a known country"))
                })
            })
            .collect::<Result<Vec<CountryCode>, ApiError>>()?;
    }
    let threshold = request
        .threshold
        .unwrap_or(interdict_matching::DEFAULT_THRESHOLD);
    if !(0.0..=1.0).contains(&threshold) {
        return Err(ApiError::invalid(
            field("threshold"),
            format!("{threshold} is not in [0, 1]"),
        ));
    }
    let limit = request.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > limits.max_matches {
        return Err(ApiError::invalid(
            field("limit"),
            format!("{limit} is not in [1, {}]", limits.max_matches),
        ));
    }
    Ok(Screening {
        query,
        options: ScreenOptions { threshold, limit },
    })
}

/// The query as understood, for the response and the record.
pub fn query_json(query: &Query) -> QueryJson {
    QueryJson {
        name: query.name.clone(),
        dob: query.dob.map(|d| d.to_string()),
        countries: query.countries.iter().map(ToString::to_string).collect(),
        schema: query.schema.map_or("any", Schema::as_str).to_owned(),
    }
}

fn round(score: f64) -> f64 {
    (score * 10_000.0).round() / 10_000.0
}

/// One match as JSON: the fields of `interdict screen --json`.
pub fn match_json(m: &Match) -> Result<MatchJson, ApiError> {
    Ok(MatchJson {
        entity_id: m.entity.id.as_str().to_owned(),
        list: m.entity.id.list().to_owned(),
        schema: m.entity.schema.as_str().to_owned(),
        name: m.entity.name.clone(),
        matched_name: m.matched_name.clone(),
        query_name: m.query_name.clone(),
        score: round(m.score),
        explanation: serde_json::to_value(&m.explanation).map_err(ApiError::internal)?,
    })
}

/// The matches as JSON, best first.
pub fn matches_json(matches: &[Match]) -> Result<Vec<MatchJson>, ApiError> {
    matches.iter().map(match_json).collect()
}

/// The audit record of one screening by `actor`.
pub fn screening_record(
    actor: &str,
    request: &ScreenRequest,
    screening: &Screening,
    list_versions: &BTreeMap<String, String>,
    matches: &[MatchJson],
) -> Result<NewAuditRecord, ApiError> {
    Ok(NewAuditRecord {
        kind: AuditKind::Screening,
        actor: actor.to_owned(),
        payload: json!({
            "request": request,
            "query": query_json(&screening.query),
            "list_versions": list_versions,
            "engine": { "name": "interdict", "version": ENGINE_VERSION },
            "threshold": screening.options.threshold,
            "limit": screening.options.limit,
            "result": { "matches": matches },
        }),
    })
}

/// The parts of a screening record that a replay needs, read without re-encoding the result.
#[derive(Deserialize)]
struct RecordedScreening<'a> {
    request: ScreenRequest,
    list_versions: BTreeMap<String, String>,
    engine: RecordedEngine,
    threshold: f64,
    limit: usize,
    #[serde(borrow)]
    result: &'a RawValue,
}

#[derive(Deserialize)]
struct RecordedEngine {
    version: String,
}

/// Re-runs the recorded screening `id` against the list versions it recorded (read with
/// [`Store::version_entities`]) with its recorded threshold and limit, and compares the
/// result with the recorded one as text.
pub async fn replay(store: &Store, id: &str) -> Result<ReplayResponse, ApiError> {
    let record = store.audit_record(id).await?;
    if record.kind != AuditKind::Screening.as_str() {
        return Err(ApiError::invalid(
            "id",
            format!("record {id} is a {} record, not a screening", record.kind),
        ));
    }
    let recorded: RecordedScreening<'_> = serde_json::from_str(record.payload.get())
        .map_err(|e| ApiError::internal(format!("screening record {id} does not decode: {e}")))?;
    let mut screening = validate(&recorded.request, FieldLimits::NONE, "request.")?;
    screening.options = ScreenOptions {
        threshold: recorded.threshold,
        limit: recorded.limit,
    };
    let mut entities = Vec::new();
    for (list, version) in &recorded.list_versions {
        entities.extend(
            store
                .version_entities(list, version)
                .await?
                .into_iter()
                .map(Arc::new),
        );
    }
    let query = screening.query.clone();
    let options = screening.options;
    let matches = tokio::task::spawn_blocking(move || {
        let index = Index::build(entities);
        index.screen(&query, &options)
    })
    .await?;
    let matches = matches_json(&matches)?;
    let replayed =
        serde_json::to_string(&json!({ "matches": matches })).map_err(ApiError::internal)?;
    let recorded_matches = serde_json::from_str::<Value>(recorded.result.get())
        .ok()
        .and_then(|v| v.get("matches").and_then(Value::as_array).map(Vec::len))
        .unwrap_or(0);
    Ok(ReplayResponse {
        screening_id: record.id.clone(),
        identical: replayed == recorded.result.get(),
        recorded_engine: recorded.engine.version,
        replay_engine: ENGINE_VERSION.to_owned(),
        list_versions: recorded.list_versions,
        recorded_matches,
        replayed_matches: matches.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: FieldLimits = FieldLimits {
        max_name_chars: 20,
        max_matches: 50,
    };

    fn field_of(request: ScreenRequest) -> String {
        match validate(&request, LIMITS, "[2].") {
            Err(ApiError::InvalidField { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn each_bad_field_is_named() {
        let named = |name: &str| ScreenRequest {
            name: name.into(),
            ..ScreenRequest::default()
        };
        assert_eq!(field_of(named("  ")), "[2].name");
        assert_eq!(field_of(named(&"x".repeat(21))), "[2].name");
        for (request, field) in [
            (
                ScreenRequest {
                    dob: Some("yesterday".into()),
                    ..named("a")
                },
                "[2].dob",
            ),
            (
                ScreenRequest {
                    country: Some("RU;Atlantis".into()),
                    ..named("a")
                },
                "[2].country",
            ),
            (
                ScreenRequest {
                    schema: Some("planet".into()),
                    ..named("a")
                },
                "[2].schema",
            ),
            (
                ScreenRequest {
                    threshold: Some(1.5),
                    ..named("a")
                },
                "[2].threshold",
            ),
            (
                ScreenRequest {
                    threshold: Some(f64::NAN),
                    ..named("a")
                },
                "[2].threshold",
            ),
            (
                ScreenRequest {
                    limit: Some(0),
                    ..named("a")
                },
                "[2].limit",
            ),
            (
                ScreenRequest {
                    limit: Some(51),
                    ..named("a")
                },
                "[2].limit",
            ),
        ] {
            assert_eq!(field_of(request), field);
        }
    }

    #[test]
    fn a_valid_request_becomes_the_engine_query() {
        let request = ScreenRequest {
            name: "  Sergei Shoigu ".into(),
            dob: Some("1955-05-21".into()),
            country: Some("Russia; UA".into()),
            schema: Some("person".into()),
            threshold: Some(0.8),
            limit: Some(3),
        };
        let screening = validate(&request, LIMITS, "").expect("valid");
        assert_eq!(screening.query.name, "Sergei Shoigu");
        assert_eq!(screening.query.schema, Some(Schema::Person));
        assert!(screening.query.dob.is_some());
        let json = query_json(&screening.query);
        assert_eq!(json.countries, ["RU", "UA"]);
        assert_eq!(json.schema, "person");
        assert_eq!(
            screening.options,
            ScreenOptions {
                threshold: 0.8,
                limit: 3
            }
        );

        let any = validate(
            &ScreenRequest {
                schema: Some("any".into()),
                threshold: None,
                limit: None,
                ..request
            },
            LIMITS,
            "",
        )
        .expect("valid");
        assert_eq!(any.query.schema, None);
        assert_eq!(any.options, ScreenOptions::default());
    }
}
