//! Payment screening: a message (ISO 20022 or SWIFT MT) parsed into screenable values by
//! `interdict-payments`, each value screened with the right tool — party names with the
//! name matcher (as a person or an organisation where the field says so), free text with the
//! name matcher over its phrases, BICs, IMO numbers, wallets and jurisdictions with the
//! payments crate's rules — and one decision per message, recorded in the audit trail
//! before it is answered, like any screening, and replayable.

use std::collections::BTreeMap;
use std::sync::Arc;

use interdict_matching::{Index, MentionKind, Query, ScanOptions, Scanner, ScreenOptions};
use interdict_model::Entity;
use interdict_payments::{HitKind, Limits as MessageLimits, Message, Screener};
use interdict_store::{AuditKind, NewAuditRecord, Store};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::contract::{PaymentHitJson, PaymentScreeningJson};
use crate::screening::{ENGINE_VERSION, Replayed, check_threshold, match_json, recorded_entities};
use crate::{ActiveLists, Error};

/// Matches per party name considered before the best per entity is kept.
const NAME_LIMIT: usize = 5;

/// The rule-based screener (BICs, IMO numbers, wallets, jurisdictions) over `entities`: all
/// active lists, OFAC's, the EU's and the UK's jurisdiction rules.
pub fn rules_screener<'a>(entities: impl IntoIterator<Item = &'a Entity>) -> Screener {
    use interdict_payments::{JurisdictionTable, Regime};
    Screener::new(
        entities,
        JurisdictionTable::builtin_all(&[Regime::Ofac, Regime::Eu, Regime::Uk]),
    )
}

/// One message's input: its name (a file name, `#n` within a batch) and its bytes.
#[derive(Debug, Clone)]
pub struct PaymentInput {
    /// How results and errors name it.
    pub name: String,
    /// The message as sent.
    pub bytes: Vec<u8>,
}

/// A message that could not be read, named and explained (line, element, reason).
#[derive(Debug, Clone, serde::Serialize)]
pub struct PaymentErrorJson {
    /// The message's name.
    pub message: String,
    /// A stable code: `too_large`, `unknown_format`, `doctype_refused`, `unsupported_type`,
    /// `malformed`, `missing_field`, `limit_exceeded`.
    pub code: String,
    /// The line of the input, when known.
    pub line: Option<usize>,
    /// The element or field, when known.
    pub element: Option<String>,
    /// Why, for people.
    pub reason: String,
}

/// The outcome of one input: each message it held, screened, or its error.
pub type PaymentOutcome = Result<PaymentScreeningJson, PaymentErrorJson>;

/// Parses `input` into its messages (an XML document, or a batch of MT messages), each
/// named `name` or `name#n`.
pub fn parse(
    input: &PaymentInput,
    limits: &MessageLimits,
) -> Vec<(String, Result<Message, PaymentErrorJson>)> {
    let results = interdict_payments::parse(&input.bytes, limits);
    let several = results.len() > 1;
    results
        .into_iter()
        .enumerate()
        .map(|(index, result)| {
            let name = if several {
                format!("{}#{}", input.name, index + 1)
            } else {
                input.name.clone()
            };
            let result = result.map_err(|error| PaymentErrorJson {
                message: name.clone(),
                code: error.code().to_owned(),
                line: error.line(),
                element: error.element().map(str::to_owned),
                reason: error.to_string(),
            });
            (name, result)
        })
        .collect()
}

