//! CSV input that recovers per record, for the batch commands (`screen --input`,
//! `portfolio import`).
//!
//! The `csv` crate cannot resynchronise: one unbalanced quote swallows every later row into
//! a single field. This reader works on physical lines instead: a record is one line, or
//! several joined while a quoted field is open, with a bounded look-ahead. A joined record
//! is kept only if it is well formed and has the header's number of fields; otherwise its
//! first line alone is reported malformed (row, column, reason) and reading resumes on the
//! line after it, so one bad quote costs one row.

use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Most physical lines one record may span: a quoted field open for longer than this is an
/// unbalanced quote, not a multi-line value.
const MAX_RECORD_LINES: usize = 16;

/// Most bytes one record may span, for the same reason.
const MAX_RECORD_BYTES: usize = 64 * 1024;

/// One well-formed data record.
#[derive(Debug)]
pub(crate) struct Record {
    /// The data row (1 is the first record after the header), counting malformed ones.
    pub(crate) row: usize,
    /// The file line the record starts on (1 is the header's).
    pub(crate) line: usize,
    /// One value per header column.
    pub(crate) fields: Vec<String>,
    /// The record's lines as read, for a rejects file.
    pub(crate) raw: Vec<u8>,
}

impl Record {
    /// The value of column `index`, if the column exists.
    pub(crate) fn get(&self, index: usize) -> Option<&str> {
        self.fields.get(index).map(String::as_str)
    }
}

/// A record that could not be read, and why.
#[derive(Debug)]
pub(crate) struct Malformed {
    /// The data row (1 is the first record after the header).
    pub(crate) row: usize,
    /// The file line it starts on.
    pub(crate) line: usize,
    /// The column at fault (1-based), with its header name.
    pub(crate) column: Option<(usize, String)>,
    /// What is wrong.
    pub(crate) reason: String,
    /// The line as read, for a rejects file.
    pub(crate) raw: Vec<u8>,
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {} (line {})", self.row, self.line)?;
        if let Some((number, name)) = &self.column {
            write!(f, ", column {number} ({name})")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// What the reader yields for each data record.
#[derive(Debug)]
pub(crate) enum CsvRow {
    /// A record with one value per header column.
    Record(Record),
    /// A record that could not be read; the next one is read regardless.
    Malformed(Malformed),
}

/// How one piece of text parses as a CSV record.
#[derive(Debug, PartialEq)]
enum Parse {
    /// A whole record.
    Complete(Vec<String>),
    /// A quoted field, opened in this (0-based) column, is still open at the end.
    OpenQuote(usize),
    /// Malformed in this (0-based) column.
    Bad(usize, String),
}

/// Parses `text` as one RFC 4180 record: `,` separates fields, a field may be quoted, and a
/// quote inside a quoted field is doubled. A quote inside an unquoted field is kept as text,
/// as spreadsheets write it.
fn parse(text: &str) -> Parse {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    loop {
        let column = fields.len();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    None => return Parse::OpenQuote(column),
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                }
            }
            match chars.next() {
                None => {
                    fields.push(field);
                    return Parse::Complete(fields);
                }
                Some(',') => fields.push(std::mem::take(&mut field)),
                Some(c) => {
                    return Parse::Bad(
                        column,
                        format!("{c:?} follows the closing quote of a quoted value"),
                    );
                }
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        fields.push(field);
                        return Parse::Complete(fields);
                    }
                    Some(',') => {
                        fields.push(std::mem::take(&mut field));
                        break;
                    }
                    Some(c) => field.push(c),
                }
            }
        }
    }
}

/// A CSV file read record by record, recovering after a malformed one.
pub(crate) struct CsvInput {
    path: PathBuf,
    source: Box<dyn BufRead>,
    /// Lines read ahead and given back: (line number, bytes without the line ending).
    pending: VecDeque<(usize, Vec<u8>)>,
    lines_read: usize,
    header: Vec<String>,
    header_raw: Vec<u8>,
    rows: usize,
}

