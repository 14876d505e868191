//! The JSON contracts: one type per concept (a screening and its matches, an import, a list
//! version, a diff, an audit record, a monitoring run), the same for the command line's
//! `--json`, the HTTP API and webhook bodies. Kept apart from the model's types, so that the
//! public contract changes only when this file does; each is described in the OpenAPI
//! document.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use interdict_model::ListVersion;
use interdict_store::{
    Alert, AlertDetail, AuditBreak, AuditRecord, AuditVerification, Customer, DecisionRecord,
    KeyInfo, Proposal,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// A screening request: a name and what else is known about the party.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreenRequest {
    /// The name, in any script and order (not blank).
    #[schema(example = "Sergei Shoigu", pattern = r"\S")]
    pub name: String,
    /// Date of birth: `YYYY-MM-DD`, `YYYY`, `circa 1960`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "1955-05-21")]
    pub dob: Option<String>,
    /// Country or nationality, ISO code or name; several separated by `;`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "RU")]
    pub country: Option<String>,
    /// `person`, `organization`, `vessel`, `aircraft` or `any` (the default; so is empty).
    /// Synonyms such as `individual` or `company` are accepted too, in any case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = "^(person|organization|vessel|aircraft|any)?$")]
    pub schema: Option<String>,
    /// Minimum score of a match in [0, 1]; the engine's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub threshold: Option<f64>,
    /// At most this many matches (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// Identifiers of the party (at most 20): an exact match on a decisive one the list
    /// gives (passport, national or tax id, registration, IMO, MMSI, BIC, aircraft, wallet)
    /// finds the entity whatever its name and raises the score.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<IdentifierRequest>,
}

/// An identifier of a screened party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentifierRequest {
    /// `passport`, `national_id`, `tax_id`, `registration_number`, `imo`, `mmsi`,
    /// `swift_bic`, `aircraft_id`, or `crypto_address:<currency>` (e.g. `crypto_address:XBT`).
    #[schema(example = "passport")]
    pub kind: String,
    /// The value as written; compared on letters and digits, case-folded (wallets keep case).
    #[schema(example = "AB1234567")]
    pub value: String,
}

/// The query as the engine understood it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueryJson {
    /// The name, trimmed.
    pub name: String,
    /// The date of birth, normalised.
    pub dob: Option<String>,
    /// ISO 3166-1 alpha-2 codes.
    pub countries: Vec<String>,
    /// The schema screened: as given, or inferred (a date of birth, a gender or a patronymic
    /// make a person), or `any`.
    pub schema: String,
}

/// One match: the same fields as `interdict screen --json`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatchJson {
    /// `<list>:<source id>`.
    pub entity_id: String,
    /// The list id.
    pub list: String,
    /// `person`, `organization`, ...
    pub schema: String,
    /// The entity's primary name.
    pub name: String,
    /// The entity's name that matched best.
    pub matched_name: String,
    /// The query name.
    pub query_name: String,
    /// Score in [0, 1], rounded to 4 decimals.
    pub score: f64,
    /// Why it scored what it did: normalised names, token alignment, features.
    #[schema(value_type = Object)]
    pub explanation: Value,
    /// Present when the entity is on no list but blocked through its owners: basis
    /// `ownership`, the regimes, the share blocked owners hold and the paths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership: Option<crate::ownership::OwnershipHitJson>,
    /// The same party on other lists (linked by a UN reference number, or by a shared
    /// passport or other decisive identifier with agreeing names; never by name alone): one
    /// hit per party, led by its best-scoring record. Absent when listed once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_listed: Vec<AlsoListedJson>,
}

/// A record of the same party on another list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlsoListedJson {
    /// `<list>:<source id>`.
    pub entity_id: String,
    /// The list id.
    pub list: String,
    /// The record's primary name.
    pub name: String,
    /// Its score for the query, rounded to 4 decimals; null when it did not score at or
    /// above the threshold (it names the party all the same).
    pub score: Option<f64>,
    /// The record's name that matched; null when it was not matched.
    pub matched_name: Option<String>,
    /// Why it is the same party, e.g. `UN reference number TAi.002` or `passport P123456`.
    #[schema(example = "UN reference number TAi.002")]
    pub linked_by: String,
}

