//! A small streaming XML reader shared by the XML list parsers (UN, EU).
//!
//! It checks that the file is well-formed XML with the expected root element, and hands every
//! element found at a given depth (a list record) to the parser as a little tree, with the line
//! it starts on and its raw text. The records are small, so a per-record tree keeps the parsers
//! simple while the file as a whole is streamed. Anything that is not well-formed XML (garbage
//! bytes, a truncated file, mismatched tags, text outside the root) is an [`Error::Malformed`]
//! naming the file and line.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::{Error, SourceFile, text};

/// One element of a record: its local name, attributes, direct text and child elements.
#[derive(Debug, Default)]
pub(crate) struct Element {
    /// The local name (without namespace prefix).
    pub(crate) name: String,
    /// Attributes as `(qualified name, unescaped value)`, in document order.
    pub(crate) attributes: Vec<(String, String)>,
    /// The element's own text (not its children's), unescaped, as written.
    pub(crate) text: String,
    /// Child elements in document order.
    pub(crate) children: Vec<Element>,
}

impl Element {
    /// The value of attribute `name`, trimmed; `None` when absent or blank.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    /// The first child called `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child called `name`.
    pub(crate) fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The element's text with runs of white space collapsed to one space (lists wrap long
    /// values over several lines); `None` when blank.
    pub(crate) fn text(&self) -> Option<String> {
        collapse_whitespace(&self.text)
    }

    /// The collapsed text of the first child called `name`; `None` when absent or blank.
    pub(crate) fn child_text(&self, name: &str) -> Option<String> {
        self.child(name).and_then(Element::text)
    }
}

/// Trims `text` and collapses inner runs of white space to one space; `None` when blank.
pub(crate) fn collapse_whitespace(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    (!out.is_empty()).then_some(out)
}

/// Appends `item` unless an equal one is already there.
pub(crate) fn push_unique<T: PartialEq>(items: &mut Vec<T>, item: T) {
    if !items.contains(&item) {
        items.push(item);
    }
}

/// One record handed to the parser.
pub(crate) struct Record {
    /// The record element and everything inside it.
    pub(crate) element: Element,
    /// The 1-based line its start tag is on.
    pub(crate) line: usize,
    /// The record's XML text as written in the file.
    pub(crate) raw: String,
}

/// Reads `file` as XML. The root element is given to `check_root` (without children), which
/// returns why it is the wrong document, if it is; then every element at `record_depth`
/// (the root is depth 1) is given to `on_record` in document order. Returns the encoding the
/// file was read in: UTF-8 unless its declaration names another.
pub(crate) fn read_records(
    file: &SourceFile,
    check_root: impl FnOnce(&Element) -> Result<(), String>,
    record_depth: usize,
    on_record: impl FnMut(Record),
) -> Result<&'static str, Error> {
    let bytes = file
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&file.bytes);
    let (bytes, encoding) = match declared_encoding(bytes) {
        None => (std::borrow::Cow::Borrowed(bytes), text::UTF_8),
        Some(label) => text::decode_labelled(bytes, &label).ok_or_else(|| Error::Malformed {
            file: file.name.clone(),
            location: "line 1".into(),
            reason: format!("the XML declaration names encoding {label:?}, which is not known"),
        })?,
    };
    read_decoded(file, &bytes, check_root, record_depth, on_record)?;
    Ok(encoding)
}

/// The `encoding` of the XML declaration, when there is one.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let start = bytes.trim_ascii_start();
    let declaration = start.strip_prefix(b"<?xml")?;
    let end = declaration.windows(2).position(|w| w == b"?>")?;
    let declaration = String::from_utf8_lossy(declaration.get(..end)?);
    let after = declaration.split_once("encoding")?.1.trim_start();
    let after = after.strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let value = after.get(1..)?.split(quote).next()?;
    Some(value.to_owned())
}

