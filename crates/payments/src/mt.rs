//! SWIFT MT103 and MT202 / MT202 COV: blocks 1 to 5, and the fields of block 4 by tag and
//! option.
//!
//! A field runs from its `:TAG:` at the start of a line to the next one; its continuation
//! lines are kept apart, so that a value wrapped at the 35-character line length can be
//! rejoined (names within a field, wallet addresses in free text). The options read are those
//! that carry parties: A (BIC with an optional account or party-identifier line), B (location),
//! C (account), D, K and no letter (name and address lines), F (structured lines `1/` name,
//! `2/` address, `3/` country and town, `4/` to `8/` birth and identity details).

use interdict_model::CountryCode;

use crate::iban::Iban;
use crate::message::{
    CountryRole, Format, Message, MessageType, PartyType, PostalAddress, ScreenableValue, ValueKind,
};
use crate::{Error, Limits};

/// One field of block 4.
#[derive(Debug)]
struct Field<'a> {
    /// Tag with option letter: `50K`, `59`, `57A`.
    tag: &'a str,
    /// The value's lines, the first without its tag.
    lines: Vec<&'a str>,
    /// The line of the input the tag is on (1-based).
    line: usize,
}

/// The header blocks and the fields of one message.
struct Blocks<'a> {
    basic: Option<(&'a str, usize)>,
    application: Option<(&'a str, usize)>,
    user: Option<&'a str>,
    text: Option<(&'a str, usize)>,
}

/// Parses one MT message (`{1:...}{2:...}{3:...}{4:...-}{5:...}`).
pub(crate) fn parse(input: &str, limits: &Limits) -> Result<Message, Error> {
    let blocks = blocks(input)?;
    let start_line = 1 + leading_lines(input);
    let (application, application_line) = blocks.application.ok_or_else(|| Error::Malformed {
        line: start_line,
        element: Some("{2:}".into()),
        reason: "no application header block {2:}: the message type is unknown".into(),
    })?;
    let mt = application.get(1..4).unwrap_or_default();
    let cover = blocks.user.is_some_and(|user| user.contains("{119:COV}"));
    let message_type = match mt {
        "103" => MessageType::Mt103,
        "202" if cover => MessageType::Mt202Cov,
        "202" => MessageType::Mt202,
        _ => {
            return Err(Error::UnsupportedType {
                line: application_line,
                message_type: format!("MT{mt}"),
            });
        }
    };
    let format = Format {
        message_type,
        version: None,
    };
    let (text, text_line) = blocks.text.ok_or_else(|| Error::MissingField {
        line: start_line,
        message_type: format.to_string(),
        field: "{4:}".into(),
    })?;
    let fields = fields(text, text_line, limits)?;
    check_mandatory(&format, &fields, text_line)?;

    let mut out = Vec::new();
    if let Some((basic, line)) = blocks.basic
        && let Some(bic) = logical_terminal_bic(basic.get(3..15))
    {
        out.push(value("{1:}", ValueKind::Bic, bic, line));
    }
    let receiver = match application.get(..1) {
        Some("I") => application.get(4..16),
        _ => application.get(14..26),
    };
    if let Some(bic) = logical_terminal_bic(receiver) {
        out.push(value("{2:}", ValueKind::Bic, bic, application_line));
    }
    let mut in_sequence_b = false;
    let mut message_id = None;
    let mut related = None;
    for field in &fields {
        if message_type == MessageType::Mt202Cov && field.tag.starts_with("50") {
            in_sequence_b = true;
        }
        let path = if in_sequence_b {
            format!("B/:{}:", field.tag)
        } else {
            format!(":{}:", field.tag)
        };
        match field.tag {
            "20" if !in_sequence_b => message_id = field.lines.first().map(|l| l.trim().to_owned()),
            "21" if !in_sequence_b => related = field.lines.first().map(|l| l.trim().to_owned()),
            _ => read_field(field, &path, &mut out),
        }
    }
    if out.len() > limits.max_values {
        return Err(Error::LimitExceeded {
            line: out.get(limits.max_values).map_or(text_line, |v| v.line),
            what: "screenable values",
            limit: limits.max_values,
        });
    }
    let uetr = blocks.user.and_then(|user| {
        let start = user.find("{121:")? + 5;
        let end = start + user.get(start..)?.find('}')?;
        user.get(start..end).map(str::to_owned)
    });
    Ok(Message {
        format,
        message_id,
        reference: uetr.or(related),
        line: start_line,
        values: out,
    })
}

fn value(field: &str, kind: ValueKind, value: String, line: usize) -> ScreenableValue {
    ScreenableValue {
        field: field.to_owned(),
        kind,
        value,
        line,
    }
}

/// The number of lines before the first non-blank character.
fn leading_lines(input: &str) -> usize {
    let content = input.len() - input.trim_start().len();
    input[..content].matches('\n').count()
}

/// The BIC of a 12-character logical terminal address: its BIC8 and branch, without the
/// terminal code (`BANKBEBBAXXX` → `BANKBEBBXXX`).
fn logical_terminal_bic(address: Option<&str>) -> Option<String> {
    let address = address?;
    let (bic8, rest) = (address.get(..8)?, address.get(9..12)?);
    address
        .bytes()
        .all(|b| b.is_ascii_alphanumeric())
        .then(|| format!("{bic8}{rest}"))
}

/// Splits the message into its blocks, checking that each is closed.
fn blocks(input: &str) -> Result<Blocks<'_>, Error> {
    let mut found = Blocks {
        basic: None,
        application: None,
        user: None,
        text: None,
    };
    let line_of = |offset: usize| 1 + input[..offset].matches('\n').count();
    let mut rest = input.trim_start();
    while !rest.is_empty() {
        let offset = input.len() - rest.len();
        let malformed = |reason: String, element: Option<String>| Error::Malformed {
            line: line_of(offset),
            element,
            reason,
        };
        let Some(open) = rest.strip_prefix('{') else {
            let shown: String = rest.chars().take(20).collect();
            return Err(malformed(
                format!("expected a block `{{n:`, found {shown:?}"),
                None,
            ));
        };
        let Some((id, body)) = open.split_once(':').filter(|(id, _)| {
            !id.is_empty() && id.len() <= 3 && id.bytes().all(|b| b.is_ascii_alphanumeric())
        }) else {
            return Err(malformed(
                "a block without its `n:` identifier".into(),
                None,
            ));
        };
        let element = format!("{{{id}:}}");
        let body_offset = input.len() - body.len();
        let (content, after) = if id == "4" {
            // Block 4 ends with a line holding `-}`; its fields may contain braces.
            let end = find_text_end(body).ok_or_else(|| {
                malformed(
                    "block 4 is not closed by `-}`".into(),
                    Some(element.clone()),
                )
            })?;
            (&body[..end.0], &body[end.1..])
        } else {
            let end = matching_brace(body).ok_or_else(|| {
                malformed(
                    format!("block {element} is not closed"),
                    Some(element.clone()),
                )
            })?;
            (&body[..end], &body[end + 1..])
        };
        let line = line_of(body_offset);
        let repeated = match id {
            "1" => found.basic.is_some(),
            "2" => found.application.is_some(),
            "3" => found.user.is_some(),
            "4" => found.text.is_some(),
            _ => false,
        };
        if repeated {
            return Err(malformed(
                format!("a second block {element}: one message was expected, several were given"),
                Some(element),
            ));
        }
        match id {
            "1" => found.basic = Some((content, line)),
            "2" => found.application = Some((content, line)),
            "3" => found.user = Some(content),
            "4" => found.text = Some((content, line)),
            "5" | "S" => {}
            _ => {
                return Err(malformed(format!("unknown block {element}"), Some(element)));
            }
        }
        rest = after.trim_start();
    }
    if found.basic.is_none() && found.text.is_none() {
        return Err(Error::UnknownFormat {
            line: 1 + leading_lines(input),
            reason: "no SWIFT MT blocks".into(),
        });
    }
    Ok(found)
}

/// The index of the `}` closing a block whose content starts `body` (nested `{...}` allowed).
fn matching_brace(body: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (index, byte) in body.bytes().enumerate() {
        match byte {
            b'{' => depth += 1,
            b'}' if depth == 0 => return Some(index),
            b'}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Where block 4's content ends (the line break before `-}`) and where the block after it
/// starts.
fn find_text_end(body: &str) -> Option<(usize, usize)> {
    let mut search = 0;
    while let Some(found) = body.get(search..)?.find("-}") {
        let at = search + found;
        let before = &body[..at];
        let line_start = before.trim_end_matches([' ', '\t']);
        if line_start.is_empty() || line_start.ends_with('\n') {
            return Some((line_start.len(), at + 2));
        }
        search = at + 2;
    }
    None
}

/// The fields of block 4.
fn fields<'a>(text: &'a str, first_line: usize, limits: &Limits) -> Result<Vec<Field<'a>>, Error> {
    let mut fields: Vec<Field<'a>> = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = raw.trim_end_matches('\r');
        let number = first_line + index;
        if let Some((tag, value)) = field_start(line) {
            if fields.len() >= limits.max_fields {
                return Err(Error::LimitExceeded {
                    line: number,
                    what: "fields in block 4",
                    limit: limits.max_fields,
                });
            }
            fields.push(Field {
                tag,
                lines: vec![value],
                line: number,
            });
        } else if let Some(current) = fields.last_mut() {
            current.lines.push(line);
        } else if !line.trim().is_empty() {
            return Err(Error::Malformed {
                line: number,
                element: Some("{4:}".into()),
                reason: "text before the first field tag".into(),
            });
        }
    }
    for field in &mut fields {
        while field.lines.last().is_some_and(|l| l.trim().is_empty()) {
            field.lines.pop();
        }
    }
    Ok(fields)
}

/// `:50K:rest` → (`50K`, `rest`).
fn field_start(line: &str) -> Option<(&str, &str)> {
    let inner = line.strip_prefix(':')?;
    let (tag, value) = inner.split_once(':')?;
    let bytes = tag.as_bytes();
    let valid = matches!(bytes.len(), 2 | 3)
        && bytes[..2].iter().all(u8::is_ascii_digit)
        && bytes.get(2).is_none_or(u8::is_ascii_uppercase);
    valid.then_some((tag, value))
}

/// The fields each message type must have.
fn check_mandatory(format: &Format, fields: &[Field<'_>], line: usize) -> Result<(), Error> {
    /// A required field: its tag, and whether any option letter will do (`50a`).
    struct Required(&'static str, bool);
    const REFERENCE: Required = Required("20", false);
    const RELATED: Required = Required("21", false);
    const AMOUNT: Required = Required("32A", false);
    const ORDERING: Required = Required("50", true);
    const BENEFICIARY: Required = Required("59", true);
    const BENEFICIARY_INSTITUTION: Required = Required("58", true);
    let required: &[Required] = match format.message_type {
        MessageType::Mt103 => &[REFERENCE, AMOUNT, ORDERING, BENEFICIARY],
        MessageType::Mt202 => &[REFERENCE, RELATED, AMOUNT, BENEFICIARY_INSTITUTION],
        MessageType::Mt202Cov => &[
            REFERENCE,
            RELATED,
            AMOUNT,
            BENEFICIARY_INSTITUTION,
            ORDERING,
            BENEFICIARY,
        ],
        _ => &[],
    };
    for Required(tag, any_option) in required {
        let present = fields.iter().any(|f| match f.tag.strip_prefix(tag) {
            Some(option) => option.is_empty() || *any_option,
            None => false,
        });
        if !present {
            let option = if *any_option { "a" } else { "" };
            return Err(Error::MissingField {
                line,
                message_type: format.to_string(),
                field: format!(":{tag}{option}:"),
            });
        }
    }
    Ok(())
}

/// Emits the values of one field.
fn read_field(field: &Field<'_>, path: &str, out: &mut Vec<ScreenableValue>) {
    let tag = field.tag;
    let (number, option) = tag.split_at(2);
    let party = matches!(
        number,
        "50" | "51" | "52" | "53" | "54" | "55" | "56" | "57" | "58" | "59"
    );
    match (number, option) {
        ("70" | "72" | "77", _) => free_text(field, path, out),
        ("50" | "59", "F") => structured_party(field, path, out),
        (_, "A") if party => option_a(field, path, out),
        (_, "B") if party => option_b(field, path, out),
        (_, "C") if party => account_lines(field, path, out),
        (_, "D") if party => name_and_address(field, path, PartyType::Organization, out),
        ("50", "K") | ("59", "") => name_and_address(field, path, PartyType::Unknown, out),
        _ => {}
    }
}

/// Pushes `/account` (or `/C/...`, `/D/...`, `//FW...`) as an IBAN or account.
fn account(text: &str, path: &str, line: usize, out: &mut Vec<ScreenableValue>) {
    let trimmed = text.trim();
    let stripped = ["/C/", "/D/", "//", "/"]
        .iter()
        .find_map(|prefix| trimmed.strip_prefix(prefix))
        .unwrap_or(trimmed)
        .trim();
    if stripped.is_empty() {
        return;
    }
    let kind = match Iban::parse(stripped) {
        Ok(iban) => ValueKind::Iban {
            country: iban.country(),
        },
        Err(_) => ValueKind::Account,
    };
    out.push(value(path, kind, stripped.to_owned(), line));
}

/// The lines of a party field after its optional `/account` line, with their line numbers.
fn after_account<'a>(
    field: &Field<'a>,
    path: &str,
    out: &mut Vec<ScreenableValue>,
) -> Vec<(&'a str, usize)> {
    let mut lines = field
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| (l.trim(), field.line + i))
        .filter(|(l, _)| !l.is_empty())
        .peekable();
    if let Some((first, line)) = lines.peek().copied()
        && first.starts_with('/')
    {
        account(first, path, line, out);
        lines.next();
    }
    lines.collect()
}

fn option_a(field: &Field<'_>, path: &str, out: &mut Vec<ScreenableValue>) {
    for (text, line) in after_account(field, path, out) {
        let bic: String = text.split_whitespace().collect();
        out.push(value(path, ValueKind::Bic, bic, line));
    }
}

fn option_b(field: &Field<'_>, path: &str, out: &mut Vec<ScreenableValue>) {
    for (text, line) in after_account(field, path, out) {
        out.push(value(path, ValueKind::Address, text.to_owned(), line));
    }
}

fn account_lines(field: &Field<'_>, path: &str, out: &mut Vec<ScreenableValue>) {
    for (offset, text) in field.lines.iter().enumerate() {
        account(text, path, field.line + offset, out);
    }
}

/// Option K, D and no letter: up to four lines of name and address. The name is the first
/// line; the second continues it when the first is full-length (wrapped at 35 characters) and
/// the second holds no digits (addresses do: a street number, a post code).
fn name_and_address(
    field: &Field<'_>,
    path: &str,
    party_type: PartyType,
    out: &mut Vec<ScreenableValue>,
) {
    let lines = after_account(field, path, out);
    let Some(&(first, line)) = lines.first() else {
        return;
    };
    let wrapped = first.chars().count() >= 33
        && lines.len() >= 3
        && lines
            .get(1)
            .is_some_and(|(l, _)| !l.bytes().any(|b| b.is_ascii_digit()));
    let name_lines = if wrapped { 2 } else { 1 };
    let name = lines[..name_lines]
        .iter()
        .map(|(l, _)| *l)
        .collect::<Vec<_>>()
        .join(" ");
    let address_lines: Vec<String> = lines[name_lines..]
        .iter()
        .map(|(l, _)| (*l).to_owned())
        .collect();
    let country = address_lines
        .last()
        .and_then(|last| last.split_whitespace().last())
        .and_then(country_code);
    let address = PostalAddress {
        lines: address_lines.clone(),
        country,
        ..PostalAddress::default()
    };
    out.push(value(
        path,
        ValueKind::PartyName {
            party_type,
            address: (!address.is_empty()).then(|| address.clone()),
            country,
        },
        name,
        line,
    ));
    for &(text, line) in &lines[name_lines..] {
        out.push(value(path, ValueKind::Address, text.to_owned(), line));
    }
    if let (Some(code), Some(&(_, line))) = (country, lines.last()) {
        out.push(value(
            path,
            ValueKind::Country {
                country: code,
                role: CountryRole::Address,
            },
            code.to_string(),
            line,
        ));
    }
}

/// A two-letter country code written as such (`IR`, not `Iran`).
fn country_code(text: &str) -> Option<CountryCode> {
    (text.len() == 2 && text.bytes().all(|b| b.is_ascii_uppercase()))
        .then(|| interdict_model::country_code(text))
        .flatten()
}

/// Option F of 50 and 59: a party identifier line, then numbered lines.
fn structured_party(field: &Field<'_>, path: &str, out: &mut Vec<ScreenableValue>) {
    let mut lines = field
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| (l.trim(), field.line + i))
        .filter(|(l, _)| !l.is_empty())
        .peekable();
    let mut person = false;
    // The first line is `/account` or `CODE/CC/identifier`, unless it is already numbered.
    if let Some(&(first, line)) = lines.peek()
        && !is_numbered(first)
    {
        lines.next();
        if first.starts_with('/') {
            account(first, path, line, out);
        } else {
            let mut parts = first.splitn(3, '/');
            let code = parts.next().unwrap_or_default();
            let issuer = parts.next().and_then(country_code);
            let id = parts.next().unwrap_or_default().trim();
            person |= matches!(code, "ARNU" | "CCPT" | "DRLC" | "EMPL" | "NIDN" | "SOSE");
            if !id.is_empty() {
                let kind = ValueKind::Identifier {
                    scheme: Some(code.to_owned()),
                };
                out.push(value(path, kind, id.to_owned(), line));
            }
            if let Some(code) = issuer {
                out.push(value(
                    path,
                    ValueKind::Country {
                        country: code,
                        role: CountryRole::IdentityDocument,
                    },
                    code.to_string(),
                    line,
                ));
            }
        }
    }
    let mut name: Vec<&str> = Vec::new();
    let mut name_line = field.line;
    let mut address = PostalAddress::default();
    let mut address_lines: Vec<(String, usize)> = Vec::new();
    let mut countries: Vec<(CountryCode, CountryRole, usize)> = Vec::new();
    for (text, line) in lines {
        let (number, rest) = match text.split_once('/') {
            Some((number, rest)) if is_numbered(text) => (number, rest.trim()),
            _ => ("8", text),
        };
        match number {
            "1" => {
                if name.is_empty() {
                    name_line = line;
                }
                name.push(rest);
            }
            "2" => {
                address.lines.push(rest.to_owned());
                address_lines.push((rest.to_owned(), line));
            }
            "3" => {
                let (code, town) = rest.split_once('/').unwrap_or((rest, ""));
                if let Some(code) = country_code(code.trim()) {
                    countries.push((code, CountryRole::Address, line));
                    address.country = Some(code);
                }
                let town = town.trim();
                if !town.is_empty() {
                    address.town = Some(town.to_owned());
                    address_lines.push((town.to_owned(), line));
                }
            }
            // Birth date, place of birth, identity documents: a person; the countries of
            // birth and of issue are kept, but do not place the party anywhere.
            "4" | "5" | "6" | "7" => {
                person = true;
                let role = if number == "5" {
                    CountryRole::Birth
                } else {
                    CountryRole::IdentityDocument
                };
                if number != "4"
                    && let Some(code) = rest.split('/').next().and_then(|c| country_code(c.trim()))
                {
                    countries.push((code, role, line));
                }
            }
            _ => {}
        }
    }
    let country = address.country;
    if !name.is_empty() {
        let party_type = if person {
            PartyType::Person
        } else {
            PartyType::Unknown
        };
        out.push(value(
            path,
            ValueKind::PartyName {
                party_type,
                address: (!address.is_empty()).then(|| address.clone()),
                country,
            },
            name.join(" "),
            name_line,
        ));
    }
    for (text, line) in address_lines {
        out.push(value(path, ValueKind::Address, text, line));
    }
    for (code, role, line) in countries {
        out.push(value(
            path,
            ValueKind::Country {
                country: code,
                role,
            },
            code.to_string(),
            line,
        ));
    }
}