/// The result of one screening, as recorded in the audit trail.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScreenResponse {
    /// The audit record of this screening: `GET /v1/audit/{screening_id}`.
    pub screening_id: String,
    /// The query as understood.
    pub query: QueryJson,
    /// The threshold applied.
    pub threshold: f64,
    /// The exact list versions screened against: list id → version (SHA-256).
    pub list_versions: BTreeMap<String, String>,
    /// Matches, best first.
    pub matches: Vec<MatchJson>,
}

/// The results of a batch, in the order of the requests.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchResponse {
    /// One result per request.
    pub results: Vec<ScreenResponse>,
}

/// One version of a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListVersionJson {
    /// The list id, e.g. `ofac-sdn`.
    pub list: String,
    /// SHA-256 (hex) of the version's canonical content.
    pub version: String,
    /// The format it was parsed from.
    pub format: String,
    /// Number of entities.
    pub entities: usize,
    /// Number of names.
    pub names: usize,
    /// When it was imported (RFC 3339).
    pub imported_at: String,
    /// When the list was published, if known.
    pub published: Option<String>,
    /// Whether it is the list's active version.
    pub active: bool,
}

impl From<&ListVersion> for ListVersionJson {
    fn from(v: &ListVersion) -> Self {
        ListVersionJson {
            list: v.list.clone(),
            version: v.version.clone(),
            format: v.format.clone(),
            entities: v.entities,
            names: v.names,
            imported_at: v.imported_at.clone(),
            published: v.published.map(|d| d.to_string()),
            active: v.active,
        }
    }
}

/// A list with its versions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListJson {
    /// The list id.
    pub list: String,
    /// The active version.
    pub active_version: Option<String>,
    /// Entities in the active version.
    pub entities: Option<usize>,
    /// Every version, newest first.
    pub versions: Vec<ListVersionJson>,
}

/// An entity changed between two versions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangedJson {
    /// The entity id.
    pub id: String,
    /// The fields that changed.
    pub fields: Vec<String>,
}

/// How many entities (or relations) were added, removed, changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct DiffCounts {
    /// Added.
    pub added: usize,
    /// Removed.
    pub removed: usize,
    /// Changed.
    pub changed: usize,
}

/// What changed from one version to another: the shape of `interdict lists diff --json`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DiffJson {
    /// `list@version` of the older side.
    pub from: String,
    /// `list@version` of the newer side.
    pub to: String,
    /// Ids of added entities.
    pub added: Vec<String>,
    /// Ids of removed entities.
    pub removed: Vec<String>,
    /// Changed entities.
    pub changed: Vec<ChangedJson>,
    /// Counts.
    pub counts: DiffCounts,
    /// The ownership and control relations added, removed and changed, when either version
    /// holds any; absent for lists of entities only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relations: Option<RelationDiffJson>,
}

/// One ownership or control relation as a diff shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RelationJson {
    /// The relation's id, `<list>:<source id>`.
    #[schema(example = "registry:ofac-sdn:35391>volga-media:ownership@2019-04-01")]
    pub id: String,
    /// The holder's entity id.
    #[schema(example = "ofac-sdn:35391")]
    pub owner: String,
    /// The holder's name, where the store has its record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_name: Option<String>,
    /// The held entity's id.
    #[schema(example = "registry:volga-media")]
    pub asset: String,
    /// The held entity's name, where the store has its record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_name: Option<String>,
    /// `ownership` or `control`.
    pub kind: String,
    /// The stake as the source gives it (`60%`, a range `25-50%`); absent for control.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "60%")]
    pub percentage: Option<String>,
    /// The stake's conservative (upper) bound, 0–1; absent for control.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// Its lower bound, 0–1: below `share` when the source gives a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_low: Option<f64>,
    /// When it began, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// When it ended, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// The role as the source words it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Held under a joint arrangement.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub joint: bool,
}