/// [`read_records`] on text already in UTF-8.
fn read_decoded(
    file: &SourceFile,
    bytes: &[u8],
    check_root: impl FnOnce(&Element) -> Result<(), String>,
    record_depth: usize,
    mut on_record: impl FnMut(Record),
) -> Result<(), Error> {
    let mut lines = LineCounter::new(bytes);
    let malformed = |line: usize, reason: String| Error::Malformed {
        file: file.name.clone(),
        location: format!("line {line}"),
        reason,
    };
    let mut reader = Reader::from_reader(bytes);
    let mut check_root = Some(check_root);
    let mut root_seen = false;
    // Names of the open elements, outermost first, to say where a truncated file stops.
    let mut open: Vec<String> = Vec::new();
    // The record being built: its ancestors-to-self path of open elements.
    let mut building: Vec<Element> = Vec::new();
    let mut record_start = 0usize;
    loop {
        let event_start = offset(reader.buffer_position(), bytes.len());
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                let at = offset(reader.error_position(), bytes.len());
                return Err(malformed(
                    lines.line_at(at),
                    format!("not well-formed XML: {error}"),
                ));
            }
        };
        match event {
            Event::Start(ref start) | Event::Empty(ref start) if open.is_empty() => {
                let line = lines.line_at(event_start);
                if root_seen {
                    return Err(malformed(line, "more than one root element".into()));
                }
                root_seen = true;
                let root = element(start).map_err(|reason| malformed(line, reason))?;
                if let Some(check) = check_root.take() {
                    check(&root).map_err(|reason| malformed(line, reason))?;
                }
                if matches!(event, Event::Start(_)) {
                    open.push(root.name);
                }
            }
            Event::Start(start) => {
                let started = element(&start)
                    .map_err(|reason| malformed(lines.line_at(event_start), reason))?;
                open.push(started.name.clone());
                if !building.is_empty() || open.len() == record_depth {
                    if building.is_empty() {
                        record_start = event_start;
                    }
                    building.push(started);
                }
            }
            Event::Empty(start) => {
                let empty = element(&start)
                    .map_err(|reason| malformed(lines.line_at(event_start), reason))?;
                if let Some(parent) = building.last_mut() {
                    parent.children.push(empty);
                } else if open.len() + 1 == record_depth {
                    let end = offset(reader.buffer_position(), bytes.len());
                    on_record(record(empty, &mut lines, bytes, event_start, end));
                }
            }
            Event::End(_) => {
                open.pop();
                if let Some(done) = building.pop() {
                    if let Some(parent) = building.last_mut() {
                        parent.children.push(done);
                    } else {
                        let end = offset(reader.buffer_position(), bytes.len());
                        on_record(record(done, &mut lines, bytes, record_start, end));
                    }
                }
            }
            Event::Text(text) => {
                let text = text.unescape().map_err(|error| {
                    malformed(lines.line_at(event_start), format!("bad text: {error}"))
                })?;
                if let Some(current) = building.last_mut() {
                    current.text.push_str(&text);
                } else if open.is_empty() && !text.trim().is_empty() {
                    return Err(malformed(
                        lines.line_at(event_start),
                        "text outside the root element (not an XML document?)".into(),
                    ));
                }
            }
            Event::CData(data) => {
                let text = data.decode().map_err(|error| {
                    malformed(lines.line_at(event_start), format!("bad CDATA: {error}"))
                })?;
                if let Some(current) = building.last_mut() {
                    current.text.push_str(&text);
                } else if open.is_empty() {
                    return Err(malformed(
                        lines.line_at(event_start),
                        "CDATA outside the root element".into(),
                    ));
                }
            }
            Event::Eof => {
                // Report the line of the last content, not the empty one after a final newline.
                let last = bytes
                    .iter()
                    .rposition(|b| !b.is_ascii_whitespace())
                    .unwrap_or(0);
                let line = lines.line_at(last);
                if let Some(inner) = open.last() {
                    return Err(malformed(
                        line,
                        format!("the file ends inside <{inner}>: it is truncated"),
                    ));
                }
                if !root_seen {
                    return Err(malformed(line, "no XML root element (empty file?)".into()));
                }
                return Ok(());
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
}

/// A reader position as an index into the file, clamped to its length.
fn offset(position: u64, len: usize) -> usize {
    usize::try_from(position).map_or(len, |p| p.min(len))
}

fn record(
    element: Element,
    lines: &mut LineCounter<'_>,
    bytes: &[u8],
    start: usize,
    end: usize,
) -> Record {
    let raw = bytes.get(start..end).unwrap_or_default();
    Record {
        element,
        line: lines.line_at(start),
        raw: String::from_utf8_lossy(raw).into_owned(),
    }
}

/// The element for a start tag: local name and unescaped attributes.
fn element(start: &BytesStart<'_>) -> Result<Element, String> {
    let name = std::str::from_utf8(start.local_name().as_ref())
        .map_err(|_| "an element name is not UTF-8".to_owned())?
        .to_owned();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|error| format!("bad attribute in <{name}>: {error}"))?;
        let key = std::str::from_utf8(attribute.key.as_ref())
            .map_err(|_| format!("an attribute name in <{name}> is not UTF-8"))?
            .to_owned();
        let value = attribute
            .unescape_value()
            .map_err(|error| format!("bad value of attribute {key} in <{name}>: {error}"))?
            .into_owned();
        attributes.push((key, value));
    }
    Ok(Element {
        name,
        attributes,
        text: String::new(),
        children: Vec::new(),
    })
}

