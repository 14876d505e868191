//! The interdict matching engine: finds listed parties however their names are written.
//!
//! Names are normalised ([`normalize`](crate::normalize)): transliterated from any script,
//! folded across romanisation variants (Shoigu / Schoigu / Choïgou / Шойгу), stripped of
//! honorifics, particles (Dutch and German ones are joined to their surname instead) and
//! legal forms. Two names are compared by aligning their tokens regardless of order, with
//! typo-, phonetic- and initial-tolerant token similarity, rarer tokens weighing more, and
//! disagreeing tokens weighing against the match. Dates of birth, countries, gender and
//! decisive identifiers then adjust the score, and every step is recorded in an
//! [`Explanation`].
//!
//! [`Index`] holds listed entities (or a customer portfolio: it is generic over
//! [`Entity`]) with their names pre-normalised and an inverted index over tokens, consonant
//! skeletons and trigrams, so that a query scores only the few candidates that share
//! evidence with it. [`Scanner`] finds listed parties inside free text (news, memos,
//! remittance lines) with byte offsets, confirming each candidate span with the same scorer.
//! The library does no I/O.

#![deny(missing_docs)]

mod compare;
mod confusables;
mod distance;
mod explain;
mod features;
mod index;
mod lexicon;
mod normalize;
mod scan;
mod translit;

use std::sync::Arc;

use interdict_model::{CountryCode, DateOfBirth, Entity, Gender, Identifier, NameKind, Schema};

pub use explain::{Explanation, Feature, FeatureEffect, TokenMatch, TokenVerdict};
pub use index::Index;
pub use scan::{
    EvaluatedDocument, EvaluationItem, Label, Mention, MentionExplanation, MentionKind,
    ScanEvaluation, ScanOptions, Scanner, Trap, VariantRecall, evaluate as evaluate_scan,
    split_half,
};

use crate::compare::{WeightedName, compare};
use crate::explain::round;
use crate::normalize::{Profile, normalize};

/// The score at or above which a screening result is reported.
///
/// Chosen on `name_pairs.dev.csv`, where it maximises F1 of [`score_pair`] (0.923; 0.75
/// gives 0.921, 0.65 0.903), and checked against the false-alert rate on 50,000 synthetic
/// customers (0.02–0.04%) and the recall of UN-listed people (99.6%) in `tests/`.
pub const DEFAULT_THRESHOLD: f64 = 0.7;

/// What to screen: a name and whatever else is known about the party.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// The name as written (any script, any order).
    pub name: String,
    /// What kind of party it is. `None` (or `Unknown`) matches any kind, unless the query
    /// says it names a person (see [`Query::screened_schema`]).
    pub schema: Option<Schema>,
    /// Date of birth (or incorporation).
    pub dob: Option<DateOfBirth>,
    /// Countries: nationality, citizenship, residence.
    pub countries: Vec<CountryCode>,
    /// Gender, for people.
    pub gender: Option<Gender>,
    /// Identifiers: passport, tax id, IMO number, wallet, ...
    pub identifiers: Vec<Identifier>,
    /// The caller asked for every kind of party explicitly (`--schema any`): a query with no
    /// `schema` is then never narrowed to people. False by default.
    pub any_schema: bool,
}

impl Query {
    /// A query with only a name.
    pub fn name(name: impl Into<String>) -> Self {
        Query {
            name: name.into(),
            ..Query::default()
        }
    }

    /// The schema the query is screened as: `schema` when it names one; else a person when
    /// the query says so — a date of birth, a gender, or a patronymic in the name — unless
    /// `any_schema` is set; else any kind (`None`). A person is never matched to a vessel, an
    /// aircraft or an organisation that merely shares a word with their name ("Linda Pérez"
    /// and the vessel LINDA). Give `schema` for an organisation screened with its date of
    /// incorporation.
    pub fn screened_schema(&self) -> Option<Schema> {
        match self.schema {
            Some(schema) if schema != Schema::Unknown => Some(schema),
            _ if self.any_schema => None,
            _ if self.dob.is_some()
                || self.gender.is_some()
                || normalize::has_patronymic(&self.name) =>
            {
                Some(Schema::Person)
            }
            _ => None,
        }
    }
}

/// How to screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreenOptions {
    /// Minimum score to report, in [0, 1].
    pub threshold: f64,
    /// Maximum number of matches to report.
    pub limit: usize,
}

impl Default for ScreenOptions {
    fn default() -> Self {
        ScreenOptions {
            threshold: DEFAULT_THRESHOLD,
            limit: 10,
        }
    }
}

/// One screening result.
#[derive(Debug, Clone)]
pub struct Match {
    /// The matched entity.
    pub entity: Arc<Entity>,
    /// Score in [0, 1].
    pub score: f64,
    /// The query name.
    pub query_name: String,
    /// The entity's name that matched best.
    pub matched_name: String,
    /// What kind of name that is.
    pub matched_name_kind: NameKind,
    /// Why it scored what it did.
    pub explanation: Explanation,
}