impl RelationJson {
    /// The value of one of its terms as a diff names them (`percentage`, `start`, `end`,
    /// `kind`, `role`, `joint`, `owner`, `asset`); `None` when the term is unset or unknown.
    pub fn term(&self, field: &str) -> Option<String> {
        match field {
            "percentage" => self.percentage.clone(),
            "start" => self.start.clone(),
            "end" => self.end.clone(),
            "kind" => Some(self.kind.clone()),
            "role" => self.role.clone(),
            "joint" => Some(if self.joint { "joint" } else { "not joint" }.to_owned()),
            "owner" => Some(self.owner.clone()),
            "asset" => Some(self.asset.clone()),
            _ => None,
        }
    }
}

/// A relation in both versions whose terms differ, before and after.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RelationChangeJson {
    /// What changed: `percentage`, `start`, `end`, `kind`, `role`, `joint`, `owner` or
    /// `asset`, in that order.
    pub fields: Vec<String>,
    /// The relation in the older version.
    pub old: RelationJson,
    /// The relation in the newer version.
    pub new: RelationJson,
}

/// The ownership and control relations that changed from one version to another. A
/// relation is the same one in both when its id is, or, failing that, when it is the only
/// relation of its owner, asset and kind (then of its owner and asset) removed and the only
/// one added: an edges CSV keys a row by its start date, so a corrected date is a change,
/// not a removal and an addition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct RelationDiffJson {
    /// Relations only in the newer version.
    pub added: Vec<RelationJson>,
    /// Relations only in the older version.
    pub removed: Vec<RelationJson>,
    /// Relations in both whose terms differ.
    pub changed: Vec<RelationChangeJson>,
    /// How many were added, removed and changed.
    pub counts: DiffCounts,
}

/// What an import did: the shape of `interdict lists import --json` and of
/// `POST /v1/lists/import`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    /// The list id.
    pub list: String,
    /// The version imported (SHA-256 of its content).
    pub version: String,
    /// The format parsed.
    pub format: String,
    /// Entities in the version.
    pub entities: usize,
    /// Names in the version.
    pub names: usize,
    /// Ownership and control relations in the version, when it holds any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relations: Option<usize>,
    /// The publication date, if known.
    pub published: Option<String>,
    /// The text encoding the file was read in (`UTF-8`, `windows-1252`), where the format
    /// is text.
    pub encoding: Option<String>,
    /// The content was already stored.
    pub unchanged: bool,
    /// The active version changed to this one.
    pub activated: bool,
    /// This version is the list's active one now.
    pub active: bool,
    /// The version that was active before, if any.
    pub previous_active: Option<String>,
    /// Why the version was stored but not activated (published earlier than the active
    /// one, or removing too many of its entities), if it was not: the facts only.
    pub kept_inactive: Option<String>,
    /// What overrides `kept_inactive`, when set: the facts a front-end turns into its own
    /// hint (a command-line flag, a request parameter, a checkbox).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overridden_by: Option<ImportOverride>,
    /// The shrink check's figures, when it kept the version inactive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shrink: Option<ShrinkJson>,
    /// How to activate the version anyway, in the words of the front-end that answered (the
    /// API names its request parameter); absent where nothing was kept inactive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Set when this version replaced the active one without both publication dates known:
    /// the later import was taken as the later list. Says which date is missing.
    pub ordered_by_import: Option<String>,
    /// The audit record of the import.
    pub audit_id: String,
    /// Entities in the index that now serves screenings (service only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_entities: Option<usize>,
}

/// What overrides a check that kept an imported version inactive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportOverride {
    /// Activating the version (or importing it with `activate`): it was published before
    /// the active one.
    Activate,
    /// Importing it with `allow_shrink`: it removes too much of the active version.
    AllowShrink,
}

