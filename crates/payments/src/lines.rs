//! Byte offsets to line numbers, for error messages and value locations.

/// The start offset of every line of an input.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `input`.
    pub(crate) fn new(input: &[u8]) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            input
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The 1-based line that byte `offset` is on.
    pub(crate) fn line_at(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(index) => index + 1,
            Err(index) => index,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_from_one() {
        let index = LineIndex::new(b"ab\ncd\n\nef");
        assert_eq!(index.line_at(0), 1);
        assert_eq!(index.line_at(2), 1);
        assert_eq!(index.line_at(3), 2);
        assert_eq!(index.line_at(6), 3);
        assert_eq!(index.line_at(7), 4);
    }
}