impl CsvInput {
    /// Opens `path` and reads its header row.
    pub(crate) fn open(path: &Path) -> Result<CsvInput> {
        let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        CsvInput::from_reader(path, Box::new(BufReader::new(file)))
    }

    /// Reads CSV from `source`, `path` naming it in messages.
    pub(crate) fn from_reader(path: &Path, source: Box<dyn BufRead>) -> Result<CsvInput> {
        let mut input = CsvInput {
            path: path.to_owned(),
            source,
            pending: VecDeque::new(),
            lines_read: 0,
            header: Vec::new(),
            header_raw: Vec::new(),
            rows: 0,
        };
        let Some((line, mut raw)) = input.next_nonblank_line()? else {
            bail!(
                "{}: the file is empty; a header row is expected",
                path.display()
            );
        };
        if raw.starts_with(b"\xEF\xBB\xBF") {
            raw.drain(..3);
        }
        let text = std::str::from_utf8(&raw)
            .with_context(|| format!("{}: line {line}: the header is not UTF-8", path.display()))?;
        match parse(text) {
            Parse::Complete(header) => input.header = header,
            _ => bail!(
                "{}: line {line}: the header row is not valid CSV (a quote is not closed)",
                path.display()
            ),
        }
        input.header_raw = raw;
        Ok(input)
    }

    /// The position of column `name`; the error names the file and the columns it has.
    pub(crate) fn column(&self, name: &str) -> Result<usize> {
        self.header
            .iter()
            .position(|h| h.trim() == name)
            .with_context(|| {
                format!(
                    "{}: no column {name:?}; the columns are {}",
                    self.path.display(),
                    self.header.join(", ")
                )
            })
    }

    /// The position of column `name` if a name is given.
    pub(crate) fn optional_column(&self, name: Option<&str>) -> Result<Option<usize>> {
        name.map(|name| self.column(name)).transpose()
    }

    /// The header line as read, for a rejects file.
    pub(crate) fn header_raw(&self) -> &[u8] {
        &self.header_raw
    }

    fn read_line(&mut self) -> io::Result<Option<(usize, Vec<u8>)>> {
        if let Some(line) = self.pending.pop_front() {
            return Ok(Some(line));
        }
        let mut raw = Vec::new();
        if self.source.read_until(b'\n', &mut raw)? == 0 {
            return Ok(None);
        }
        self.lines_read += 1;
        if raw.last() == Some(&b'\n') {
            raw.pop();
        }
        if raw.last() == Some(&b'\r') {
            raw.pop();
        }
        Ok(Some((self.lines_read, raw)))
    }

    fn next_nonblank_line(&mut self) -> io::Result<Option<(usize, Vec<u8>)>> {
        while let Some((number, raw)) = self.read_line()? {
            if !raw.iter().all(u8::is_ascii_whitespace) {
                return Ok(Some((number, raw)));
            }
        }
        Ok(None)
    }

    fn column_named(&self, index: usize) -> Option<(usize, String)> {
        Some((
            index + 1,
            self.header.get(index).cloned().unwrap_or_default(),
        ))
    }

    fn malformed(
        &self,
        row: usize,
        line: usize,
        column: Option<usize>,
        reason: String,
        raw: Vec<u8>,
    ) -> CsvRow {
        CsvRow::Malformed(Malformed {
            row,
            line,
            column: column.and_then(|c| self.column_named(c)),
            reason,
            raw,
        })
    }

