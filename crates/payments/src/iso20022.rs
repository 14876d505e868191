//! ISO 20022 XML: pacs.008, pacs.009 and pain.001, any version.
//!
//! The message is read into a small tree (messages are kilobytes; the size, depth and element
//! limits bound it), then walked by element name rather than by a schema per version: the
//! elements that carry screenable values (`Nm`, `BICFI`/`BIC`/`AnyBIC`/`BICOrBEI`, `IBAN`,
//! `PstlAdr`, `Ctry`, `Ustrd`, ...) have kept their names across versions, so one walker reads
//! `pacs.008.001.02` to `.001.12` alike, and a message with an element its schema does not
//! know is still screened in full rather than refused.
//!
//! `<!DOCTYPE` is refused outright, so no DTD is read and no entity is declared; quick-xml
//! expands only the five predefined entities and character references, and an unknown
//! `&name;` is a malformed-text error.

use interdict_model::CountryCode;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::iban::Iban;
use crate::lines::LineIndex;
use crate::message::{
    CountryRole, Format, Message, MessageType, PartyType, PostalAddress, ScreenableValue, ValueKind,
};
use crate::{Error, Limits};

/// The namespace prefix of every ISO 20022 message schema.
const NAMESPACE_PREFIX: &str = "urn:iso:std:iso:20022:tech:xsd:";

/// One element: its local name, default-namespace declaration, direct text and children.
#[derive(Debug, Default)]
struct Node {
    name: String,
    /// The ISO 20022 namespace declared on it, if any (`urn:iso:std:iso:20022:tech:xsd:...`).
    namespace: Option<String>,
    text: String,
    children: Vec<Node>,
    line: usize,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The collapsed text of the element; `None` when blank.
    fn value(&self) -> Option<String> {
        collapse(&self.text)
    }

    fn child_value(&self, name: &str) -> Option<String> {
        self.child(name).and_then(Node::value)
    }