/// Screens one parsed message against `index` and the `rules`, at `threshold`: every hit,
/// best first within each field, and the decision.
pub fn screen_message(
    index: &Index,
    scanner: &Scanner,
    rules: &Screener,
    message: &Message,
    name: &str,
    threshold: f64,
) -> Result<PaymentScreeningJson, Error> {
    let options = ScreenOptions {
        threshold,
        limit: NAME_LIMIT,
    };
    let mut hits = Vec::new();
    for (value, party_type, country) in message.party_names() {
        let mut query = Query::name(value.text());
        query.schema = party_type.schema();
        // A party name says nothing of a person's birth or nationality, only where the
        // party is; the country is evidence about organisations and residence alike.
        query.countries = country.into_iter().collect();
        for m in index.screen(&query, &options) {
            hits.push(name_hit(&value.field, &value.text(), value.line, &m)?);
        }
    }
    // Names in free text (remittance information, instructions) by the free-text scanner;
    // identifiers there are the rules' (below), so the scanner's own are left out.
    let scan_options = ScanOptions {
        threshold,
        limit: NAME_LIMIT * 4,
        lists: Vec::new(),
    };
    for value in message.free_texts() {
        let text = value.text();
        for mention in scanner.scan(&text, &scan_options) {
            if mention.explanation.kind == MentionKind::Identifier {
                continue;
            }
            hits.push(PaymentHitJson {
                field: value.field.clone(),
                kind: "name".to_owned(),
                value: mention.text.clone(),
                entity_id: Some(mention.entity_id.to_string()),
                listed_name: Some(mention.listed_name.clone()),
                listed_value: None,
                rule: None,
                score: (mention.score * 10_000.0).round() / 10_000.0,
                explanation: serde_json::to_value(&mention.explanation).map_err(Error::internal)?,
                line: value.line,
            });
        }
    }
    for hit in rules.screen(message) {
        hits.push(PaymentHitJson {
            field: hit.field,
            kind: kind_name(hit.kind).to_owned(),
            value: hit.value,
            entity_id: hit.entity_id.map(|id| id.to_string()),
            listed_name: hit.listed_name,
            listed_value: hit.listed_value,
            rule: hit.rule,
            score: hit.score,
            explanation: Value::String(hit.explanation),
            line: hit.line,
        });
    }
    Ok(PaymentScreeningJson {
        screening_id: String::new(),
        message: name.to_owned(),
        format: message.format.to_string(),
        message_id: message.message_id.clone(),
        reference: message.reference.clone(),
        decision: if hits.is_empty() { "clear" } else { "hit" }.to_owned(),
        threshold,
        list_versions: BTreeMap::new(),
        hits,
    })
}

fn kind_name(kind: HitKind) -> &'static str {
    match kind {
        HitKind::Name => "name",
        HitKind::Bic => "bic",
        HitKind::Imo => "imo",
        HitKind::CryptoAddress => "crypto_address",
        HitKind::Identifier => "identifier",
        HitKind::Jurisdiction => "jurisdiction",
    }
}

fn name_hit(
    field: &str,
    value: &str,
    line: usize,
    m: &interdict_matching::Match,
) -> Result<PaymentHitJson, Error> {
    let json = match_json(m)?;
    Ok(PaymentHitJson {
        field: field.to_owned(),
        kind: "name".to_owned(),
        value: value.to_owned(),
        entity_id: Some(json.entity_id),
        listed_name: Some(json.name),
        listed_value: Some(json.matched_name),
        rule: None,
        score: json.score,
        explanation: json.explanation,
        line,
    })
}

/// Messages parsed and screened, with the audit records still to write: what
/// [`screen_inputs`] (CPU work) hands to [`record`].
#[derive(Debug)]
pub struct ScreenedPayments {
    outcomes: Vec<PaymentOutcome>,
    records: Vec<NewAuditRecord>,
}

