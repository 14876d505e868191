//! Not yet written.

use crate::{Error, Parsed, SourceFile};

pub(crate) fn parse(_files: &[SourceFile], _list: Option<&str>) -> Result<Parsed, Error> {
    Err(Error::NoInput)
}