    /// Depth-first search for the first element called `name`.
    fn find(&self, name: &str) -> Option<&Node> {
        if self.name == name {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }
}

/// Trims and collapses runs of white space to one space; `None` when blank.
pub(crate) fn collapse(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    (!out.is_empty()).then_some(out)
}

/// Parses one ISO 20022 XML document (optionally in an envelope with a business application
/// header).
pub(crate) fn parse(input: &[u8], limits: &Limits) -> Result<Message, Error> {
    let root = read_tree(input, limits)?;
    let document = root
        .find("Document")
        .filter(|d| !d.children.is_empty())
        .unwrap_or(&root);
    let (format, body) = identify(document)?;
    let mut out = Vec::new();
    if let Some(header) = root.find("AppHdr") {
        walk(header, "AppHdr", &mut out);
    }
    let group = body
        .child("GrpHdr")
        .ok_or_else(|| missing(body, &format, "GrpHdr"))?;
    let message_id = group.child_value("MsgId");
    walk(group, "GrpHdr", &mut out);

    let transactions: Vec<(&Node, Option<(usize, &Node)>)> = match format.message_type {
        MessageType::Pain001 => {
            let payments: Vec<&Node> = body.children_named("PmtInf").collect();
            let many = payments.len() > 1;
            let mut found = Vec::new();
            for (index, payment) in payments.iter().enumerate() {
                let prefix = indexed("PmtInf", index, many);
                for child in &payment.children {
                    if child.name != "CdtTrfTxInf" {
                        visit(payment, child, &prefix, &mut out);
                    }
                }
                found.extend(
                    payment
                        .children_named("CdtTrfTxInf")
                        .map(|tx| (tx, Some((index, *payment)))),
                );
            }
            found
        }
        _ => body
            .children_named("CdtTrfTxInf")
            .map(|tx| (tx, None))
            .collect(),
    };
    let first = transactions
        .first()
        .ok_or_else(|| missing(body, &format, "CdtTrfTxInf"))?;
    let reference = first.0.child("PmtId").and_then(|id| {
        id.child_value("UETR")
            .or_else(|| id.child_value("EndToEndId"))
            .or_else(|| id.child_value("InstrId"))
    });
    let many = transactions.len() > 1;
    for (index, (transaction, _)) in transactions.iter().enumerate() {
        walk(transaction, &indexed("CdtTrfTxInf", index, many), &mut out);
    }
    if out.len() > limits.max_values {
        return Err(Error::LimitExceeded {
            line: out.get(limits.max_values).map_or(root.line, |v| v.line),
            what: "screenable values",
            limit: limits.max_values,
        });
    }
    Ok(Message {
        format,
        message_id,
        reference,
        line: root.line,
        values: out,
    })
}

fn missing(body: &Node, format: &Format, field: &str) -> Error {
    Error::MissingField {
        line: body.line,
        message_type: format.to_string(),
        field: format!("{}/{field}", body.name),
    }
}

/// `name[i]` (1-based) when there are several, else `name`; empty for the only transaction,
/// whose fields are written below it as the labels do.
fn indexed(name: &str, index: usize, many: bool) -> String {
    match (many, name) {
        (true, _) => format!("{name}[{}]", index + 1),
        (false, "CdtTrfTxInf") => String::new(),
        (false, _) => name.to_owned(),
    }
}

/// The message type and version from the document's namespace, or from its message element
/// when the namespace is missing; and that message element.
fn identify(document: &Node) -> Result<(Format, &Node), Error> {
    let by_element = |node: &Node| match node.name.as_str() {
        "FIToFICstmrCdtTrf" => Some(MessageType::Pacs008),
        "FICdtTrf" => Some(MessageType::Pacs009),
        "CstmrCdtTrfInitn" => Some(MessageType::Pain001),
        _ => None,
    };
    // A message element sent without its `Document` wrapper is read as it is.
    let body = if by_element(document).is_some() {
        document
    } else {
        document.children.first().ok_or_else(|| Error::Malformed {
            line: document.line,
            element: Some(document.name.clone()),
            reason: "empty document".into(),
        })?
    };
    let by_element = by_element(body);
    let namespace = document
        .namespace
        .as_deref()
        .or(body.namespace.as_deref())
        .and_then(|ns| ns.strip_prefix(NAMESPACE_PREFIX));
    let format = match namespace {
        Some(name) => {
            let (family, version) = match name.get(..8) {
                Some(family) => (family, name.get(9..).filter(|v| !v.is_empty())),
                None => (name, None),
            };
            let message_type = match family {
                "pacs.008" => MessageType::Pacs008,
                "pacs.009" => MessageType::Pacs009,
                "pain.001" => MessageType::Pain001,
                _ => {
                    return Err(Error::UnsupportedType {
                        line: document.line,
                        message_type: name.to_owned(),
                    });
                }
            };
            if by_element != Some(message_type) {
                return Err(Error::Malformed {
                    line: body.line,
                    element: Some(body.name.clone()),
                    reason: format!("a {family} document cannot start with <{}>", body.name),
                });
            }
            Format {
                message_type,
                version: version.map(str::to_owned),
            }
        }
        None => match by_element {
            Some(message_type) => Format {
                message_type,
                version: None,
            },
            None => {
                return Err(Error::UnsupportedType {
                    line: body.line,
                    message_type: format!("<{}>", body.name),
                });
            }
        },
    };
    Ok((format, body))
}

/// Visits every child of `node`, writing paths below `path`.
fn walk(node: &Node, path: &str, out: &mut Vec<ScreenableValue>) {
    for child in &node.children {
        visit(node, child, path, out);
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}/{name}")
    }
}

