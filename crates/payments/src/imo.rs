//! IMO ship numbers in free text: `IMO 9283033`, `IMO:9283033`, `IMO NR 9209300`,
//! `IMO-8721351`, `IMO NUMBER 9899076`, and bare seven-digit numbers whose check digit holds.

/// An IMO number found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImoNumber {
    /// The seven digits.
    pub number: String,
    /// Whether the text labels it `IMO` (else it is a bare number with a valid check digit,
    /// which could also be an invoice number).
    pub labelled: bool,
    /// The mention as written (`IMO NR 9209300`, or the digits alone).
    pub mention: String,
}

/// Whether `digits` is a seven-digit IMO ship number with a valid check digit: the first six
/// digits weighted 7 down to 2, summed, modulo 10, equal the seventh.
pub fn is_valid_imo(digits: &str) -> bool {
    let bytes = digits.as_bytes();
    if bytes.len() != 7 || !bytes.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = bytes[..6]
        .iter()
        .zip((2..=7).rev())
        .map(|(b, weight)| u32::from(b - b'0') * weight)
        .sum();
    sum % 10 == u32::from(bytes[6] - b'0')
}

/// Every seven-digit number in `text` with a valid IMO check digit, labelled or not.
pub fn find_imo_numbers(text: &str) -> Vec<ImoNumber> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        if !bytes[index].is_ascii_digit() {
            index += 1;
            continue;
        }
        let start = index;
        while index < bytes.len() && bytes[index].is_ascii_digit() {
            index += 1;
        }
        let before_ok = start == 0
            || !bytes[start - 1].is_ascii_alphanumeric()
            || label_start(bytes, start).is_some();
        let after_ok = index == bytes.len() || !bytes[index].is_ascii_alphanumeric();
        let number = &text[start..index];
        if index - start != 7 || !before_ok || !after_ok || !is_valid_imo(number) {
            continue;
        }
        let label = label_start(bytes, start);
        found.push(ImoNumber {
            number: number.to_owned(),
            labelled: label.is_some(),
            mention: text[label.unwrap_or(start)..index].to_owned(),
        });
    }
    found
}

/// Where the `IMO` label before the digits at `digits` starts, if there is one: `IMO`, then
/// separators and an optional `NO`/`NR`/`NUMBER`/`NUM`.
fn label_start(bytes: &[u8], digits: usize) -> Option<usize> {
    let is_separator = |b: u8| {
        matches!(
            b,
            b' ' | b'\t' | b'\n' | b'\r' | b':' | b'.' | b'-' | b'#' | b'/'
        )
    };
    let mut at = digits;
    while at > 0 && is_separator(bytes[at - 1]) {
        at -= 1;
    }
    // An optional word between the label and the digits.
    let word_end = at;
    while at > 0 && bytes[at - 1].is_ascii_alphabetic() {
        at -= 1;
    }
    let word = bytes[at..word_end].to_ascii_uppercase();
    if word == b"IMO" {
        return boundary(bytes, at).then_some(at);
    }
    if !matches!(word.as_slice(), b"NO" | b"NR" | b"NUMBER" | b"NUM" | b"N") {
        return None;
    }
    while at > 0 && is_separator(bytes[at - 1]) {
        at -= 1;
    }
    let end = at;
    while at > 0 && bytes[at - 1].is_ascii_alphabetic() {
        at -= 1;
    }
    (bytes[at..end].eq_ignore_ascii_case(b"IMO") && boundary(bytes, at)).then_some(at)
}

fn boundary(bytes: &[u8], at: usize) -> bool {
    at == 0 || !bytes[at - 1].is_ascii_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit() {
        assert!(is_valid_imo("9283033"));
        assert!(is_valid_imo("9074729"));
        assert!(!is_valid_imo("9283034"));
        assert!(!is_valid_imo("928303"));
        assert!(!is_valid_imo("92830331"));
    }

    #[test]
    fn finds_labelled_and_bare_numbers() {
        let text = "HIRE MV X IMO NR 9209300, IMO:9283033 IMO-8721351 imo number 9899076 REF 9479345 INV 1234568";
        let found = find_imo_numbers(text);
        let numbers: Vec<(&str, bool, &str)> = found
            .iter()
            .map(|f| (f.number.as_str(), f.labelled, f.mention.as_str()))
            .collect();
        assert_eq!(
            numbers,
            vec![
                ("9209300", true, "IMO NR 9209300"),
                ("9283033", true, "IMO:9283033"),
                ("8721351", true, "IMO-8721351"),
                ("9899076", true, "imo number 9899076"),
                ("9479345", false, "9479345"),
            ]
        );
        assert!(find_imo_numbers("IMO92830330 X9283033 9283033X").is_empty());
        assert_eq!(find_imo_numbers("IMO9283033")[0].mention, "IMO9283033");
    }
}
