//! The one error type of the use cases: the caller's faults (a field out of range, a list
//! that cannot be imported) apart from the store's and the engine's.

/// What can go wrong in a use case.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A field of a request is missing, malformed or out of range.
    #[error("{field}: {message}")]
    InvalidField {
        /// The field, e.g. `threshold` or `[3].name`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// A list cannot be imported: unknown format, broken or truncated records, no entities.
    #[error("{0}")]
    InvalidList(String),
    /// A file the caller named cannot be read.
    #[error("{0}")]
    Unreadable(String),
    /// Nothing to screen against yet.
    #[error("no lists imported yet; import one first (`interdict lists import PATH`)")]
    NoLists,
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] interdict_store::Error),
    /// A bug or an infrastructure failure (a background task that died).
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// A field error.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::InvalidField {
            field: field.into(),
            message: message.into(),
        }
    }

    /// An internal error from anything displayable.
    pub fn internal(detail: impl std::fmt::Display) -> Error {
        Error::Internal(detail.to_string())
    }

    /// Whether the error is the caller's fault rather than the service's.
    pub fn is_user_error(&self) -> bool {
        match self {
            Error::InvalidField { .. }
            | Error::InvalidList(_)
            | Error::Unreadable(_)
            | Error::NoLists => true,
            Error::Store(e) => e.is_user_error(),
            Error::Internal(_) => false,
        }
    }
}

impl From<tokio::task::JoinError> for Error {
    fn from(error: tokio::task::JoinError) -> Self {
        Error::internal(format!("a background task failed: {error}"))
    }
}