/// Emits what `child` (an element of `parent`) holds, and walks on into it.
fn visit(parent: &Node, child: &Node, path: &str, out: &mut Vec<ScreenableValue>) {
    let here = join(path, &child.name);
    let mut push = |field: String, kind: ValueKind, value: String, line: usize| {
        out.push(ScreenableValue {
            field,
            kind,
            value,
            line,
        });
    };
    let leaf = child.children.is_empty();
    match child.name.as_str() {
        "Nm" if leaf => {
            if let Some(name) = child.value() {
                let address = parent
                    .child("PstlAdr")
                    .map(address)
                    .filter(|a| !a.is_empty());
                let country = address
                    .as_ref()
                    .and_then(|a| a.country)
                    .or_else(|| parent.child_value("CtryOfRes").and_then(|c| country(&c)));
                let kind = ValueKind::PartyName {
                    party_type: party_type(parent, path),
                    address,
                    country,
                };
                push(here, kind, name, child.line);
            }
        }
        "BICFI" | "BIC" | "AnyBIC" | "BICOrBEI" if leaf => {
            if let Some(bic) = child.value() {
                push(here, ValueKind::Bic, bic, child.line);
            }
        }
        "IBAN" if leaf => {
            if let Some(value) = child.value() {
                let kind = match Iban::parse(&value) {
                    Ok(iban) => ValueKind::Iban {
                        country: iban.country(),
                    },
                    Err(_) => ValueKind::Account,
                };
                push(here, kind, value, child.line);
            }
        }
        "PstlAdr" => {
            let parsed = address(child);
            let text = parsed.text();
            if !text.is_empty() {
                let line = child.children.first().map_or(child.line, |c| c.line);
                push(here.clone(), ValueKind::Address, text, line);
            }
            if let (Some(code), Some(node)) = (parsed.country, child.child("Ctry")) {
                push(
                    join(&here, "Ctry"),
                    ValueKind::Country {
                        country: code,
                        role: CountryRole::Address,
                    },
                    code.to_string(),
                    node.line,
                );
            }
        }
        "Ctry" | "CtryOfRes" | "CtryOfBirth" if leaf => {
            if let Some(code) = child.value().as_deref().and_then(country) {
                let role = match child.name.as_str() {
                    "CtryOfRes" => CountryRole::Residence,
                    "CtryOfBirth" => CountryRole::Birth,
                    _ => CountryRole::Other,
                };
                push(
                    here,
                    ValueKind::Country {
                        country: code,
                        role,
                    },
                    code.to_string(),
                    child.line,
                );
            }
        }
        "Ustrd" | "AddtlRmtInf" | "InstrInf" | "AddtlInf" | "Inf" | "Prtry"
            if leaf && free_text_context(&here) =>
        {
            if let Some(text) = child.value() {
                push(here, ValueKind::FreeText, text, child.line);
            }
        }
        "LEI" if leaf => {
            if let Some(lei) = child.value() {
                let kind = ValueKind::Identifier {
                    scheme: Some("LEI".into()),
                };
                push(here, kind, lei, child.line);
            }
        }
        "MmbId" if leaf => {
            if let Some(member) = child.value() {
                let scheme = parent
                    .child("ClrSysId")
                    .and_then(|c| c.child_value("Cd").or_else(|| c.child_value("Prtry")));
                push(here, ValueKind::Identifier { scheme }, member, child.line);
            }
        }
        "Id" if leaf => {
            if let Some(id) = child.value() {
                if path.split('/').any(|segment| segment.ends_with("Acct")) {
                    push(here, ValueKind::Account, id, child.line);
                } else if parent.name == "Othr"
                    && path
                        .split('/')
                        .any(|s| matches!(s, "OrgId" | "PrvtId" | "FinInstnId"))
                {
                    let scheme = parent
                        .child("SchmeNm")
                        .and_then(|s| s.child_value("Cd").or_else(|| s.child_value("Prtry")));
                    push(here, ValueKind::Identifier { scheme }, id, child.line);
                }
            }
        }
        _ if !leaf => walk(child, &here, out),
        _ => {}
    }
}

/// `Prtry` is free text only as a purpose; elsewhere it is a proprietary code.
fn free_text_context(path: &str) -> bool {
    !path.ends_with("/Prtry") || path.ends_with("Purp/Prtry")
}

/// Whether the element holding a name says it is a person or an organisation.
fn party_type(party: &Node, path: &str) -> PartyType {
    if party.name == "FinInstnId" || path.ends_with("FinInstnId") {
        return PartyType::Organization;
    }
    if party.name == "CtctDtls" {
        return PartyType::Person;
    }
    match party.child("Id") {
        Some(id) if id.child("OrgId").is_some() => PartyType::Organization,
        Some(id) if id.child("PrvtId").is_some() => PartyType::Person,
        _ => PartyType::Unknown,
    }
}

fn country(code: &str) -> Option<CountryCode> {
    let code = code.trim();
    (code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| interdict_model::country_code(code))
        .flatten()
}

/// A `PstlAdr` element as a [`PostalAddress`]: structured parts and free lines.
fn address(node: &Node) -> PostalAddress {
    let mut street = Vec::new();
    let mut lines = Vec::new();
    for part in &node.children {
        match part.name.as_str() {
            "Dept" | "SubDept" | "StrtNm" | "BldgNb" | "BldgNm" | "Flr" | "PstBx" | "Room"
            | "TwnLctnNm" | "DstrctNm" => street.extend(part.value()),
            "AdrLine" => lines.extend(part.value()),
            _ => {}
        }
    }
    if !street.is_empty() {
        lines.insert(0, street.join(" "));
    }
    PostalAddress {
        lines,
        post_code: node.child_value("PstCd"),
        town: node.child_value("TwnNm"),
        subdivision: node.child_value("CtrySubDvsn"),
        country: node.child_value("Ctry").as_deref().and_then(country),
    }
}