/// Scores two names against each other, with no index (token rarity comes from built-in
/// lists of common name words only). `schema` selects person or organisation rules; `None`
/// applies the rules common to both. `name1` plays the query, `name2` the listed name.
pub fn score_pair(name1: &str, name2: &str, schema: Option<Schema>) -> (f64, Explanation) {
    let profile = Profile::for_schema(schema);
    let query = normalize(name1, profile);
    let listed = normalize(name2, profile);
    let query_weights: Vec<f32> = query.tokens.iter().map(|t| t.weight).collect();
    let listed_weights: Vec<f32> = listed.tokens.iter().map(|t| t.weight).collect();
    let mut trace = Vec::new();
    let outcome = compare(
        WeightedName {
            name: &query,
            weights: &query_weights,
        },
        WeightedName {
            name: &listed,
            weights: &listed_weights,
        },
        profile,
        Some(&mut trace),
    );
    let features = name_features(&outcome, &query, &listed, profile);
    let score = round(combine(&features) as f32);
    let name_score = round(outcome.score);
    let explanation = Explanation {
        query_name: name1.to_owned(),
        matched_name: name2.to_owned(),
        matched_name_kind: None,
        query_normalized: query.display(),
        matched_normalized: listed.display(),
        tokens: explain::token_matches(&trace, &query, &listed),
        name_score,
        features,
        score,
    };
    (score, explanation)
}

/// A name normalised once for repeated comparisons (portfolio monitoring, benchmarks).
#[derive(Debug, Clone)]
pub struct PreparedName {
    profile: Profile,
    normalized: normalize::NormalizedName,
    weights: Vec<f32>,
}

impl PreparedName {
    /// Normalises `name` under the rules for `schema` (`None`: rules common to all).
    pub fn new(name: &str, schema: Option<Schema>) -> Self {
        let profile = Profile::for_schema(schema);
        let normalized = normalize(name, profile);
        let weights = normalized.tokens.iter().map(|t| t.weight).collect();
        PreparedName {
            profile,
            normalized,
            weights,
        }
    }

    /// Whether nothing is left to match once the name is normalised (only punctuation,
    /// titles or a legal form): such a name can match nothing and is refused as a query.
    pub fn is_empty(&self) -> bool {
        self.normalized.tokens.is_empty()
    }

    /// The name score of `self` (as the query) against `other`, as [`score_pair`] computes
    /// it but without building an explanation. Names prepared under different schemas are
    /// compared under the rules of `other`.
    pub fn score(&self, other: &PreparedName) -> f64 {
        let outcome = compare(
            WeightedName {
                name: &self.normalized,
                weights: &self.weights,
            },
            WeightedName {
                name: &other.normalized,
                weights: &other.weights,
            },
            other.profile,
            None,
        );
        let legal = if other.profile == Profile::Person {
            0.0
        } else {
            features::legal_form(&self.normalized.legal_forms, &other.normalized.legal_forms)
                .map_or(0.0, |effect| effect.effect)
        };
        let one_word = features::one_word_name(&self.normalized, &other.normalized)
            .map_or(0.0, |effect| effect.effect);
        (f64::from(outcome.score) + legal + one_word).clamp(0.0, 1.0)
    }
}

/// The name-level features: similarity, order and legal form. Their effects sum to the name
/// score with the legal-form adjustment.
pub(crate) fn name_features(
    outcome: &compare::NameOutcome,
    query: &normalize::NormalizedName,
    listed: &normalize::NormalizedName,
    profile: Profile,
) -> Vec<FeatureEffect> {
    let mut features = vec![features::effect(
        Feature::NameSimilarity,
        format!("{:.4}", round(outcome.alignment_score)),
        outcome.alignment_score,
        "weighted token alignment of the two names".into(),
    )];
    let mut ordered = outcome.alignment_score;
    if outcome.out_of_order {
        ordered = outcome.alignment_score * outcome.order_factor;
        features.push(features::effect(
            Feature::TokenOrder,
            "reordered".into(),
            ordered - outcome.alignment_score,
            "matching tokens appear in a different order (not just surname first)".into(),
        ));
    }
    if outcome.syllables_unconfirmed {
        features.push(features::effect(
            Feature::Syllables,
            "fewer than 2 exact".into(),
            outcome.score - ordered,
            "a name of one-syllable words needs two of them equal; one shared syllable is \
             common, one letter off another syllable"
                .into(),
        ));
    }
    if profile != Profile::Person {
        features.extend(features::legal_form(
            &query.legal_forms,
            &listed.legal_forms,
        ));
    }
    features.extend(features::one_word_name(query, listed));
    features.extend(features::mixed_script(&query.mixed_script));
    features
}

/// The score from feature effects: the name similarity and its adjustments first, then the
/// other features, where an agreement (a shared date of birth, country) closes at most a
/// share of the gap between the name score and 1 — so a partial name agreement with every
/// detail in common ranks above the same name with fewer details, but below an exact name,
/// rather than all of them saturating at 1.0.
pub(crate) fn combine(features: &[FeatureEffect]) -> f64 {
    let is_name = |f: &&FeatureEffect| {
        matches!(
            f.feature,
            Feature::NameSimilarity
                | Feature::TokenOrder
                | Feature::LegalForm
                | Feature::WeakAlias
                | Feature::OneWordName
                | Feature::Syllables
                | Feature::MixedScript
        )
    };
    let name: f64 = features.iter().filter(is_name).map(|f| f.effect).sum();
    let (gains, losses) = features
        .iter()
        .filter(|f| !is_name(f))
        .map(|f| f.effect)
        .fold((0.0f64, 0.0f64), |(gains, losses), effect| {
            if effect > 0.0 {
                (gains + effect, losses)
            } else {
                (gains, losses + effect)
            }
        });
    let name = name.clamp(0.0, 1.0);
    // Gains close at most GAIN_SHARE of the gap: 0.1 on a 0.95 name adds 0.035, not 0.05.
    let gain = gains.min(GAIN_SHARE * (1.0 - name));
    (name + gain + losses).clamp(0.0, 1.0)
}

/// The largest share of the gap between a name score and 1 that agreeing details close.
const GAIN_SHARE: f64 = 0.7;