    /// The next data record, or `None` at the end of the file.
    pub(crate) fn next_row(&mut self) -> io::Result<Option<CsvRow>> {
        let Some((line, first)) = self.next_nonblank_line()? else {
            return Ok(None);
        };
        self.rows += 1;
        let row = self.rows;
        let Ok(first_text) = std::str::from_utf8(&first) else {
            return Ok(Some(self.malformed(
                row,
                line,
                None,
                "the line is not UTF-8".into(),
                first,
            )));
        };
        let mut text = first_text.to_owned();
        // Lines joined to the first while a quoted field is open.
        let mut continuation: Vec<(usize, Vec<u8>)> = Vec::new();
        let mut opened_in = None;
        loop {
            match parse(&text) {
                Parse::Complete(fields) if fields.len() == self.header.len() => {
                    let mut raw = first;
                    for (_, more) in continuation {
                        raw.push(b'\n');
                        raw.extend(more);
                    }
                    return Ok(Some(CsvRow::Record(Record {
                        row,
                        line,
                        fields,
                        raw,
                    })));
                }
                Parse::Complete(fields) if opened_in.is_none() => {
                    return Ok(Some(self.malformed(
                        row,
                        line,
                        None,
                        format!(
                            "{} values where the header has {} columns",
                            fields.len(),
                            self.header.len()
                        ),
                        first,
                    )));
                }
                Parse::Bad(column, reason) if opened_in.is_none() => {
                    return Ok(Some(self.malformed(row, line, Some(column), reason, first)));
                }
                Parse::OpenQuote(column) => {
                    opened_in.get_or_insert(column);
                    let within_bounds =
                        continuation.len() + 1 < MAX_RECORD_LINES && text.len() < MAX_RECORD_BYTES;
                    if within_bounds && let Some((number, more)) = self.read_line()? {
                        let joined = match std::str::from_utf8(&more) {
                            Ok(more_text) => {
                                text.push('\n');
                                text.push_str(more_text);
                                true
                            }
                            // Not text: no record spans it; it is given back below.
                            Err(_) => false,
                        };
                        continuation.push((number, more));
                        if joined {
                            continue;
                        }
                    }
                }
                // A joined record that does not hold together: the quote opened on the first
                // line was never meant to span lines.
                Parse::Complete(_) | Parse::Bad(..) => {}
            }
            break;
        }
        // Give the look-ahead back, in order, to be read as records of their own.
        for read_ahead in continuation.into_iter().rev() {
            self.pending.push_front(read_ahead);
        }
        Ok(Some(self.malformed(
            row,
            line,
            opened_in,
            "a quote opened in this value is not closed on its line".into(),
            first,
        )))
    }
}

/// Where rejected rows go, as they were read, under the input's header line, so that they
/// can be fixed and the file run again.
pub(crate) struct Rejects {
    path: PathBuf,
    out: BufWriter<File>,
    written: usize,
}

impl Rejects {
    /// Creates `path` and writes `header` to it.
    pub(crate) fn create(path: &Path, header: &[u8]) -> Result<Rejects> {
        let file =
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        let mut rejects = Rejects {
            path: path.to_owned(),
            out: BufWriter::new(file),
            written: 0,
        };
        rejects.write_line(header)?;
        Ok(rejects)
    }

    fn write_line(&mut self, raw: &[u8]) -> Result<()> {
        self.out
            .write_all(raw)
            .and_then(|()| self.out.write_all(b"\n"))
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    /// Appends one rejected record's lines.
    pub(crate) fn add(&mut self, raw: &[u8]) -> Result<()> {
        self.written += 1;
        self.write_line(raw)
    }

    /// Flushes the file; returns its path and how many rows it holds.
    pub(crate) fn finish(mut self) -> Result<(PathBuf, usize)> {
        self.out
            .flush()
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        Ok((self.path, self.written))
    }
}

/// What a batch did with its rows, printed at its end.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BatchSummary {
    /// Data records read, malformed ones included.
    pub(crate) read: usize,
    /// Rows screened (or imported) on every field given.
    pub(crate) complete: usize,
    /// Rows screened (or imported) with a secondary field ignored.
    pub(crate) partial: usize,
    /// Rows not screened (or imported): malformed, or with no usable name.
    pub(crate) rejected: usize,
}

impl fmt::Display for BatchSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} rows read: {} screened on every field, {} partially screened (a field ignored), {} rejected",
            self.read, self.complete, self.partial, self.rejected
        )
    }
}