/// Turns byte offsets into line numbers, counting newlines incrementally because offsets
/// mostly grow through the file.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of byte `offset`.
    fn line_at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.bytes.len());
        if offset < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        let skipped = self.bytes.get(self.offset..offset).unwrap_or_default();
        self.line += skipped.iter().filter(|&&b| b == b'\n').count();
        self.offset = offset;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            name: "test.xml".into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn records(text: &str, depth: usize) -> Result<Vec<Record>, Error> {
        let mut found = Vec::new();
        read_records(&file(text), |_| Ok(()), depth, |r| found.push(r))?;
        Ok(found)
    }

    #[test]
    fn reads_a_declared_single_byte_encoding() {
        let bytes = b"<?xml version='1.0' encoding='windows-1252'?><a><b>caf\xE9</b></a>".to_vec();
        let mut names = Vec::new();
        let encoding = read_records(
            &SourceFile {
                name: "x".into(),
                bytes,
            },
            |_| Ok(()),
            2,
            |r| names.extend(r.element.text()),
        )
        .expect("decoded");
        assert_eq!(
            (encoding, names),
            (text::WINDOWS_1252, vec!["café".to_owned()])
        );
        assert_eq!(
            declared_encoding(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>").as_deref(),
            Some("UTF-8")
        );
        assert_eq!(declared_encoding(b"<?xml version=\"1.0\"?><a/>"), None);
    }

    fn malformed_line(result: Result<Vec<Record>, Error>) -> String {
        match result {
            Err(Error::Malformed { location, .. }) => location,
            Err(other) => panic!("expected Malformed, got {other}"),
            Ok(_) => panic!("expected Malformed, got records"),
        }
    }

    #[test]
    fn hands_out_records_with_line_raw_text_and_tree() {
        let text = "<?xml version=\"1.0\"?>\n<root>\n  <list>\n    <rec id=\"a&amp;b\">\n      <name>  A\n   B </name>\n      <empty/>\n    </rec>\n    <rec/>\n  </list>\n</root>\n";
        let found = records(text, 3).expect("well-formed");
        assert_eq!(found.len(), 2);
        let first = &found[0];
        assert_eq!(first.line, 4);
        assert_eq!(first.element.attr("id"), Some("a&b"));
        assert_eq!(first.element.child_text("name").as_deref(), Some("A B"));
        assert!(first.element.child("empty").is_some());
        assert!(first.raw.starts_with("<rec id=\"a&amp;b\">") && first.raw.ends_with("</rec>"));
        assert_eq!(found[1].raw, "<rec/>");
        assert_eq!(found[1].line, 9);
    }

    #[test]
    fn rejects_truncated_garbage_and_stray_content() {
        assert_eq!(
            malformed_line(records("<root>\n<list>\n<rec>", 3)),
            "line 3"
        );
        assert_eq!(malformed_line(records("hello", 3)), "line 1");
        assert_eq!(malformed_line(records("", 3)), "line 1");
        assert_eq!(malformed_line(records("<a/>\n<b/>", 3)), "line 2");
        assert_eq!(malformed_line(records("<a>\n<b></c></a>", 3)), "line 2");
        assert!(records("\u{FEFF}<a/>", 3).is_ok());
        assert!(matches!(
            records("<a>&bogus;</a>", 1),
            Err(Error::Malformed { .. })
        ));
        let bytes = SourceFile {
            name: "x".into(),
            bytes: vec![b'<', b'a', b'>', 0xFF, 0xFE, b'<', b'/', b'a', b'>'],
        };
        let result = read_records(&bytes, |_| Ok(()), 2, |_| {});
        assert!(matches!(result, Err(Error::Malformed { .. })));
    }

    #[test]
    fn wrong_root_is_malformed_with_reason() {
        let result = read_records(
            &file("<other/>"),
            |root| Err(format!("root is {}", root.name)),
            2,
            |_| {},
        );
        match result {
            Err(Error::Malformed { reason, .. }) => assert_eq!(reason, "root is other"),
            other => panic!("expected Malformed, got {other:?}"),
        }
    }
}
