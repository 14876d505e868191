//! Payment screening: a message (ISO 20022 or SWIFT MT) parsed into screenable values by
//! `interdict-payments`, each value screened with the right tool — party names with the
//! name matcher (as a person or an organisation where the field says so), free text with the
//! name matcher over its phrases, BICs, IMO numbers, wallets and jurisdictions with the
//! payments crate's rules — and one decision per message, recorded in the audit trail
//! before it is answered, like any screening, and replayable.
//!
//! Jurisdiction rules apply as in force on the screening date (recorded, so a replay gives
//! the answer of that day). Asked to, [`record`] opens one alert per message and listed
//! entity (or jurisdiction rule) hit, reviewed by the four-eyes workflow like a customer's;
//! the same message screened again finds its alerts instead of opening new ones.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use interdict_matching::{Index, MentionKind, Query, ScanOptions, Scanner, ScreenOptions};
use interdict_model::{Entity, PartialDate};
/// The bounds on a message (size, depth, elements, fields), as the payments crate sets them.
pub use interdict_payments::Limits as MessageLimits;
use interdict_payments::{HitKind, Message, Screener};
use interdict_store::{AuditKind, NewAuditRecord, NewPaymentAlert, Store};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::contract::{PaymentAlertSubjectJson, PaymentHitJson, PaymentScreeningJson};
use crate::ownership::{OwnershipHits, screenable};
use crate::screening::{
    ENGINE_VERSION, Replayed, all_recorded_entities, check_threshold, match_json,
};
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

/// Screens one parsed message against `index` and the `rules` (the jurisdiction rules in
/// force on `date`), at `threshold`: every hit, best first within each field, and the
/// decision.
pub fn screen_message(
    index: &Index,
    scanner: &Scanner,
    rules: &Screener,
    message: &Message,
    name: &str,
    threshold: f64,
    date: NaiveDate,
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
                ownership: None,
            });
        }
    }
    for hit in rules.screen(message, date) {
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
            ownership: None,
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
        screening_date: date.to_string(),
        hits,
        alert_ids: Vec::new(),
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
        ownership: None,
    })
}

/// Gives each hit on a party blocked through its owners (a registry company on no list)
/// its ownership object, as screening matches carry it (basis `ownership`, regimes, share,
/// paths).
pub fn attach_ownership(screening: &mut PaymentScreeningJson, ownership: &OwnershipHits) {
    for hit in &mut screening.hits {
        hit.ownership = hit
            .entity_id
            .as_deref()
            .and_then(|id| ownership.get(id))
            .cloned();
    }
}

/// Messages parsed and screened, with the audit records still to write: what
/// [`screen_inputs`] (CPU work) hands to [`record`].
#[derive(Debug)]
pub struct ScreenedPayments {
    outcomes: Vec<PaymentOutcome>,
    records: Vec<NewAuditRecord>,
    actor: String,
}

/// The screening date: today, in UTC.
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Parses every message of `inputs` and screens each against the active lists, as `actor`,
/// with the jurisdiction rules in force today: CPU work, to run off the async workers. A
/// message that cannot be read is an outcome with its error and never stops the rest.
pub fn screen_inputs(
    active: &ActiveLists,
    actor: &str,
    inputs: &[PaymentInput],
    threshold: f64,
) -> Result<ScreenedPayments, Error> {
    screen_inputs_on(active, actor, inputs, threshold, today())
}

/// [`screen_inputs`] with the jurisdiction rules in force on `date`.
pub fn screen_inputs_on(
    active: &ActiveLists,
    actor: &str,
    inputs: &[PaymentInput],
    threshold: f64,
    date: NaiveDate,
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
                date,
            )?;
            attach_ownership(&mut result, &active.ownership);
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
                    "screening_date": result.screening_date,
                    "result": { "decision": result.decision, "hits": result.hits },
                }),
            });
            outcomes.push(Ok(result));
        }
    }
    Ok(ScreenedPayments {
        outcomes,
        records,
        actor: actor.to_owned(),
    })
}

impl ScreenedPayments {
    /// Every outcome, in input order, before it is recorded.
    pub fn outcomes(&self) -> &[PaymentOutcome] {
        &self.outcomes
    }
}

/// Whether screening opens alerts for the messages that hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentAlerts {
    /// Answer only (the caller stops or releases the payment itself).
    None,
    /// Open an alert per message and entity (or jurisdiction rule) hit, for four-eyes review.
    Open,
}

