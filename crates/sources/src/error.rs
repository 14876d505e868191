//! Parse errors and per-record issues.

use std::fmt;

/// A problem with one record: the list may be otherwise fine, but a version with any issue is
/// never activated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The file name.
    pub file: String,
    /// Where: `line 12`, `record 7`, `INDIVIDUAL 3 (DATAID 6908555)`.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.location, self.message)
    }
}

/// Why a set of files could not be parsed at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No files were given.
    #[error("no input files")]
    NoInput,
    /// `--format` named no known format.
    #[error(
        "unknown format {name:?}; known: ofac-sdn-csv, ofac-sdn-xml, un-sc-xml, eu-fsf-xml, uk-ofsi-csv, uk-sanctions-list-xml, uk-sanctions-list-csv, us-csl-csv, ftm"
    )]
    UnknownFormat {
        /// What was asked for.
        name: String,
    },
    /// The content matches no known format.
    #[error(
        "{file}: cannot tell the list format from the content ({reason}); name it with --format"
    )]
    Undetected {
        /// The file looked at.
        file: String,
        /// What was seen.
        reason: String,
    },
    /// A file the format needs is missing (e.g. `sdn.csv` in an OFAC directory).
    #[error("missing file {name}")]
    MissingFile {
        /// The expected file name.
        name: String,
    },
    /// The file is not well-formed for its format (bad XML, not CSV, truncated, wrong root).
    #[error("{file}: {location}: {reason}")]
    Malformed {
        /// The file name.
        file: String,
        /// Line, record or byte offset.
        location: String,
        /// What is wrong.
        reason: String,
    },
}