fn is_numbered(line: &str) -> bool {
    let bytes = line.as_bytes();
    bytes.len() >= 2 && (b'1'..=b'8').contains(&bytes[0]) && bytes[1] == b'/'
}

/// Fields 70, 72 and 77B: the text with its line breaks, plus the BICs of 72's `/INS/` (the
/// instructing institution) and the countries of 77B's `/ORDERRES/` and `/BENEFRES/`.
fn free_text(field: &Field<'_>, path: &str, out: &mut Vec<ScreenableValue>) {
    let text = field
        .lines
        .iter()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join("\n");
    if text.trim().is_empty() {
        return;
    }
    out.push(value(path, ValueKind::FreeText, text, field.line));
    for (offset, line) in field.lines.iter().enumerate() {
        let line_number = field.line + offset;
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("/INS/") {
            let bic: String = rest.split_whitespace().collect();
            if !bic.is_empty() {
                out.push(value(path, ValueKind::Bic, bic, line_number));
            }
        }
        for code in ["/ORDERRES/", "/BENEFRES/"] {
            if let Some(rest) = line.strip_prefix(code)
                && let Some(country) = rest.get(..2).and_then(country_code)
            {
                out.push(value(
                    path,
                    ValueKind::Country {
                        country,
                        role: CountryRole::Residence,
                    },
                    country.to_string(),
                    line_number,
                ));
            }
        }
    }
}