/// Why the shrink check kept a version inactive: how much of the active version it removes.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ShrinkJson {
    /// What it removes: `entities` or `relations`.
    pub records: String,
    /// How many the active version holds.
    pub active_count: usize,
    /// How many of those the imported version holds too.
    pub kept_count: usize,
    /// How many of those the imported version lacks.
    pub removed: usize,
    /// `removed / active_count`.
    pub share: f64,
    /// The largest share an import may remove unchallenged.
    pub max_share: f64,
    /// The active version.
    pub active_version: String,
}

/// A stored audit record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditRecordJson {
    /// Position in the chain.
    pub seq: u64,
    /// The record id (a `screening_id` for screenings).
    pub id: String,
    /// `screening`, `import`, `activation` or `key`.
    pub kind: String,
    /// When (RFC 3339 UTC).
    pub recorded_at: String,
    /// The API key id or `cli:<user>`.
    pub actor: String,
    /// What happened. For a screening: `request`, `query`, `list_versions`, `engine`,
    /// `threshold`, `limit`, `result`.
    #[schema(value_type = Object)]
    pub payload: Value,
    /// The previous record's hash.
    pub prev_hash: String,
    /// This record's hash.
    pub hash: String,
}

impl AuditRecordJson {
    /// The API form of a stored record.
    pub fn from_record(record: &AuditRecord) -> Result<Self, interdict_store::Error> {
        Ok(AuditRecordJson {
            seq: record.seq,
            id: record.id.clone(),
            kind: record.kind.clone(),
            recorded_at: record.recorded_at.clone(),
            actor: record.actor.clone(),
            payload: record.payload_value()?,
            prev_hash: record.prev_hash.clone(),
            hash: record.hash.clone(),
        })
    }
}

/// A page of exported audit records.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditExportJson {
    /// The records, in chain order.
    pub records: Vec<AuditRecordJson>,
    /// Pass as `after` for the next page; null when this page is the last.
    pub next_after: Option<u64>,
}

/// Parses a time bound of an audit range: RFC 3339, or `YYYY-MM-DD` meaning its midnight
/// UTC. The message says what was expected.
pub fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|date| date.and_time(NaiveTime::MIN).and_utc())
        .map_err(|_| format!("{text:?} is neither an RFC 3339 time nor YYYY-MM-DD"))
}

/// Where the chain is first broken.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditBreakJson {
    /// The sequence number of the first bad or missing record.
    pub seq: u64,
    /// Its id, when it is there.
    pub id: Option<String>,
    /// What is wrong.
    pub reason: String,
}

/// The outcome of verifying the whole chain.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VerifyResponse {
    /// Whether every record is intact and in place.
    pub intact: bool,
    /// Records read.
    pub records: u64,
    /// The head's sequence number.
    pub head_seq: u64,
    /// The head's hash, to anchor elsewhere.
    pub head_hash: String,
    /// Records written before the store had an audit key (plain SHA-256 hashes).
    pub unkeyed_records: u64,
    /// Signed checkpoints the chain was found to match.
    pub checkpoints_matched: u64,
    /// The first break, if any.
    pub first_break: Option<AuditBreakJson>,
}

impl From<AuditVerification> for VerifyResponse {
    fn from(v: AuditVerification) -> Self {
        VerifyResponse {
            intact: v.is_intact(),
            records: v.records,
            head_seq: v.head_seq,
            head_hash: v.head_hash,
            unkeyed_records: v.unkeyed_records,
            checkpoints_matched: v.checkpoints_matched,
            first_break: v
                .first_break
                .map(|AuditBreak { seq, id, reason }| AuditBreakJson { seq, id, reason }),
        }
    }
}

/// A request for a new API key.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateKeyRequest {
    /// `screener`, `analyst`, `reviewer` or `admin` (accepted in any case).
    #[schema(pattern = "^(screener|analyst|reviewer|admin)$")]
    pub role: String,
    /// What the key is for.
    #[serde(default)]
    pub name: String,
}

