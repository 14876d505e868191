//! Identifiers the lists carry, found wherever they appear in a text: vessel IMO numbers
//! ("IMO" followed by seven digits whose check digit holds), digital-currency addresses and
//! SWIFT/BIC codes (exact, at word boundaries).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use hashbrown::HashMap;
use interdict_model::{Entity, Identifier, IdentifierKind};
use std::sync::Arc;

use super::text::Word;

/// A listed identifier found in a text.
#[derive(Debug, Clone)]
pub(crate) struct IdentifierHit {
    /// Byte span in the text.
    pub(crate) start: usize,
    /// Byte offset just past the identifier.
    pub(crate) end: usize,
    /// Position of the entity in the index.
    pub(crate) entity: u32,
    /// The listed identifier.
    pub(crate) identifier: Identifier,
    /// How it was recognised, for the explanation.
    pub(crate) detail: String,
}

/// Where an identifier value is listed: (entity position, identifier position).
type Listed = Vec<(u32, u32)>;

/// The listed IMO numbers, addresses and BICs, ready to be looked for in text.
#[derive(Debug, Default)]
pub(crate) struct IdentifierIndex {
    /// Seven-digit IMO numbers.
    imo: HashMap<String, Listed>,
    /// Addresses and BICs whose case matters (Bitcoin addresses; BICs are written in capitals).
    exact: Option<AhoCorasick>,
    exact_listed: Vec<Listed>,
    /// Hexadecimal (`0x…`) addresses, whose case does not.
    caseless: Option<AhoCorasick>,
    caseless_listed: Vec<Listed>,
}

/// The value of an IMO identifier as seven digits, if it is one.
fn imo_digits(value: &str) -> Option<String> {
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    (digits.len() == 7).then_some(digits)
}

/// Whether seven digits form a valid IMO ship number: the last digit is the sum of the first
/// six weighted 7 down to 2, modulo 10.
pub(crate) fn imo_check_digit_holds(digits: &str) -> bool {
    let bytes = digits.as_bytes();
    if bytes.len() != 7 || !bytes.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = bytes
        .iter()
        .take(6)
        .zip((2..=7u32).rev())
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    bytes
        .get(6)
        .is_some_and(|last| u32::from(last - b'0') == sum % 10)
}

fn is_crypto(kind: &IdentifierKind) -> bool {
    matches!(kind, IdentifierKind::CryptoAddress { .. })
}

impl IdentifierIndex {
    /// Collects the IMO numbers, digital-currency addresses and BICs of `entities`.
    pub(crate) fn build(entities: &[Arc<Entity>]) -> IdentifierIndex {
        let mut imo: HashMap<String, Listed> = HashMap::new();
        let mut exact: HashMap<String, Listed> = HashMap::new();
        let mut caseless: HashMap<String, Listed> = HashMap::new();
        for (entity_index, entity) in entities.iter().enumerate() {
            let entity_index = entity_index as u32;
            for (position, identifier) in entity.identifiers.iter().enumerate() {
                let at = (entity_index, position as u32);
                match &identifier.kind {
                    IdentifierKind::Imo => {
                        if let Some(digits) = imo_digits(&identifier.value) {
                            imo.entry(digits).or_default().push(at);
                        }
                    }
                    IdentifierKind::SwiftBic => {
                        let value = identifier.normalized_value();
                        // BICs are 8 or 11 characters; `XXX` is the head office's branch.
                        let value = match value.strip_suffix("XXX") {
                            Some(head) if value.len() == 11 => head.to_owned(),
                            _ => value,
                        };
                        if value.len() == 8 || value.len() == 11 {
                            exact.entry(value).or_default().push(at);
                        }
                    }
                    kind if is_crypto(kind) => {
                        let value = identifier.value.trim();
                        // Shorter strings are not addresses and would match ordinary tokens.
                        if value.len() < 20 || value.contains(char::is_whitespace) {
                            continue;
                        }
                        if let Some(hex) = value.strip_prefix("0x") {
                            caseless
                                .entry(format!("0x{}", hex.to_ascii_lowercase()))
                                .or_default()
                                .push(at);
                        } else {
                            exact.entry(value.to_owned()).or_default().push(at);
                        }
                    }
                    _ => {}
                }
            }
        }
        let automaton = |values: &HashMap<String, Listed>, caseless: bool| {
            let mut patterns: Vec<(&String, &Listed)> = values.iter().collect();
            patterns.sort_by(|a, b| a.0.cmp(b.0));
            let built = AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(caseless)
                .build(patterns.iter().map(|(value, _)| value.as_str()))
                .ok()
                .filter(|_| !patterns.is_empty());
            let listed = patterns.into_iter().map(|(_, l)| l.clone()).collect();
            (built, listed)
        };
        let (exact_automaton, exact_listed) = automaton(&exact, false);
        let (caseless_automaton, caseless_listed) = automaton(&caseless, true);
        IdentifierIndex {
            imo,
            exact: exact_automaton,
            exact_listed,
            caseless: caseless_automaton,
            caseless_listed,
        }
    }

