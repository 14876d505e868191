//! Free-text screening: documents (news, memos, remittance text, trade documents) scanned
//! for mentions of every name and alias of every active list, each scan recorded in the
//! audit trail before it is answered, and replayable like a screening.

use std::collections::BTreeMap;
use std::sync::Arc;

use interdict_matching::{Index, Mention, ScanOptions, Scanner};
use interdict_store::{AuditKind, NewAuditRecord, Store};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::contract::{MentionJson, ScanRequest, ScanResponse};
use crate::screening::{ENGINE_VERSION, Replayed, check_limit, check_threshold, recorded_entities};
use crate::{ActiveLists, Error};

/// Most mentions per document by default.
pub const DEFAULT_LIMIT: usize = 100;

/// How much one scan may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanLimits {
    /// Longest document, in bytes.
    pub max_text_bytes: usize,
    /// Most mentions per document.
    pub max_mentions: usize,
}

impl Default for ScanLimits {
    fn default() -> Self {
        ScanLimits {
            max_text_bytes: 16 * 1024 * 1024,
            max_mentions: 1000,
        }
    }
}

/// A validated scan: the document and how to scan it. [`Scan::new`] is the only way to
/// build one, so every recorded scan can be replayed.
#[derive(Debug, Clone)]
pub struct Scan {
    request: ScanRequest,
    options: ScanOptions,
}

impl Scan {
    /// Validates `request`, naming the field at fault (`prefix` locates it in a batch).
    pub fn new(request: ScanRequest, limits: ScanLimits, prefix: &str) -> Result<Scan, Error> {
        let field = |name: &str| format!("{prefix}{name}");
        if request.text.len() > limits.max_text_bytes {
            return Err(Error::invalid(
                field("text"),
                format!(
                    "the text has {} bytes; at most {} are accepted",
                    request.text.len(),
                    limits.max_text_bytes
                ),
            ));
        }
        let threshold = check_threshold(request.threshold, &field("threshold"))?;
        let limit = check_limit(
            request.limit.unwrap_or(DEFAULT_LIMIT),
            limits.max_mentions,
            &field("limit"),
        )?;
        let lists = request.lists.clone().unwrap_or_default();
        for list in &lists {
            crate::lists::check_list_id(list).map_err(|e| match e {
                Error::InvalidField { message, .. } => Error::invalid(field("lists"), message),
                other => other,
            })?;
        }
        Ok(Scan {
            request,
            options: ScanOptions {
                threshold,
                limit,
                lists,
            },
        })
    }

    /// The request as received.
    pub fn request(&self) -> &ScanRequest {
        &self.request
    }
}

/// One mention as JSON: byte offsets into the document's UTF-8 text.
pub fn mention_json(mention: &Mention) -> Result<MentionJson, Error> {
    Ok(MentionJson {
        start: mention.start,
        end: mention.end,
        text: mention.text.clone(),
        entity_id: mention.entity_id.to_string(),
        listed_name: mention.listed_name.clone(),
        score: (mention.score * 10_000.0).round() / 10_000.0,
        explanation: serde_json::to_value(&mention.explanation).map_err(Error::internal)?,
    })
}

fn mentions_json(mentions: &[Mention]) -> Result<Vec<MentionJson>, Error> {
    mentions.iter().map(mention_json).collect()
}

/// Scans every document against the active lists, spread over the current rayon pool's
/// threads (CPU work: run it off the async workers).
pub fn scan_all(active: &ActiveLists, scans: &[Scan]) -> Vec<Vec<Mention>> {
    use rayon::prelude::*;
    let scanner = active.scanner();
    scans
        .par_iter()
        .map(|scan| scanner.scan(&scan.request.text, &scan.options))
        .collect()
}

/// Records scans and their mentions by `actor` against `versions` in one audit append (all
/// or none) and answers them in order, each with its `scan_id`. Nothing is answered that is
/// not on record.
pub async fn record(
    store: &Store,
    actor: &str,
    versions: &BTreeMap<String, String>,
    scans: &[Scan],
    results: &[Vec<Mention>],
) -> Result<Vec<ScanResponse>, Error> {
    let mut records = Vec::with_capacity(scans.len());
    let mut responses = Vec::with_capacity(scans.len());
    for (scan, mentions) in scans.iter().zip(results) {
        let mentions = mentions_json(mentions)?;
        records.push(NewAuditRecord {
            kind: AuditKind::Scan,
            actor: actor.to_owned(),
            payload: json!({
                "request": scan.request,
                "list_versions": versions,
                "engine": { "name": "interdict", "version": ENGINE_VERSION },
                "threshold": scan.options.threshold,
                "limit": scan.options.limit,
                "result": { "mentions": mentions },
            }),
        });
        responses.push(ScanResponse {
            scan_id: String::new(),
            id: scan.request.id.clone(),
            threshold: scan.options.threshold,
            list_versions: versions.clone(),
            mentions,
        });
    }
    let stored = store.append_audit_all(records).await?;
    for (response, record) in responses.iter_mut().zip(stored) {
        response.scan_id = record.id;
    }
    Ok(responses)
}

#[derive(Deserialize)]
struct RecordedScan {
    request: ScanRequest,
    list_versions: BTreeMap<String, String>,
    engine: RecordedEngine,
    result: Value,
}

#[derive(Deserialize)]
struct RecordedEngine {
    version: String,
}

/// Re-scans the recorded document against its recorded list versions and compares.
pub(crate) async fn replay(store: &Store, payload: &str) -> Result<Replayed, Error> {
    let recorded: RecordedScan = serde_json::from_str(payload)
        .map_err(|e| Error::internal(format!("scan record does not decode: {e}")))?;
    let scan = Scan::new(
        recorded.request,
        ScanLimits {
            max_text_bytes: usize::MAX,
            max_mentions: usize::MAX,
        },
        "request.",
    )?;
    let entities = recorded_entities(store, &recorded.list_versions).await?;
    let mentions = tokio::task::spawn_blocking(move || {
        let scanner = Scanner::new(Arc::new(Index::build(entities)));
        scanner.scan(&scan.request.text, &scan.options)
    })
    .await?;
    let replayed = json!({ "mentions": mentions_json(&mentions)? });
    Ok(Replayed {
        identical: replayed == recorded.result,
        recorded_results: recorded.result["mentions"].as_array().map_or(0, Vec::len),
        replayed_results: mentions.len(),
        list_versions: recorded.list_versions,
        recorded_engine: recorded.engine.version,
    })
}