/// An API key, without its secret.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KeyJson {
    /// The public id.
    pub id: String,
    /// What it is for.
    pub name: String,
    /// Its role.
    pub role: String,
    /// When it was created.
    pub created_at: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

impl From<&KeyInfo> for KeyJson {
    fn from(k: &KeyInfo) -> Self {
        KeyJson {
            id: k.id.clone(),
            name: k.name.clone(),
            role: k.role.as_str().to_owned(),
            created_at: k.created_at.clone(),
            revoked_at: k.revoked_at.clone(),
        }
    }
}

/// A new key: the only response that ever shows its secret.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedKeyJson {
    /// The public id.
    pub id: String,
    /// The key to send as `Authorization: Bearer KEY`; it cannot be shown again.
    pub key: String,
    /// Its role.
    pub role: String,
    /// What it is for.
    pub name: String,
}

/// The outcome of re-running a recorded screening against its recorded list versions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReplayResponse {
    /// The screening replayed.
    pub screening_id: String,
    /// Whether the result is identical to the recorded one.
    pub identical: bool,
    /// The engine version that recorded it.
    pub recorded_engine: String,
    /// The engine version that replayed it.
    pub replay_engine: String,
    /// The list versions used.
    pub list_versions: BTreeMap<String, String>,
    /// Matches recorded.
    pub recorded_matches: usize,
    /// Matches found now.
    pub replayed_matches: usize,
}

/// Liveness and readiness.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HealthJson {
    /// `ok` or `ready`.
    pub status: String,
    /// Entities in the index, when it is loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entities: Option<usize>,
    /// Active list versions in the index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_versions: Option<BTreeMap<String, String>>,
}

/// What a monitoring run did: the shape of `interdict monitor run --json` and of
/// `POST /v1/monitor/run`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonitorReport {
    /// `full` or `delta`.
    pub mode: String,
    /// New and changed customers screened against the active lists (every customer in a
    /// full run).
    pub screened_customers: usize,
    /// Added and changed entities screened against the rest of the portfolio (every active
    /// entity in a full run).
    pub screened_entities: usize,
    /// New alerts, and decided or closed pairs opened again.
    pub alerts_created: usize,
    /// Of those, pairs opened again.
    pub alerts_reraised: usize,
    /// Open alerts whose evidence changed.
    pub alerts_refreshed: usize,
    /// Open alerts closed (entity delisted, customer removed).
    pub alerts_closed: usize,
    /// Hits on decided pairs with both sides unchanged.
    pub suppressed: usize,
    /// Hits on alerts already open.
    pub already_open: usize,
    /// Entities whose reverse lookup hit its cap (run a full run to be sure).
    pub saturated: Vec<String>,
    /// How long the run took.
    pub seconds: f64,
}

/// An approved decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionJson {
    /// `true_match` or `false_positive`.
    pub decision: String,
    /// The analyst's note.
    pub note: String,
    /// Who proposed it (key id).
    pub decided_by: String,
    /// Who approved it (key id).
    pub approved_by: String,
    /// When it was approved.
    pub decided_at: String,
}

/// A proposed decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProposalJson {
    /// Its id.
    pub id: i64,
    /// `true_match` or `false_positive`.
    pub decision: String,
    /// The analyst's note.
    pub note: String,
    /// Who proposed it.
    pub proposed_by: String,
    /// When.
    pub proposed_at: String,
    /// `pending`, `approved`, `rejected` or `superseded`.
    pub state: String,
    /// Who reviewed it.
    pub reviewed_by: Option<String>,
    /// When it was reviewed.
    pub reviewed_at: Option<String>,
    /// The reviewer's note.
    pub review_note: Option<String>,
}

/// What an alert is about: a customer of the portfolio, or a screened payment message.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AlertSubjectJson {
    /// `customer` or `payment`.
    pub kind: String,
    /// For a payment alert, the message and the field that hit.
    #[schema(value_type = Option<PaymentAlertSubjectJson>)]
    pub payment: Option<Value>,
}

