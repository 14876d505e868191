//! Not yet written.

use crate::{Error, Parsed, SourceFile};

pub(crate) fn parse(_files: &[SourceFile], _list: &str) -> Result<Parsed, Error> {
    Err(Error::NoInput)
}
