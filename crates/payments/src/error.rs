//! Why a message could not be parsed, and where.
//!
//! Every error is the sender's fault (the input is not a message this crate accepts); nothing
//! here is an internal failure. Each names the line of the input (1-based) and, where there is
//! one, the element or field (`Document/FIToFICstmrCdtTrf/CdtTrfTxInf/Cdtr`, `{4:}`, `:32A:`).

use thiserror::Error;

/// A message that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is larger than [`crate::Limits`] allow.
    #[error("message of {size} bytes is over the limit of {limit} bytes")]
    TooLarge {
        /// Its size in bytes.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Neither XML nor SWIFT MT blocks.
    #[error("line {line}: not an ISO 20022 XML or SWIFT MT message: {reason}")]
    UnknownFormat {
        /// Where it was recognised as neither.
        line: usize,
        /// What was found.
        reason: String,
    },
    /// An XML message declares a document type: DTDs (and the entity expansion they allow)
    /// are refused.
    #[error("line {line}: DTDs are refused (<!DOCTYPE> in a payment message)")]
    DoctypeRefused {
        /// The line of the `<!DOCTYPE`.
        line: usize,
    },
    /// A message type this crate does not screen (camt.053, MT940, ...).
    #[error("line {line}: unsupported message type {message_type}")]
    UnsupportedType {
        /// Where the type is given.
        line: usize,
        /// The type as written (`camt.053.001.08`, `MT940`).
        message_type: String,
    },
    /// The text is not well-formed (bad XML, unterminated block, invalid UTF-8, ...).
    #[error("line {line}{}: {reason}", at(.element))]
    Malformed {
        /// The line.
        line: usize,
        /// The element path or block/field where it went wrong, when known.
        element: Option<String>,
        /// What is wrong.
        reason: String,
    },
    /// A field the message type requires is absent.
    #[error("line {line}: {message_type} without {field}")]
    MissingField {
        /// The line the message (or its block 4) starts on.
        line: usize,
        /// The message type.
        message_type: String,
        /// The field or element missing (`:59a:`, `GrpHdr/MsgId`).
        field: String,
    },
    /// Too deep, too many elements, fields or values.
    #[error("line {line}: {what} over the limit of {limit}")]
    LimitExceeded {
        /// The line where the limit was passed.
        line: usize,
        /// What was counted.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
}

fn at(element: &Option<String>) -> String {
    element
        .as_ref()
        .map(|element| format!(" in {element}"))
        .unwrap_or_default()
}

impl Error {
    /// A stable code for APIs and logs: `too_large`, `unknown_format`, `doctype_refused`,
    /// `unsupported_type`, `malformed`, `missing_field`, `limit_exceeded`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::TooLarge { .. } => "too_large",
            Error::UnknownFormat { .. } => "unknown_format",
            Error::DoctypeRefused { .. } => "doctype_refused",
            Error::UnsupportedType { .. } => "unsupported_type",
            Error::Malformed { .. } => "malformed",
            Error::MissingField { .. } => "missing_field",
            Error::LimitExceeded { .. } => "limit_exceeded",
        }
    }

    /// The line of the input (1-based) the error is on; `None` for size errors.
    pub fn line(&self) -> Option<usize> {
        match self {
            Error::TooLarge { .. } => None,
            Error::UnknownFormat { line, .. }
            | Error::DoctypeRefused { line }
            | Error::UnsupportedType { line, .. }
            | Error::Malformed { line, .. }
            | Error::MissingField { line, .. }
            | Error::LimitExceeded { line, .. } => Some(*line),
        }
    }

    /// The element or field the error is in, when known.
    pub fn element(&self) -> Option<&str> {
        match self {
            Error::Malformed { element, .. } => element.as_deref(),
            Error::MissingField { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The same error moved down by `lines`, for a message that starts further into a batch.
    pub(crate) fn shifted(mut self, lines: usize) -> Error {
        match &mut self {
            Error::TooLarge { .. } => {}
            Error::UnknownFormat { line, .. }
            | Error::DoctypeRefused { line }
            | Error::UnsupportedType { line, .. }
            | Error::Malformed { line, .. }
            | Error::MissingField { line, .. }
            | Error::LimitExceeded { line, .. } => *line += lines,
        }
        self
    }
}
