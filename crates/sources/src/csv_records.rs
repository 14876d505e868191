//! CSV records with their true line numbers and raw text, for parsers whose errors must name
//! the line. The csv crate's own line numbers are wrong for CRLF files and after blank lines.

use std::collections::HashMap;

use crate::{Error, SourceFile};

/// One CSV record with its line number and the exact text it was read from.
pub(crate) struct CsvRecord {
    /// The 1-based line the record starts on.
    pub(crate) line: u64,
    /// The fields, as bytes.
    pub(crate) fields: csv::ByteRecord,
    /// The record's text as written, without its line terminator.
    pub(crate) raw: String,
}

/// Reads every record of a CSV file (a leading UTF-8 BOM removed), keeping each record's line
/// and raw text. Blank lines are skipped.
pub(crate) fn read_csv(file: &SourceFile) -> Result<Vec<CsvRecord>, Error> {
    let bytes = file
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&file.bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records: Vec<(usize, csv::ByteRecord)> = Vec::new();
    for result in reader.byte_records() {
        let record = result.map_err(|e| Error::Malformed {
            file: file.name.clone(),
            location: format!("record {}", records.len() + 1),
            reason: format!("not readable as CSV: {e}"),
        })?;
        // csv reports where it began reading the record, which is before the `\n` of a CRLF
        // and before skipped blank lines; its line count is wrong for CRLF files. The record
        // itself starts after those bytes.
        let reported = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(0);
        let skipped = bytes.get(reported..).map_or(0, |rest| {
            rest.iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count()
        });
        records.push((reported + skipped, record));
    }
    let ends: Vec<usize> = records
        .iter()
        .skip(1)
        .map(|(start, _)| *start)
        .chain(std::iter::once(bytes.len()))
        .collect();
    // The csv reader accepts a quoted field left open at the end of input: a cut file.
    if let Some((last_start, _)) = records.last()
        && ends_inside_quotes(bytes.get(*last_start..).unwrap_or_default())
    {
        let line = bytes
            .get(..*last_start)
            .map_or(0, |seen| seen.iter().filter(|b| **b == b'\n').count())
            + 1;
        return Err(Error::Malformed {
            file: file.name.clone(),
            location: format!("line {line}"),
            reason: "the file ends inside a quoted field: it is truncated".into(),
        });
    }
    let mut line = 1u64;
    let mut counted = 0;
    let mut out = Vec::with_capacity(records.len());
    for ((start, fields), end) in records.into_iter().zip(ends) {
        let newlines = bytes
            .get(counted..start)
            .map_or(0, |seen| seen.iter().filter(|b| **b == b'\n').count());
        line += u64::try_from(newlines).unwrap_or(0);
        counted = start.max(counted);
        let raw = bytes
            .get(start..end)
            .map(|raw| String::from_utf8_lossy(raw).trim_end().to_owned())
            .unwrap_or_default();
        out.push(CsvRecord { line, fields, raw });
    }
    Ok(out)
}

/// Whether a record's text ends inside a quoted field, which the csv reader accepts silently
/// at the end of input.
pub(crate) fn ends_inside_quotes(raw: &[u8]) -> bool {
    let mut quoted = false;
    let mut field_start = true;
    let mut bytes = raw.iter().copied().peekable();
    while let Some(byte) = bytes.next() {
        if quoted {
            if byte == b'"' {
                if bytes.peek() == Some(&b'"') {
                    bytes.next();
                } else {
                    quoted = false;
                }
            }
            field_start = false;
            continue;
        }
        match byte {
            b'"' if field_start => {
                quoted = true;
                field_start = false;
            }
            b',' | b'\r' | b'\n' => field_start = true,
            _ => field_start = false,
        }
    }
    quoted
}

/// Maps a header row's column names to their positions, and checks that every `required`
/// column is there; `format` names the expected format in the error.
pub(crate) fn header_index(
    file: &SourceFile,
    line: u64,
    header: &csv::ByteRecord,
    required: &[&str],
    format: &str,
) -> Result<HashMap<String, usize>, Error> {
    let index: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, name)| (String::from_utf8_lossy(name).trim().to_owned(), i))
        .collect();
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !index.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Malformed {
            file: file.name.clone(),
            location: format!("line {line}"),
            reason: format!(
                "header lacks column(s) {}; not a {format}",
                missing.join(", ")
            ),
        });
    }
    Ok(index)
}

/// One decoded data row: its line, its cells, and its text as written.
pub(crate) struct Row {
    pub(crate) line: u64,
    pub(crate) cells: Vec<String>,
    pub(crate) raw: String,
}

impl Row {
    /// The trimmed cell of `column` by the header's `index`, `""` when the column is absent.
    pub(crate) fn cell<'a>(&'a self, index: &HashMap<String, usize>, column: &str) -> &'a str {
        index
            .get(column)
            .and_then(|&i| self.cells.get(i))
            .map_or("", |cell| cell.trim())
    }
}

/// A malformed-file error naming `line` of `file`.
pub(crate) fn malformed(file: &SourceFile, line: u64, reason: impl Into<String>) -> Error {
    Error::Malformed {
        file: file.name.clone(),
        location: format!("line {line}"),
        reason: reason.into(),
    }
}
