//! Explanations an analyst can read: which query name met which listed name, how each was
//! normalised, how their tokens lined up, and every feature that moved the score.

use interdict_model::NameKind;
use serde::Serialize;

use crate::compare::PairTrace;
use crate::normalize::NormalizedName;

/// Why a match scored what it did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The query name as given.
    pub query_name: String,
    /// The listed name it was compared with, as the list writes it.
    pub matched_name: String,
    /// What kind of name the listed name is (primary, alias, ...); `None` outside an index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_name_kind: Option<NameKind>,
    /// The query name after normalisation (transliterated, folded; legal forms in brackets).
    pub query_normalized: String,
    /// The listed name after normalisation.
    pub matched_normalized: String,
    /// How the tokens lined up, best pairs first, then tokens only one side has.
    pub tokens: Vec<TokenMatch>,
    /// The name similarity before the other features.
    pub name_score: f64,
    /// Every feature considered, with its effect on the score.
    pub features: Vec<FeatureEffect>,
    /// The final score.
    pub score: f64,
}

/// One aligned token pair, or a token only one side has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenMatch {
    /// The query token(s), normalised; joined with `+` when two were read as one word.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The listed token(s), normalised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
    /// Token similarity in [0, 1] (0 for a token only one side has).
    pub similarity: f64,
    /// How much the pair weighs (rarer and longer tokens weigh more).
    pub weight: f64,
    /// The verdict on the pair.
    pub verdict: TokenVerdict,
}

/// The verdict on one token pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenVerdict {
    /// Same token after normalisation.
    Exact,
    /// A spelling or transliteration variant, or an initial that fits.
    Close,
    /// Some likeness, partly credited.
    Partial,
    /// Different tokens in the same place: evidence against the match.
    Conflict,
    /// Only the query has this token (costs a little).
    QueryOnly,
    /// Only the listed name has this token (costs a little).
    ListedOnly,
}

/// A feature and how it moved the score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureEffect {
    /// Which feature.
    pub feature: Feature,
    /// Its value, e.g. `0.92`, `1963 vs 1971`, `RU`.
    pub value: String,
    /// What it added to (positive) or took from (negative) the score.
    pub effect: f64,
    /// A sentence for the analyst.
    pub detail: String,
}

/// The features of a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// Weighted token alignment of the two names.
    NameSimilarity,
    /// Aligned tokens in an order that is not a rotation of the other name's.
    TokenOrder,
    /// Legal forms of two organisation names.
    LegalForm,
    /// The listed name is a weak alias.
    WeakAlias,
    /// Date of birth agreement or conflict.
    DateOfBirth,
    /// Country or nationality agreement or conflict.
    Country,
    /// Gender conflict.
    Gender,
    /// An exact match on a decisive identifier.
    Identifier,
    /// The query mixes look-alike letters of two scripts in one word ("Vlаdimir" with a
    /// Cyrillic `а`): folded before comparing, and named as a possible evasion (no effect).
    MixedScript,
    /// The listed name is one word and the query has more: a short listed name inside a
    /// longer query ("Linda Pérez" and the vessel LINDA) needs more than that word.
    OneWordName,
    /// A name of one-syllable words (romanised Chinese or Korean) met by fewer than two equal
    /// words.
    Syllables,
}

/// Rounds for display, so explanations do not carry float noise.
pub(crate) fn round(value: f32) -> f64 {
    (f64::from(value) * 10_000.0).round() / 10_000.0
}

/// Turns an alignment trace into token matches.
pub(crate) fn token_matches(
    trace: &[PairTrace],
    query: &NormalizedName,
    listed: &NormalizedName,
) -> Vec<TokenMatch> {
    let text = |name: &NormalizedName, (start, count): (usize, usize)| -> Option<String> {
        (count > 0).then(|| {
            name.tokens
                .iter()
                .skip(start)
                .take(count)
                .map(|t| &*t.folded)
                .collect::<Vec<_>>()
                .join("+")
        })
    };
    trace
        .iter()
        .map(|pair| {
            let verdict = if pair.query.1 == 0 {
                TokenVerdict::ListedOnly
            } else if pair.listed.1 == 0 {
                TokenVerdict::QueryOnly
            } else if pair.similarity >= 1.0 {
                TokenVerdict::Exact
            } else if pair.credit >= 0.7 {
                TokenVerdict::Close
            } else if pair.credit > 0.0 {
                TokenVerdict::Partial
            } else {
                TokenVerdict::Conflict
            };
            TokenMatch {
                query: text(query, pair.query),
                matched: text(listed, pair.listed),
                similarity: round(pair.similarity),
                weight: round(pair.weight),
                verdict,
            }
        })
        .collect()
}