/// The payment an alert is about: the message, the screening that raised the alert, and the
/// field and value that hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PaymentAlertSubjectJson {
    /// The screening (audit record) that opened the alert.
    pub screening_id: String,
    /// The message's name when it was screened (file or upload name).
    pub message: String,
    /// `pacs.008.001.08`, `MT103`, `MT202 COV`, ...
    pub format: String,
    /// The sender's message id (`GrpHdr/MsgId`, `:20:`).
    pub message_id: Option<String>,
    /// The payment's reference (UETR, `EndToEndId`, `:21:`).
    pub reference: Option<String>,
    /// The field path that hit (`Cdtr/Nm`, `:59:`); the strongest of the entity's hits.
    pub field: String,
    /// `name`, `bic`, `imo`, `crypto_address`, `identifier` or `jurisdiction`.
    pub hit_kind: String,
    /// The value as found in the message.
    pub value: String,
    /// The jurisdiction rule, for a jurisdiction alert.
    pub rule: Option<String>,
    /// Every field of the message that hit the same entity or rule.
    pub fields: Vec<String>,
}

/// An alert.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlertJson {
    /// Its id.
    pub id: i64,
    /// The customer id; for a payment alert, the message's key
    /// (`payment:<format>/<message id>/<reference>`).
    pub customer_id: String,
    /// What it is about.
    pub subject: AlertSubjectJson,
    /// The listed entity id.
    pub entity_id: String,
    /// The entity's list.
    pub list: String,
    /// The list version it was last screened in.
    pub list_version: String,
    /// The score in [0, 1].
    pub score: f64,
    /// `open`, `escalated`, `true_match`, `false_positive` or `closed`.
    pub status: String,
    /// `new_customer`, `customer_changed`, `list_update`, `entity_changed`, `rescreen`,
    /// `delisted`, `customer_removed` or `payment_hit`.
    pub reason: String,
    /// The entity's name that matched.
    pub matched_name: String,
    /// When it was created.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
    /// Its decision, when decided.
    pub decision: Option<DecisionJson>,
    /// The decision the pair had before it was raised again.
    pub previous_decision: Option<DecisionJson>,
    /// The decision waiting for approval.
    pub pending: Option<ProposalJson>,
}

/// One entry of an alert's history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlertEventJson {
    /// Its id (the `event_id` of webhook notifications).
    pub id: i64,
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What: `created`, `reraised`, `proposed`, `approved`, ...
    pub action: String,
    /// The alert's status after it.
    pub status: String,
    /// A note.
    pub note: Option<String>,
    /// Details.
    pub detail: Value,
}

/// A customer of the portfolio as monitoring screens it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CustomerJson {
    /// The bank's customer id.
    pub id: String,
    /// The name.
    pub name: String,
    /// The date of birth, normalised.
    pub dob: Option<String>,
    /// ISO 3166-1 alpha-2 codes.
    pub countries: Vec<String>,
    /// The schema, when the bank gave one.
    pub schema: Option<String>,
}

/// An alert with its explanation, history and proposals: the shape of `GET
/// /v1/alerts/{id}` and `interdict alerts show --json`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlertDetailJson {
    /// The alert.
    #[serde(flatten)]
    pub alert: AlertJson,
    /// The customer, unless removed from the portfolio since.
    pub customer: Option<CustomerJson>,
    /// The listed entity's primary name, when the store still has it.
    pub entity_name: Option<String>,
    /// Why it scored what it did.
    pub explanation: Value,
    /// Its history, oldest first.
    pub history: Vec<AlertEventJson>,
    /// Every decision proposed on it.
    pub proposals: Vec<ProposalJson>,
    /// The same party on the other active lists: the alert is raised once per party, on one
    /// of its records. Absent when the party is listed once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_listed: Vec<AlsoListedJson>,
    /// The same customer's (or payment's) other alerts on records of the same party
    /// (`also_listed`): raised before alerts were grouped by party, or each on another list's
    /// record. Each is decided on its own (four eyes), so decide them alike. Absent when there
    /// are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related_alerts: Vec<RelatedAlertJson>,
}