/// Reads the whole document into a tree, refusing DTDs and enforcing the limits.
fn read_tree(input: &[u8], limits: &Limits) -> Result<Node, Error> {
    let lines = LineIndex::new(input);
    let malformed = |at: usize, open: &[Node], reason: String| Error::Malformed {
        line: lines.line_at(at),
        element: (!open.is_empty()).then(|| {
            open.iter()
                .map(|n| n.name.as_str())
                .collect::<Vec<_>>()
                .join("/")
        }),
        reason,
    };
    let mut reader = Reader::from_reader(input);
    let mut open: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    let mut elements = 0usize;
    loop {
        let at = offset(reader.buffer_position(), input.len());
        let event = reader.read_event().map_err(|error| {
            let at = offset(reader.error_position(), input.len());
            malformed(at, &open, format!("not well-formed XML: {error}"))
        })?;
        match event {
            Event::DocType(_) => {
                return Err(Error::DoctypeRefused {
                    line: lines.line_at(at),
                });
            }
            Event::Start(ref start) | Event::Empty(ref start) => {
                if root.is_some() {
                    return Err(malformed(at, &open, "more than one root element".into()));
                }
                elements += 1;
                if elements > limits.max_elements {
                    return Err(Error::LimitExceeded {
                        line: lines.line_at(at),
                        what: "XML elements",
                        limit: limits.max_elements,
                    });
                }
                if open.len() >= limits.max_depth {
                    return Err(Error::LimitExceeded {
                        line: lines.line_at(at),
                        what: "XML nesting depth",
                        limit: limits.max_depth,
                    });
                }
                let node = node(start, lines.line_at(at)).map_err(|r| malformed(at, &open, r))?;
                if matches!(event, Event::Start(_)) {
                    open.push(node);
                } else {
                    close(node, &mut open, &mut root);
                }
            }
            Event::End(_) => {
                if let Some(done) = open.pop() {
                    close(done, &mut open, &mut root);
                }
            }
            Event::Text(text) => {
                let text = text
                    .unescape()
                    .map_err(|e| malformed(at, &open, format!("bad text: {e}")))?;
                match open.last_mut() {
                    Some(current) => current.text.push_str(&text),
                    None if !text.trim().is_empty() => {
                        return Err(malformed(at, &open, "text outside the root element".into()));
                    }
                    None => {}
                }
            }
            Event::CData(data) => {
                let text = data
                    .decode()
                    .map_err(|e| malformed(at, &open, format!("bad CDATA: {e}")))?;
                match open.last_mut() {
                    Some(current) => current.text.push_str(&text),
                    None => {
                        return Err(malformed(
                            at,
                            &open,
                            "CDATA outside the root element".into(),
                        ));
                    }
                }
            }
            Event::Eof => {
                let last = input
                    .iter()
                    .rposition(|b| !b.is_ascii_whitespace())
                    .unwrap_or(0);
                if let Some(inner) = open.last() {
                    let reason = format!("the message ends inside <{}>: truncated", inner.name);
                    return Err(malformed(last, &open, reason));
                }
                return root.ok_or_else(|| Error::Malformed {
                    line: lines.line_at(last),
                    element: None,
                    reason: "no XML root element".into(),
                });
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
}

fn close(done: Node, open: &mut [Node], root: &mut Option<Node>) {
    match open.last_mut() {
        Some(parent) => parent.children.push(done),
        None => *root = Some(done),
    }
}

fn offset(position: u64, len: usize) -> usize {
    usize::try_from(position).map_or(len, |p| p.min(len))
}

/// A started element: local name and the ISO 20022 namespace it declares.
fn node(start: &BytesStart<'_>, line: usize) -> Result<Node, String> {
    let name = std::str::from_utf8(start.local_name().as_ref())
        .map_err(|_| "element name is not UTF-8".to_owned())?
        .to_owned();
    let mut namespace = None;
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| format!("bad attribute in <{name}>: {e}"))?;
        let key = attribute.key.as_ref();
        if key == b"xmlns" || key.starts_with(b"xmlns:") {
            let value = attribute
                .unescape_value()
                .map_err(|e| format!("bad namespace in <{name}>: {e}"))?;
            if value.starts_with(NAMESPACE_PREFIX) && !value.contains(":head.") {
                namespace = Some(value.into_owned());
            }
        }
    }
    Ok(Node {
        name,
        namespace,
        line,
        ..Node::default()
    })
}
