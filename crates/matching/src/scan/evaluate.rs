//! Scoring a scan against labelled texts: recall per variant, clean texts with a mention,
//! and mentions on trap words. Pure: the caller reads the files and runs the scan (the
//! `scan_eval` example and `interdict eval scan DIR` do).

use std::fmt;

use hashbrown::HashSet;
use serde::Serialize;

use super::Mention;

/// A party a text must be found to mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The document's id.
    pub document: String,
    /// The mention as written in the document.
    pub mention_text: String,
    /// The entity's source id on the labelled list (the OFAC `ent_num`).
    pub source_id: String,
    /// How the name is written (`listed`, `first_last`, `translit`, ...).
    pub variant: String,
}

/// Text in a document that must not be reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    /// The document's id.
    pub document: String,
    /// The trap as written in the document.
    pub text: String,
    /// What kind of trap (`single_token_alias`, `famous_person`, ...).
    pub kind: String,
}

/// One scanned document.
#[derive(Debug, Clone)]
pub struct EvaluatedDocument {
    /// Its id.
    pub id: String,
    /// Its text.
    pub text: String,
    /// What the scan reported.
    pub mentions: Vec<Mention>,
}

/// Recall on the labels of one variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantRecall {
    /// The variant.
    pub variant: String,
    /// Labels found.
    pub found: usize,
    /// Labels.
    pub total: usize,
    /// `found / total`.
    pub recall: f64,
}

/// A label the scan did not find, or a mention it should not have made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvaluationItem {
    /// The document.
    pub document: String,
    /// The text concerned (label, trap or mention).
    pub text: String,
    /// The variant, trap kind or reported entity.
    pub note: String,
}

/// The outcome of [`evaluate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanEvaluation {
    /// Documents scored.
    pub documents: usize,
    /// Labels found.
    pub found: usize,
    /// Labels.
    pub labels: usize,
    /// `found / labels`.
    pub recall: f64,
    /// Recall per variant, by variant name.
    pub variants: Vec<VariantRecall>,
    /// Documents with no label.
    pub clean_documents: usize,
    /// Clean documents with at least one mention.
    pub clean_with_mentions: usize,
    /// Traps overlapped by a mention.
    pub trap_hits: Vec<EvaluationItem>,
    /// Traps.
    pub traps: usize,
    /// Labels not found.
    pub missed: Vec<EvaluationItem>,
    /// Mentions of entities no label names in their document (clean documents included).
    pub unexpected: Vec<EvaluationItem>,
}

/// Which half of a labelled set a document falls in (0 or 1), by the parity of the digits
/// in its id: one half to tune on, the other held apart.
pub fn split_half(document_id: &str) -> usize {
    document_id
        .chars()
        .rev()
        .find_map(|c| c.to_digit(10))
        .map_or(0, |digit| (digit % 2) as usize)
}