/// Another alert of the same customer on a record of the same party.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RelatedAlertJson {
    /// Its id.
    pub id: i64,
    /// The record it is about, on another list.
    pub entity_id: String,
    /// That record's list.
    pub list: String,
    /// `open`, `escalated`, `true_match`, `false_positive` or `closed`.
    pub status: String,
    /// It waits for a decision (open or escalated).
    pub undecided: bool,
    /// A decision proposed on it waits for approval.
    pub awaiting_approval: bool,
}

impl From<&Alert> for RelatedAlertJson {
    fn from(a: &Alert) -> Self {
        RelatedAlertJson {
            id: a.id,
            entity_id: a.entity_id.clone(),
            list: a.list.clone(),
            status: a.status.as_str().to_owned(),
            undecided: a.status.is_open(),
            awaiting_approval: a.pending.is_some(),
        }
    }
}

impl From<&DecisionRecord> for DecisionJson {
    fn from(d: &DecisionRecord) -> Self {
        DecisionJson {
            decision: d.status.as_str().to_owned(),
            note: d.note.clone(),
            decided_by: d.decided_by.clone(),
            approved_by: d.approved_by.clone(),
            decided_at: d.decided_at.clone(),
        }
    }
}

impl From<&Proposal> for ProposalJson {
    fn from(p: &Proposal) -> Self {
        ProposalJson {
            id: p.id,
            decision: p.decision.status().as_str().to_owned(),
            note: p.note.clone(),
            proposed_by: p.proposed_by.clone(),
            proposed_at: p.proposed_at.clone(),
            state: p.state.as_str().to_owned(),
            reviewed_by: p.reviewed_by.clone(),
            reviewed_at: p.reviewed_at.clone(),
            review_note: p.review_note.clone(),
        }
    }
}

impl From<&Alert> for AlertJson {
    fn from(a: &Alert) -> Self {
        AlertJson {
            id: a.id,
            customer_id: a.customer_id.clone(),
            subject: AlertSubjectJson {
                kind: a.subject_kind.as_str().to_owned(),
                payment: a.subject.clone(),
            },
            entity_id: a.entity_id.clone(),
            list: a.list.clone(),
            list_version: a.list_version.clone(),
            score: a.score,
            status: a.status.as_str().to_owned(),
            reason: a.reason.as_str().to_owned(),
            matched_name: a.matched_name.clone(),
            created_at: a.created_at.clone(),
            updated_at: a.updated_at.clone(),
            decision: a.decision.as_ref().map(DecisionJson::from),
            previous_decision: a.previous_decision.as_ref().map(DecisionJson::from),
            pending: a.pending.as_ref().map(ProposalJson::from),
        }
    }
}

impl AlertDetailJson {
    /// An alert's detail, with its customer and entity's name where the store has them.
    pub fn new(d: &AlertDetail, customer: Option<&Customer>, entity_name: Option<String>) -> Self {
        AlertDetailJson {
            alert: AlertJson::from(&d.alert),
            customer: customer.map(|c| CustomerJson {
                id: c.id.clone(),
                name: c.name.clone(),
                dob: c.dob.map(|d| d.to_string()),
                countries: c.countries.iter().map(ToString::to_string).collect(),
                schema: c.schema.map(|s| s.as_str().to_owned()),
            }),
            entity_name,
            explanation: d.explanation.clone(),
            history: d
                .history
                .iter()
                .map(|e| AlertEventJson {
                    id: e.id,
                    at: e.at.clone(),
                    actor: e.actor.clone(),
                    action: e.action.clone(),
                    status: e.status.as_str().to_owned(),
                    note: e.note.clone(),
                    detail: e.detail.clone(),
                })
                .collect(),
            proposals: d.proposals.iter().map(ProposalJson::from).collect(),
            also_listed: Vec::new(),
            related_alerts: Vec::new(),
        }
    }
}