    /// Every listed identifier in `text` (cut into `words`).
    pub(crate) fn find(
        &self,
        text: &str,
        words: &[Word],
        entities: &[Arc<Entity>],
    ) -> Vec<IdentifierHit> {
        let mut hits = Vec::new();
        self.find_imo(text, words, entities, &mut hits);
        for (automaton, listed) in [
            (&self.exact, &self.exact_listed),
            (&self.caseless, &self.caseless_listed),
        ] {
            let Some(automaton) = automaton else { continue };
            for found in automaton.find_iter(text) {
                let (start, mut end) = (found.start(), found.end());
                let before = text.get(..start).and_then(|t| t.chars().next_back());
                if before.is_some_and(char::is_alphanumeric) {
                    continue;
                }
                // An eight-character BIC also names its branches (11 characters).
                let branch = text.get(end..end + 3).filter(|b| {
                    found.end() - found.start() == 8
                        && b.bytes()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                });
                if branch.is_some() {
                    end += 3;
                }
                let after = text.get(end..).and_then(|t| t.chars().next());
                if after.is_some_and(char::is_alphanumeric) {
                    continue;
                }
                for &(entity, position) in
                    listed.get(found.pattern().as_usize()).into_iter().flatten()
                {
                    let Some(identifier) = entities
                        .get(entity as usize)
                        .and_then(|e| e.identifiers.get(position as usize))
                    else {
                        continue;
                    };
                    let detail = match (&identifier.kind, branch.is_some()) {
                        (IdentifierKind::SwiftBic, true) => {
                            "a branch code of the listed SWIFT/BIC".to_owned()
                        }
                        (IdentifierKind::SwiftBic, false) => "the listed SWIFT/BIC code".to_owned(),
                        _ => "the listed digital-currency address".to_owned(),
                    };
                    hits.push(IdentifierHit {
                        start,
                        end,
                        entity,
                        identifier: identifier.clone(),
                        detail,
                    });
                }
            }
        }
        hits
    }

    /// "IMO 9123456", "IMO No. 9123456", "IMO: 9123456", "IMO9123456".
    fn find_imo(
        &self,
        text: &str,
        words: &[Word],
        entities: &[Arc<Entity>],
        hits: &mut Vec<IdentifierHit>,
    ) {
        if self.imo.is_empty() {
            return;
        }
        let word_text = |w: &Word| text.get(w.start..w.end).unwrap_or("");
        for (index, word) in words.iter().enumerate() {
            let written = word_text(word);
            let Some(prefix) = written.get(..3) else {
                continue;
            };
            if !prefix.eq_ignore_ascii_case("imo") {
                continue;
            }
            let (digits_word, digits) = if written.len() == 10 {
                (word, written.get(3..).unwrap_or(""))
            } else if written.len() == 3 {
                // Skip a "No"/"number" between the label and the digits.
                let mut next = index + 1;
                if words.get(next).map(word_text).is_some_and(|w| {
                    ["no", "nr", "number", "num"]
                        .iter()
                        .any(|label| w.eq_ignore_ascii_case(label))
                }) {
                    next += 1;
                }
                let Some(following) = words.get(next) else {
                    continue;
                };
                // Only separators ("IMO: ", "IMO no. ") between label and number.
                // Only separators and that label between them ("IMO: ", "IMO No. ").
                let between = text.get(word.end..following.start).unwrap_or("");
                if between.is_empty() || between.len() > 12 {
                    continue;
                }
                (following, word_text(following))
            } else {
                continue;
            };
            if digits.len() != 7 || !imo_check_digit_holds(digits) {
                continue;
            }
            for &(entity, position) in self.imo.get(digits).into_iter().flatten() {
                let Some(identifier) = entities
                    .get(entity as usize)
                    .and_then(|e| e.identifiers.get(position as usize))
                else {
                    continue;
                };
                hits.push(IdentifierHit {
                    start: word.start,
                    end: digits_word.end,
                    entity,
                    identifier: identifier.clone(),
                    detail: format!("IMO number {digits} (check digit verified)"),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_imo_check_digits() {
        // 9074729: 9×7 + 0×6 + 7×5 + 4×4 + 7×3 + 2×2 = 139, check digit 9.
        assert!(imo_check_digit_holds("9074729"));
        assert!(!imo_check_digit_holds("9074728"));
        assert!(!imo_check_digit_holds("907472"));
        assert!(!imo_check_digit_holds("90747a9"));
    }
}