impl BatchSummary {
    /// Ends a batch: an error when rows were rejected, unless `allow_rejects`. `rejects`
    /// names the file that holds them, if any.
    pub(crate) fn verdict(&self, allow_rejects: bool, rejects: Option<&Path>) -> Result<()> {
        if self.rejected == 0 || allow_rejects {
            return Ok(());
        }
        let whereto = match rejects {
            Some(path) => format!("they are in {}", path.display()),
            None => "--rejects FILE keeps them for a re-run".to_owned(),
        };
        bail!(
            "{} of {} rows rejected ({whereto}); --allow-rejects exits 0 regardless",
            self.rejected,
            self.read
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<CsvRow> {
        let mut input = CsvInput::from_reader(
            Path::new("test.csv"),
            Box::new(io::Cursor::new(text.as_bytes().to_vec())),
        )
        .expect("header");
        let mut rows = Vec::new();
        while let Some(row) = input.next_row().expect("read") {
            rows.push(row);
        }
        rows
    }

    fn names(rows: &[CsvRow]) -> Vec<String> {
        rows.iter()
            .map(|row| match row {
                CsvRow::Record(r) => r.fields[1].clone(),
                CsvRow::Malformed(m) => format!("!{}", m.row),
            })
            .collect()
    }

    #[test]
    fn parses_quotes_as_rfc_4180() {
        assert_eq!(
            parse(r#"a,"b ""c"", d",,"""#),
            Parse::Complete(vec!["a".into(), r#"b "c", d"#.into(), "".into(), "".into()])
        );
        assert_eq!(parse(r#"a,"b"#), Parse::OpenQuote(1));
        assert!(matches!(parse(r#""a"b,c"#), Parse::Bad(0, _)));
        assert_eq!(
            parse(r#"O"Brien,x"#),
            Parse::Complete(vec![r#"O"Brien"#.into(), "x".into()])
        );
    }

    #[test]
    fn an_unbalanced_quote_costs_its_own_row_only() {
        let text = "id,name\n1,Alice\n2,\"Bob\n3,Carol\n4,\"Dave, Jr\"\n5,Eve\n";
        let rows = rows(text);
        assert_eq!(names(&rows), ["Alice", "!2", "Carol", "Dave, Jr", "Eve"]);
        let CsvRow::Malformed(bad) = &rows[1] else {
            panic!("row 2 is malformed")
        };
        assert_eq!(bad.line, 3);
        assert_eq!(bad.column, Some((2, "name".into())));
        assert_eq!(bad.raw, b"2,\"Bob");
    }

    #[test]
    fn a_quoted_value_may_span_lines() {
        let rows = rows("id,name\r\n1,\"Alice\r\nSmith\"\r\n\r\n2,Bob\r\n");
        assert_eq!(names(&rows), ["Alice\nSmith", "Bob"]);
        let CsvRow::Record(second) = &rows[1] else {
            panic!("row 2 is read")
        };
        assert_eq!((second.row, second.line), (2, 5));
    }

    #[test]
    fn an_unclosed_quote_at_the_end_and_a_wrong_field_count_are_reported() {
        let rows = rows("id,name\n1,Alice,extra\n2,\"Bob\n");
        assert_eq!(names(&rows), ["!1", "!2"]);
        let CsvRow::Malformed(extra) = &rows[0] else {
            panic!("row 1 is malformed")
        };
        assert!(extra.reason.contains("3 values"), "{}", extra.reason);
    }

    #[test]
    fn the_look_ahead_is_bounded() {
        let mut text = String::from("id,name\n1,\"Alice\n");
        for i in 2..100 {
            text.push_str(&format!("{i},N{i}\n"));
        }
        let rows = rows(&text);
        assert_eq!(rows.len(), 99);
        assert_eq!(names(&rows)[..3], ["!1", "N2", "N3"]);
    }
}
