//! Names and aliases.

use serde::{Deserialize, Serialize};

/// How a name relates to the entity, which decides how much a match on it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    /// The name the list files the entity under.
    Primary,
    /// A strong (high-quality) also-known-as.
    StrongAka,
    /// A weak (low-quality) also-known-as: nicknames, short forms. Counts less in matching.
    WeakAka,
    /// Formerly known as.
    Fka,
    /// Now known as.
    Nka,
    /// The name in its original, non-Latin script as the list gives it.
    OriginalScript,
}

impl NameKind {
    /// Whether a match on this name counts less than a match on a strong name.
    pub fn is_weak(self) -> bool {
        self == NameKind::WeakAka
    }
}

/// Name parts, where the source gives them separately.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameParts {
    /// Given (first) name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<String>,
    /// Middle names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle: Option<String>,
    /// Patronymic or father's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patronymic: Option<String>,
    /// Family (last) name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<String>,
}

impl NameParts {
    /// Whether no part is set.
    pub fn is_empty(&self) -> bool {
        self.first.is_none()
            && self.middle.is_none()
            && self.patronymic.is_none()
            && self.last.is_none()
    }
}

/// One name of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    /// The whole name as the list writes it (e.g. `SHOIGU, Sergei Kuzhugetovich`).
    pub full: String,
    /// Primary, alias, former name, original script.
    pub kind: NameKind,
    /// Separate name parts, when the source gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parts: Option<NameParts>,
    /// Language or script tag when the source gives one (e.g. `ru`, `ar`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl Name {
    /// A name of the given kind with no parts or language.
    pub fn new(full: impl Into<String>, kind: NameKind) -> Self {
        Name {
            full: full.into(),
            kind,
            parts: None,
            lang: None,
        }
    }

    /// The primary name.
    pub fn primary(full: impl Into<String>) -> Self {
        Name::new(full, NameKind::Primary)
    }
}