/// Records the screened messages in one audit append (all or none) and answers every
/// outcome in order, each screened one with its `screening_id`: nothing is answered that is
/// not on record. With [`PaymentAlerts::Open`], the messages that hit then get their alerts
/// ([`open_alerts`]), named in each outcome's `alert_ids`.
pub async fn record(
    store: &Store,
    screened: ScreenedPayments,
    alerts: PaymentAlerts,
) -> Result<Vec<PaymentOutcome>, Error> {
    let ScreenedPayments {
        mut outcomes,
        records,
        actor,
    } = screened;
    let stored = store.append_audit_all(records).await?;
    let mut ids = stored.into_iter().map(|r| r.id);
    for outcome in outcomes.iter_mut().flatten() {
        outcome.screening_id = ids.next().unwrap_or_default();
    }
    if alerts == PaymentAlerts::Open {
        open_alerts(store, &mut outcomes, &actor).await?;
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
    alerts: PaymentAlerts,
) -> Result<Vec<PaymentOutcome>, Error> {
    record(
        store,
        screen_inputs(active, actor, inputs, threshold)?,
        alerts,
    )
    .await
}

/// The key that identifies a message among alerts: its format, message id and reference,
/// so that the same message screened again finds its alerts. A message with neither id nor
/// reference cannot be recognised again and is keyed by its screening.
pub fn payment_key(screening: &PaymentScreeningJson) -> String {
    match (&screening.message_id, &screening.reference) {
        (None, None) => format!(
            "payment:{}/screening/{}",
            screening.format, screening.screening_id
        ),
        (id, reference) => format!(
            "payment:{}/{}/{}",
            screening.format,
            id.as_deref().unwrap_or("-"),
            reference.as_deref().unwrap_or("-")
        ),
    }
}

/// The entity id an alert on `hit` is about: the listed entity, or `jurisdiction:<rule>`.
fn alert_entity(hit: &PaymentHitJson) -> Option<String> {
    match (&hit.entity_id, &hit.rule) {
        (Some(entity), _) => Some(entity.clone()),
        (None, Some(rule)) => Some(format!("jurisdiction:{rule}")),
        (None, None) => None,
    }
}

/// The alerts of the recorded messages that hit, as `actor`: one per message and entity (or
/// jurisdiction rule), about its strongest hit and naming every field that hit the same
/// entity. Each outcome's `alert_ids` names its alerts, opened now or found from an earlier
/// screening of the same message.
pub async fn open_alerts(
    store: &Store,
    outcomes: &mut [PaymentOutcome],
    actor: &str,
) -> Result<(), Error> {
    let mut planned: Vec<(usize, NewPaymentAlert)> = Vec::new();
    for (position, outcome) in outcomes.iter().enumerate() {
        let Ok(screening) = outcome else { continue };
        let key = payment_key(screening);
        // Best hit per entity (first of equals, so message order breaks ties), with the
        // fields that hit it.
        let mut by_entity: BTreeMap<String, (&PaymentHitJson, Vec<String>)> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        for hit in &screening.hits {
            let Some(entity) = alert_entity(hit) else {
                continue;
            };
            match by_entity.get_mut(&entity) {
                Some((best, fields)) => {
                    if hit.score > best.score {
                        *best = hit;
                    }
                    if !fields.contains(&hit.field) {
                        fields.push(hit.field.clone());
                    }
                }
                None => {
                    order.push(entity.clone());
                    by_entity.insert(entity, (hit, vec![hit.field.clone()]));
                }
            }
        }
        for entity in order {
            let Some((hit, fields)) = by_entity.remove(&entity) else {
                continue;
            };
            let list = entity.split_once(':').map_or("", |(list, _)| list);
            let subject = PaymentAlertSubjectJson {
                screening_id: screening.screening_id.clone(),
                message: screening.message.clone(),
                format: screening.format.clone(),
                message_id: screening.message_id.clone(),
                reference: screening.reference.clone(),
                field: hit.field.clone(),
                hit_kind: hit.kind.clone(),
                value: hit.value.clone(),
                rule: hit.rule.clone(),
                fields,
            };
            planned.push((
                position,
                NewPaymentAlert {
                    subject_key: key.clone(),
                    subject: serde_json::to_value(&subject).map_err(Error::internal)?,
                    entity_id: entity.clone(),
                    list_version: screening
                        .list_versions
                        .get(list)
                        .cloned()
                        .unwrap_or_default(),
                    score: hit.score,
                    matched_name: hit
                        .listed_name
                        .clone()
                        .or_else(|| hit.rule.clone())
                        .unwrap_or_default(),
                    explanation: hit.explanation.clone(),
                },
            ));
        }
    }
    let alerts: Vec<NewPaymentAlert> = planned.iter().map(|(_, a)| a.clone()).collect();
    let opened = store.open_payment_alerts(&alerts, actor).await?;
    for ((position, _), (alert_id, _)) in planned.iter().zip(opened) {
        if let Some(Ok(screening)) = outcomes.get_mut(*position)
            && !screening.alert_ids.contains(&alert_id)
        {
            screening.alert_ids.push(alert_id);
        }
    }
    Ok(())
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
    /// Absent in records made before jurisdiction rules had dates: the record's own day.
    #[serde(default)]
    screening_date: Option<NaiveDate>,
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

/// Re-screens the recorded payment (`payload`, the record's JSON, appended at
/// `recorded_at`) against its recorded list versions and the jurisdiction rules of its
/// screening date, and compares the result with the recorded one.
pub(crate) async fn replay(
    store: &Store,
    payload: &str,
    recorded_at: &str,
) -> Result<Replayed, Error> {
    let recorded: RecordedPayment = serde_json::from_str(payload)
        .map_err(|e| Error::internal(format!("payment record does not decode: {e}")))?;
    let date = match recorded.screening_date {
        Some(date) => date,
        None => chrono::DateTime::parse_from_rfc3339(recorded_at)
            .map_err(|e| Error::internal(format!("record time {recorded_at:?}: {e}")))?
            .date_naive(),
    };
    // The registry parties blocked through their owners on the screening date, with their
    // paths as they stood that day.
    let ownership_date = PartialDate::ymd(
        u16::try_from(date.year()).unwrap_or(1970),
        u8::try_from(date.month()).unwrap_or(1),
        u8::try_from(date.day()).unwrap_or(1),
    )
    .unwrap_or_else(crate::ownership::today);
    let all = all_recorded_entities(store, &recorded.list_versions).await?;
    let screenable = screenable(
        store,
        &recorded.list_versions,
        all.into_iter().map(Arc::unwrap_or_clone).collect(),
        ownership_date,
    )
    .await?;
    let ownership = screenable.ownership;
    let entities: Vec<Arc<Entity>> = screenable.entities.into_iter().map(Arc::new).collect();
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
                date,
            )
            .map(|mut screened| {
                attach_ownership(&mut screened, &ownership);
                screened
            }),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An MT103 to a beneficiary in Damascus, Syria.
    const TO_DAMASCUS: &str = "{1:F01BANKDEFFAXXX0000000000}{2:I103BANKUS33XXXXN}{4:
:20:REF-SY-0630
:23B:CRED
:32A:250630EUR1000,00
:50K:/DE89370400440532013000
JOHN SMITH
BERLIN
:59:/12345678
AHMAD TRADING
DAMASCUS SY
:71A:SHA
-}";

    fn day(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
    }

    fn syria_hits(screening: &PaymentScreeningJson) -> usize {
        screening
            .hits
            .iter()
            .filter(|h| h.rule.as_deref() == Some("OFAC-SY"))
            .count()
    }

    #[tokio::test]
    async fn jurisdiction_rules_apply_as_on_the_screening_date_and_on_replay() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("store.db");
        let store = Store::open(&path.to_string_lossy())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let active = ActiveLists::build(Vec::new(), BTreeMap::new());
        let input = [PaymentInput {
            name: "to-damascus.mt103".into(),
            bytes: TO_DAMASCUS.as_bytes().to_vec(),
        }];
        let screen_on = |date| {
            screen_inputs_on(&active, "test", &input, 0.7, date).unwrap_or_else(|e| panic!("{e}"))
        };

        // The day before EO 14312 took effect: stopped under OFAC's Syria programme.
        let before = record(&store, screen_on(day(2025, 6, 30)), PaymentAlerts::None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let Some(Ok(before)) = before.first() else {
            panic!("{before:?}")
        };
        assert_eq!(before.decision, "hit", "{before:?}");
        assert!(syria_hits(before) >= 1, "{before:?}");
        assert_eq!(before.screening_date, "2025-06-30");

        // From 1 July 2025 the programme no longer applies.
        let after = record(&store, screen_on(day(2025, 7, 1)), PaymentAlerts::None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let Some(Ok(after)) = after.first() else {
            panic!("{after:?}")
        };
        assert_eq!(syria_hits(after), 0, "{after:?}");
        assert_eq!(after.decision, "clear", "{after:?}");

        // Replayed today, each record gives the answer of its own screening date.
        for screening in [before, after] {
            let replayed = crate::screening::replay(&store, &screening.screening_id)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(replayed.identical, "{replayed:?}");
            assert_eq!(replayed.recorded_matches, screening.hits.len());
        }
    }
}