/// One reason to stop a payment: a value of a field of the message, what it matched and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PaymentHitJson {
    /// The field path of the value (`Cdtr/Nm`, `CdtrAgt/FinInstnId/BICFI`, `:59:`, ...).
    pub field: String,
    /// `name`, `bic`, `imo`, `crypto_address`, `identifier` or `jurisdiction`.
    pub kind: String,
    /// The value as found in the message.
    pub value: String,
    /// The listed entity, for hits on lists.
    pub entity_id: Option<String>,
    /// Its primary name.
    pub listed_name: Option<String>,
    /// What matched as listed: the name, the BIC, the address.
    pub listed_value: Option<String>,
    /// The jurisdiction rule, for jurisdiction hits (`OFAC-IR`).
    pub rule: Option<String>,
    /// Score in [0, 1].
    pub score: f64,
    /// Why: a name match's explanation (normalised names, tokens, features), or a sentence.
    #[schema(value_type = Object)]
    pub explanation: Value,
    /// The line of the input the value is on.
    pub line: usize,
    /// For a party on no list but blocked through its owners (a registry company): basis
    /// `ownership`, the regimes, the share blocked owners hold and the paths, as on a
    /// screening's match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership: Option<crate::ownership::OwnershipHitJson>,
}

/// The screening of one payment message: the shape of `interdict payments screen --json` and
/// of `POST /v1/screen/payment`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PaymentScreeningJson {
    /// The audit record of this screening (replayable).
    pub screening_id: String,
    /// The message's name: the file or upload name, `#n` within a batch.
    pub message: String,
    /// `pacs.008.001.08`, `MT103`, `MT202 COV`, ...
    pub format: String,
    /// The sender's message id (`GrpHdr/MsgId`, `:20:`).
    pub message_id: Option<String>,
    /// The payment's reference (UETR, `EndToEndId`, `:21:`).
    pub reference: Option<String>,
    /// `hit` (stop and review) or `clear`.
    pub decision: String,
    /// The name threshold applied.
    pub threshold: f64,
    /// The exact list versions screened against.
    pub list_versions: BTreeMap<String, String>,
    /// The day whose jurisdiction rules applied (`YYYY-MM-DD`, UTC): the screening's, and on
    /// replay the recorded one.
    pub screening_date: String,
    /// Every hit.
    pub hits: Vec<PaymentHitJson>,
    /// The alerts this message has, when alerts were asked for (opened now, or found from an
    /// earlier screening of the same message).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alert_ids: Vec<i64>,
}

/// A document to scan for listed parties: `POST /v1/scan` and each line of
/// `interdict scan --input`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScanRequest {
    /// The text (UTF-8): news, a memo, remittance information, a bill of lading.
    pub text: String,
    /// The caller's id for the document, echoed in the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Minimum score of a mention in [0, 1] (default 0.7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub threshold: Option<f64>,
    /// Most mentions reported (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
    /// Only these lists (e.g. `ofac-sdn`); all when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lists: Option<Vec<String>>,
}

/// A listed party found in a document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MentionJson {
    /// Byte offset of the mention in the document's UTF-8 text.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// The mention as written.
    pub text: String,
    /// The listed entity.
    pub entity_id: String,
    /// Its primary name.
    pub listed_name: String,
    /// Score in [0, 1].
    pub score: f64,
    /// How it was found (`name`, `short_form`, `linked_surname`, `titled_surname`,
    /// `name_in_context`, `identifier`), why it counts, and the name match's explanation.
    #[schema(value_type = Object)]
    pub explanation: Value,
}

/// The mentions found in one document, as recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScanResponse {
    /// The audit record of this scan (replayable).
    pub scan_id: String,
    /// The caller's id for the document, or the file name.
    pub id: Option<String>,
    /// The threshold applied.
    pub threshold: f64,
    /// The exact list versions scanned against.
    pub list_versions: BTreeMap<String, String>,
    /// The mentions, in text order.
    pub mentions: Vec<MentionJson>,
}
