//! Payment messages into screenable values, and the screening rules that need no name
//! matcher.
//!
//! [`parse`] reads ISO 20022 XML (pacs.008, pacs.009, pain.001, any version) and SWIFT MT
//! (MT103, MT202, MT202 COV, several messages one after another) into [`Message`]s: each
//! value to screen with its field path (`Cdtr/Nm`, `CdtrAgt/FinInstnId/BICFI`, `:59:`, `:70:`)
//! and its [`ValueKind`] (party name with person/organisation, address and country; BIC;
//! IBAN or account; country; address; identifier; free text). A malformed message is an
//! [`Error`] naming its line and element, and the other messages of a batch are still read.
//!
//! [`Screener`] applies the rules that are exact: BICs against the BICs listed entities carry
//! (a listed BIC8 covers every branch), IMO numbers and digital-currency addresses found in
//! free text against listed identifiers, and a [`JurisdictionTable`] per regime against
//! addresses, countries, BIC country codes and IBAN prefixes. It returns [`Hit`]s; the names
//! and free text are for the name matcher and text scanner of `interdict-matching`, which the
//! application layer runs on the same values and merges into one result per message.
//!
//! This crate depends only on `interdict-model`. It does no I/O: it parses the bytes it is
//! given. It must not use `interdict-matching` (the app layer wires the two), the store, HTTP
//! or clap.

#![deny(missing_docs)]

mod bic;
mod crypto;
mod error;
mod iban;
mod imo;
mod iso20022;
mod jurisdiction;
mod lines;
mod message;
mod mt;
mod screen;

pub use bic::{Bic, BicError};
/// The calendar date jurisdiction rules are in force on (re-exported for callers).
pub use chrono::NaiveDate;
pub use crypto::{CryptoKind, classify_crypto_address};
pub use error::Error;
pub use iban::{Iban, IbanError};
pub use imo::{find_imo_numbers, is_valid_imo};
pub use jurisdiction::{JurisdictionRule, JurisdictionTable, Regime};
pub use message::{
    CountryRole, Format, Message, MessageType, PartyType, PostalAddress, ScreenableValue, ValueKind,
};
pub use screen::{Hit, HitKind, Screener};

/// Bounds on what one message may hold, so that a hostile input costs bounded memory and time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Bytes in one message (an XML document, or one MT message of a batch).
    pub max_message_bytes: usize,
    /// XML nesting depth.
    pub max_depth: usize,
    /// XML elements in one message.
    pub max_elements: usize,
    /// Fields in one MT block 4.
    pub max_fields: usize,
    /// Screenable values in one message.
    pub max_values: usize,
    /// Messages in one input.
    pub max_messages: usize,
}

impl Default for Limits {
    /// 1 MiB, depth 64, 50,000 elements, 1,000 MT fields, 10,000 values, 10,000 messages: far
    /// above any real payment (a pacs.008 of a few hundred transactions), far below harm.
    fn default() -> Self {
        Limits {
            max_message_bytes: 1024 * 1024,
            max_depth: 64,
            max_elements: 50_000,
            max_fields: 1_000,
            max_values: 10_000,
            max_messages: 10_000,
        }
    }
}

/// Parses one input: an ISO 20022 XML document, or one or more SWIFT MT messages one after
/// another. Returns one entry per message, in input order: the message, or why it could not
/// be read (with its line in the whole input). A bad message never stops the others.
pub fn parse(input: &[u8], limits: &Limits) -> Vec<Result<Message, Error>> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    match input
        .iter()
        .find(|b| !b.is_ascii_whitespace() && !matches!(b, 0x01 | 0x03))
    {
        Some(b'{') => parse_mt_batch(input, limits),
        _ => vec![parse_message(input, limits)],
    }
}

/// Parses exactly one message, ISO 20022 XML or SWIFT MT, recognised by its first character.
pub fn parse_message(input: &[u8], limits: &Limits) -> Result<Message, Error> {
    if input.len() > limits.max_message_bytes {
        return Err(Error::TooLarge {
            size: input.len(),
            limit: limits.max_message_bytes,
        });
    }
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let first = input.iter().position(|b| !b.is_ascii_whitespace());
    let line = 1 + first.map_or(0, |at| input[..at].iter().filter(|b| **b == b'\n').count());
    match first.map(|at| input[at]) {
        Some(b'<') => iso20022::parse(input, limits),
        Some(b'{') => mt::parse(utf8(input)?, limits),
        Some(_) => Err(Error::UnknownFormat {
            line,
            reason: "it starts with neither `<` (XML) nor `{` (SWIFT MT blocks)".into(),
        }),
        None => Err(Error::UnknownFormat {
            line,
            reason: "the input is empty".into(),
        }),
    }
}

fn utf8(input: &[u8]) -> Result<&str, Error> {
    std::str::from_utf8(input).map_err(|e| {
        let before = &input[..e.valid_up_to()];
        Error::Malformed {
            line: 1 + before.iter().filter(|b| **b == b'\n').count(),
            element: None,
            reason: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
        }
    })
}

/// Splits MT input at each `{1:` that opens a message outside any block, and parses each;
/// the `$` of RJE files and the SOH/ETX bytes of DOS-PCC files between messages are dropped.
fn parse_mt_batch(input: &[u8], limits: &Limits) -> Vec<Result<Message, Error>> {
    let text = match utf8(input) {
        Ok(text) => text,
        Err(error) => return vec![Err(error)],
    };
    let mut starts = Vec::new();
    let mut depth = 0usize;
    let bytes = text.as_bytes();
    let mut in_text_block = false;
    for (index, &byte) in bytes.iter().enumerate() {
        match byte {
            b'{' if depth == 0 => {
                if bytes.get(index + 1..index + 3) == Some(b"1:") || starts.is_empty() {
                    starts.push(index);
                }
                in_text_block = bytes.get(index + 1..index + 3) == Some(b"4:");
                depth = 1;
            }
            // Block 4 holds free text in which braces are plain characters; only `-}` at the
            // start of a line ends it.
            b'}' if in_text_block
                && index >= 2
                && bytes[index - 1] == b'-'
                && bytes[index - 2] == b'\n' =>
            {
                depth = 0;
                in_text_block = false;
            }
            b'{' | b'}' if in_text_block => {}
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let mut results = Vec::with_capacity(starts.len());
    for (index, &start) in starts.iter().enumerate() {
        if index == limits.max_messages {
            results.push(Err(Error::LimitExceeded {
                line: 1 + text[..start].matches('\n').count(),
                what: "messages in one input",
                limit: limits.max_messages,
            }));
            break;
        }
        let end = starts.get(index + 1).copied().unwrap_or(text.len());
        let lines_before = text[..start].matches('\n').count();
        // RJE files separate messages with `$`, DOS-PCC ones wrap them in SOH/ETX bytes.
        let chunk = text[start..end]
            .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '$' | '\u{1}' | '\u{3}'));
        let result = parse_message(chunk.as_bytes(), limits)
            .map(|mut message| {
                message.line += lines_before;
                for value in &mut message.values {
                    value.line += lines_before;
                }
                message
            })
            .map_err(|error| error.shifted(lines_before));
        results.push(result);
    }
    results
}