/// Scores scanned `documents` against `labels` and `traps`. A label is found when a
/// mention in its document reports its entity (`list:source_id`, `list` being the list
/// the labels' source ids belong to, e.g. `ofac-sdn`); a trap is hit when a mention
/// overlaps its text.
pub fn evaluate(
    documents: &[EvaluatedDocument],
    labels: &[Label],
    traps: &[Trap],
    list: &str,
) -> ScanEvaluation {
    let labelled: HashSet<&str> = labels.iter().map(|l| l.document.as_str()).collect();
    let mut variants: Vec<VariantRecall> = Vec::new();
    let mut missed = Vec::new();
    let mut found = 0;
    for label in labels {
        let hit = documents
            .iter()
            .filter(|d| d.id == label.document)
            .flat_map(|d| &d.mentions)
            .any(|m| m.entity_id.list() == list && m.entity_id.source_id() == label.source_id);
        let position = match variants.iter().position(|v| v.variant == label.variant) {
            Some(position) => position,
            None => {
                variants.push(VariantRecall {
                    variant: label.variant.clone(),
                    found: 0,
                    total: 0,
                    recall: 0.0,
                });
                variants.len() - 1
            }
        };
        if let Some(variant) = variants.get_mut(position) {
            variant.total += 1;
            variant.found += usize::from(hit);
        }
        if hit {
            found += 1;
        } else {
            missed.push(EvaluationItem {
                document: label.document.clone(),
                text: label.mention_text.clone(),
                note: format!("{} ({}:{})", label.variant, list, label.source_id),
            });
        }
    }
    for variant in &mut variants {
        variant.recall = ratio(variant.found, variant.total);
    }
    variants.sort_by(|a, b| a.variant.cmp(&b.variant));

    let mut trap_hits = Vec::new();
    for trap in traps {
        let Some(document) = documents.iter().find(|d| d.id == trap.document) else {
            continue;
        };
        let spans: Vec<(usize, usize)> = document
            .text
            .match_indices(trap.text.as_str())
            .map(|(start, text)| (start, start + text.len()))
            .collect();
        for mention in &document.mentions {
            if spans
                .iter()
                .any(|&(start, end)| mention.start < end && start < mention.end)
            {
                trap_hits.push(EvaluationItem {
                    document: trap.document.clone(),
                    text: trap.text.clone(),
                    note: format!("{}: {:?} -> {}", trap.kind, mention.text, mention.entity_id),
                });
            }
        }
    }

    let mut unexpected = Vec::new();
    let mut clean_with_mentions = 0;
    for document in documents {
        if !labelled.contains(document.id.as_str()) && !document.mentions.is_empty() {
            clean_with_mentions += 1;
        }
        for mention in &document.mentions {
            let expected = labels.iter().any(|l| {
                l.document == document.id
                    && mention.entity_id.list() == list
                    && mention.entity_id.source_id() == l.source_id
            });
            if !expected {
                unexpected.push(EvaluationItem {
                    document: document.id.clone(),
                    text: mention.text.clone(),
                    note: format!(
                        "{} {:?} {:.3}",
                        mention.entity_id, mention.listed_name, mention.score
                    ),
                });
            }
        }
    }
    ScanEvaluation {
        documents: documents.len(),
        found,
        labels: labels.len(),
        recall: ratio(found, labels.len()),
        variants,
        clean_documents: documents.len() - labelled.len().min(documents.len()),
        clean_with_mentions,
        trap_hits,
        traps: traps.len(),
        missed,
        unexpected,
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

impl fmt::Display for ScanEvaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "recall {}/{} = {:.1}% over {} documents",
            self.found,
            self.labels,
            100.0 * self.recall,
            self.documents
        )?;
        for variant in &self.variants {
            writeln!(
                f,
                "  {:<12} {:>3}/{:<3} {:>6.1}%",
                variant.variant,
                variant.found,
                variant.total,
                100.0 * variant.recall
            )?;
        }
        writeln!(
            f,
            "clean texts with a mention: {}/{} = {:.1}%",
            self.clean_with_mentions,
            self.clean_documents,
            100.0 * ratio(self.clean_with_mentions, self.clean_documents)
        )?;
        writeln!(
            f,
            "trap hits: {} of {} traps",
            self.trap_hits.len(),
            self.traps
        )?;
        for (title, items) in [
            ("trap hit", &self.trap_hits),
            ("missed", &self.missed),
            ("unexpected", &self.unexpected),
        ] {
            for item in items {
                writeln!(
                    f,
                    "  {title}: {} {:?} {}",
                    item.document, item.text, item.note
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{MentionExplanation, MentionKind};
    use interdict_model::EntityId;

    fn mention(text: &str, start: usize, end: usize, id: &str) -> Mention {
        Mention {
            start,
            end,
            text: text.get(start..end).unwrap_or("").to_owned(),
            entity_id: id.parse().unwrap_or_else(|_| EntityId::new("x", "x")),
            listed_name: String::new(),
            score: 0.9,
            explanation: MentionExplanation {
                kind: MentionKind::Name,
                detail: String::new(),
                name: None,
                linked_to: None,
                identifier: None,
            },
        }
    }

    #[test]
    fn counts_recall_per_variant_clean_texts_and_trap_hits() {
        let found = "Sergei Shoigu met the doctor.";
        let clean = "Nothing to see.";
        let trapped = "The doctor arrived.";
        let documents = vec![
            EvaluatedDocument {
                id: "D1".into(),
                text: found.into(),
                mentions: vec![mention(found, 0, 13, "ofac-sdn:35173")],
            },
            EvaluatedDocument {
                id: "D2".into(),
                text: clean.into(),
                mentions: Vec::new(),
            },
            EvaluatedDocument {
                id: "D3".into(),
                text: trapped.into(),
                mentions: vec![mention(trapped, 4, 10, "ofac-sdn:13126")],
            },
        ];
        let label = |document: &str, source_id: &str, variant: &str| Label {
            document: document.into(),
            mention_text: String::new(),
            source_id: source_id.into(),
            variant: variant.into(),
        };
        let labels = vec![
            label("D1", "35173", "first_last"),
            label("D1", "35096", "listed"),
        ];
        let traps = vec![Trap {
            document: "D3".into(),
            text: "doctor".into(),
            kind: "single_token_alias".into(),
        }];
        let evaluation = evaluate(&documents, &labels, &traps, "ofac-sdn");
        assert_eq!((evaluation.found, evaluation.labels), (1, 2));
        assert_eq!(evaluation.variants.len(), 2);
        assert_eq!(evaluation.variants[0].variant, "first_last");
        assert!((evaluation.variants[0].recall - 1.0).abs() < 1e-9);
        assert_eq!(evaluation.variants[1].found, 0);
        // D2 and D3 have no label; D3 has a mention.
        assert_eq!(
            (evaluation.clean_documents, evaluation.clean_with_mentions),
            (2, 1)
        );
        assert_eq!(evaluation.trap_hits.len(), 1);
        assert_eq!(evaluation.unexpected.len(), 1);
        assert_eq!(evaluation.missed.len(), 1);
        assert_eq!(split_half("FD001"), 1);
        assert_eq!(split_half("FD002"), 0);
    }
}