/// Parses every message of `inputs` and screens each against the active lists, as `actor`:
/// CPU work, to run off the async workers. A message that cannot be read is an outcome with
/// its error and never stops the rest.
pub fn screen_inputs(
    active: &ActiveLists,
    actor: &str,
    inputs: &[PaymentInput],
    threshold: f64,
) -> Result<ScreenedPayments, Error> {
    let threshold = check_threshold(Some(threshold), "threshold")?;
    let limits = MessageLimits::default();
    let mut outcomes = Vec::new();
    let mut records = Vec::new();
    for input in inputs {
        for (name, parsed) in parse(input, &limits) {
            let message = match parsed {
                Ok(message) => message,
                Err(error) => {
                    outcomes.push(Err(error));
                    continue;
                }
            };
            let mut result = screen_message(
                &active.index,
                active.scanner(),
                &active.payments,
                &message,
                &name,
                threshold,
            )?;
            result.list_versions = active.versions.clone();
            records.push(NewAuditRecord {
                kind: AuditKind::Payment,
                actor: actor.to_owned(),
                payload: json!({
                    "request": {
                        "message": name,
                        "text": String::from_utf8_lossy(&input.bytes),
                        "index": message_index(&name),
                    },
                    "list_versions": active.versions,
                    "engine": { "name": "interdict", "version": ENGINE_VERSION },
                    "threshold": threshold,
                    "result": { "decision": result.decision, "hits": result.hits },
                }),
            });
            outcomes.push(Ok(result));
        }
    }
    Ok(ScreenedPayments { outcomes, records })
}

/// Records the screened messages in one audit append (all or none) and answers every
/// outcome in order, each screened one with its `screening_id`: nothing is answered that is
/// not on record.
pub async fn record(
    store: &Store,
    screened: ScreenedPayments,
) -> Result<Vec<PaymentOutcome>, Error> {
    let ScreenedPayments {
        mut outcomes,
        records,
    } = screened;
    let stored = store.append_audit_all(records).await?;
    let mut ids = stored.into_iter().map(|r| r.id);
    for outcome in outcomes.iter_mut().flatten() {
        outcome.screening_id = ids.next().unwrap_or_default();
    }
    Ok(outcomes)
}

/// [`screen_inputs`] then [`record`], on the caller's thread (the command line).
pub async fn screen_and_record(
    store: &Store,
    active: &ActiveLists,
    actor: &str,
    inputs: &[PaymentInput],
    threshold: f64,
) -> Result<Vec<PaymentOutcome>, Error> {
    record(store, screen_inputs(active, actor, inputs, threshold)?).await
}

/// The position of a message within its input, from its name (`file#3` is the third).
fn message_index(name: &str) -> usize {
    name.rsplit_once('#')
        .and_then(|(_, n)| n.parse::<usize>().ok())
        .map_or(0, |n| n.saturating_sub(1))
}

#[derive(Deserialize)]
struct RecordedPayment {
    request: RecordedRequest,
    engine: RecordedEngine,
    list_versions: BTreeMap<String, String>,
    threshold: f64,
    result: Value,
}

#[derive(Deserialize)]
struct RecordedEngine {
    version: String,
}

#[derive(Deserialize)]
struct RecordedRequest {
    message: String,
    text: String,
    index: usize,
}

/// Re-screens the recorded payment (`payload`, the record's JSON) against its recorded list
/// versions and compares the result with the recorded one.
pub(crate) async fn replay(store: &Store, payload: &str) -> Result<Replayed, Error> {
    let recorded: RecordedPayment = serde_json::from_str(payload)
        .map_err(|e| Error::internal(format!("payment record does not decode: {e}")))?;
    let entities = recorded_entities(store, &recorded.list_versions).await?;
    let request = recorded.request;
    let threshold = recorded.threshold;
    let result = tokio::task::spawn_blocking(move || {
        let rules = rules_screener(entities.iter().map(AsRef::as_ref));
        let index = Arc::new(Index::build(entities));
        let scanner = Scanner::new(Arc::clone(&index));
        let input = PaymentInput {
            name: request.message.clone(),
            bytes: request.text.into_bytes(),
        };
        let parsed = parse(&input, &MessageLimits::default());
        match parsed.into_iter().nth(request.index) {
            Some((_, Ok(message))) => screen_message(
                &index,
                &scanner,
                &rules,
                &message,
                &request.message,
                threshold,
            ),
            _ => Err(Error::internal("the recorded message no longer parses")),
        }
    })
    .await??;
    let replayed = json!({ "decision": result.decision, "hits": result.hits });
    Ok(Replayed {
        identical: replayed == recorded.result,
        recorded_results: recorded.result["hits"].as_array().map_or(0, Vec::len),
        replayed_results: result.hits.len(),
        list_versions: recorded.list_versions,
        recorded_engine: recorded.engine.version,
    })
}

