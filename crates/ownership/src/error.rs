//! The crate's one error type.

/// What the ownership graph refuses. Every variant is a fault of the caller's input.
#[derive(Debug, thiserror::Error, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// A seed without an entity or listed id.
    #[error(
        "a blocked seed needs an entity id and a listed id (got {entity_id:?} → {listed_id:?})"
    )]
    EmptySeed {
        /// The entity id given.
        entity_id: String,
        /// The listed id given.
        listed_id: String,
    },
    /// A resolved seed whose score is not a number from 0 to 1.
    #[error("the resolution score of {entity_id} must be from 0 to 1, not {score}")]
    InvalidScore {
        /// The entity resolved.
        entity_id: String,
        /// The score given.
        score: f64,
    },
    /// A regime name that is none of `ofac`, `eu`, `uk`.
    #[error("unknown regime {name:?}; known: ofac, eu, uk")]
    UnknownRegime {
        /// What was asked for.
        name: String,
    },
}