/// One expected hit of the evaluation set: a listed party named in a field of a message.
#[derive(Debug, Clone, Deserialize)]
pub struct ExpectedHit {
    /// The message file.
    pub message_file: String,
    /// The field path the party is named in.
    pub field: String,
    /// The OFAC entity number.
    pub ofac_ent_num: String,
    /// `name`, `imo`, `bic` or `crypto`.
    pub kind: String,
}

/// One message of the evaluation set and whether it should be stopped.
#[derive(Debug, Clone, Deserialize)]
pub struct ExpectedOutcome {
    /// The message file.
    pub message_file: String,
    /// `alert` or `clean`.
    pub expected: String,
}

/// Recall of one kind of expected hit.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct KindRecall {
    /// Expected hits of this kind.
    pub expected: usize,
    /// Found with the right entity in the right field.
    pub found: usize,
}

/// What `interdict eval payments` reports.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PaymentEvaluation {
    /// Messages screened.
    pub messages: usize,
    /// Messages that could not be read.
    pub unreadable: Vec<String>,
    /// Recall by kind of hit.
    pub recall: BTreeMap<String, KindRecall>,
    /// Expected hits not found: `file field entity`.
    pub missed: Vec<String>,
    /// Messages that should be stopped.
    pub expected_alerts: usize,
    /// Of those, stopped.
    pub stopped_alerts: usize,
    /// Clean messages.
    pub clean: usize,
    /// Clean messages stopped, with why.
    pub stopped_clean: Vec<String>,
}

/// Scores screening results against the evaluation set's labels and manifest: an expected
/// hit is found when a hit of its message names `ofac-sdn:<ent_num>` in its field.
pub fn evaluate(
    results: &[PaymentOutcome],
    expected_hits: &[ExpectedHit],
    outcomes: &[ExpectedOutcome],
) -> PaymentEvaluation {
    let mut report = PaymentEvaluation::default();
    let mut by_message: BTreeMap<&str, &PaymentScreeningJson> = BTreeMap::new();
    for result in results {
        match result {
            Ok(screening) => {
                report.messages += 1;
                by_message.insert(screening.message.as_str(), screening);
            }
            Err(error) => report
                .unreadable
                .push(format!("{}: {}", error.message, error.reason)),
        }
    }
    for expected in expected_hits {
        let kind = report.recall.entry(expected.kind.clone()).or_default();
        kind.expected += 1;
        let entity = format!("ofac-sdn:{}", expected.ofac_ent_num);
        let found = by_message
            .get(expected.message_file.as_str())
            .is_some_and(|s| {
                s.hits.iter().any(|h| {
                    h.entity_id.as_deref() == Some(entity.as_str()) && h.field == expected.field
                })
            });
        if found {
            kind.found += 1;
        } else {
            report.missed.push(format!(
                "{} {} {entity} ({})",
                expected.message_file, expected.field, expected.kind
            ));
        }
    }
    for outcome in outcomes {
        let screening = by_message.get(outcome.message_file.as_str());
        let stopped = screening.is_some_and(|s| s.decision == "hit");
        if outcome.expected == "clean" {
            report.clean += 1;
            if let Some(screening) = screening.filter(|_| stopped) {
                let why: Vec<String> = screening
                    .hits
                    .iter()
                    .map(|h| {
                        format!(
                            "{} {:?} ~ {}",
                            h.field,
                            h.value,
                            h.listed_name
                                .as_deref()
                                .or(h.rule.as_deref())
                                .unwrap_or("?")
                        )
                    })
                    .collect();
                report
                    .stopped_clean
                    .push(format!("{}: {}", outcome.message_file, why.join("; ")));
            }
        } else {
            report.expected_alerts += 1;
            if stopped {
                report.stopped_alerts += 1;
            }
        }
    }
    report
}
