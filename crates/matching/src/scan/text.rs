//! Document text to words: byte spans of word-like runs, and what each word is to the
//! scanner (a normalised key, a legal form, or nothing), computed by the same normaliser
//! that prepares listed names, so that a document word and a listed word written alike (or
//! transliterated alike) get the same key.

use crate::lexicon;
use crate::normalize::{NormalizedName, Token};

/// One word of a text: its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word {
    /// Byte offset of the first character.
    pub(crate) start: usize,
    /// Byte offset just past the last character.
    pub(crate) end: usize,
}

/// What a word is to the scanner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WordClass {
    /// A name word: its folded spelling (tokens joined when the normaliser split it).
    Key(Box<str>),
    /// A legal form on its own ("Ltd", "OOO", "GmbH"): skipped inside a name, taken into a
    /// mention's span at its edges.
    LegalForm,
    /// Nothing a name is made of (punctuation-only after normalisation).
    Empty,
}

/// Whether `c` belongs to a word: letters, digits and combining marks (Arabic vowel signs,
/// Devanagari matras), and the zero-width non-joiner Persian writes inside words.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c) || c == '\u{200C}'
}

/// Scripts written without spaces between words, where each character is read as a word
/// (a Chinese or Japanese name is then a run of such words, like a name of several tokens).
fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{20000}'..='\u{2FA1F}')
}

/// The words of `text`, in order, as byte spans.
pub(crate) fn split_words(text: &str) -> Vec<Word> {
    let mut words = Vec::with_capacity(text.len() / 6);
    let mut start: Option<usize> = None;
    for (offset, c) in text.char_indices() {
        if is_unspaced(c) {
            if let Some(begun) = start.take() {
                words.push(Word {
                    start: begun,
                    end: offset,
                });
            }
            words.push(Word {
                start: offset,
                end: offset + c.len_utf8(),
            });
        } else if is_word_char(c) {
            start.get_or_insert(offset);
        } else if let Some(begun) = start.take() {
            words.push(Word {
                start: begun,
                end: offset,
            });
        }
    }
    if let Some(begun) = start {
        words.push(Word {
            start: begun,
            end: text.len(),
        });
    }
    words
}

/// What `word` (one word as [`split_words`] cuts it) is to the scanner.
#[cfg(test)]
pub(crate) fn classify(word: &str) -> WordClass {
    use crate::normalize::{Profile, normalize};
    classify_normalized(&normalize(word, Profile::Generic))
}

/// The class of a word already normalised under the generic profile.
pub(crate) fn classify_normalized(normalized: &NormalizedName) -> WordClass {
    match normalized.tokens.as_slice() {
        [] if !normalized.legal_forms.is_empty() => WordClass::LegalForm,
        [] => WordClass::Empty,
        [token] if is_legal_form_word(token) => WordClass::LegalForm,
        [token] => WordClass::Key(token.folded.clone()),
        tokens => WordClass::Key(tokens.iter().map(|t| &*t.folded).collect::<String>().into()),
    }
}

/// Whether a token is a legal form on its own ("Ltd", "OOO"); the short ones that are also
/// ordinary words ("Co", "SA", "AG") are not, but are taken into a span at its edges.
fn is_legal_form_word(token: &Token) -> bool {
    let written = token.raw.as_deref().unwrap_or(&token.folded);
    lexicon::LEGAL_FORM_WORDS
        .iter()
        .any(|(word, _, ambiguous)| !ambiguous && *word == written)
}

/// Whether a word is written like a proper name: it starts with an upper-case letter or a
/// digit, or is in a script without case (Arabic, Han, ...). Ordinary lower-case prose
/// words never start a mention on their own.
pub(crate) fn is_name_like(word: &str) -> bool {
    word.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_numeric() || (c.is_alphabetic() && !c.is_lowercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        split_words(text)
            .iter()
            .filter_map(|w| text.get(w.start..w.end))
            .collect()
    }

    #[test]
    fn splits_on_punctuation_and_keeps_byte_offsets() {
        assert_eq!(
            words("SHOIGU, Sergei Kuzhugetovich; Putin's"),
            ["SHOIGU", "Sergei", "Kuzhugetovich", "Putin", "s"]
        );
        assert_eq!(words("Шойгу встретился"), ["Шойгу", "встретился"]);
        assert_eq!(words("据报道金正恩"), ["据", "报", "道", "金", "正", "恩"]);
    }

    #[test]
    fn classifies_legal_forms_and_folds_variants() {
        assert_eq!(classify("Ltd"), WordClass::LegalForm);
        assert_eq!(classify("Schoigu"), classify("Shoigu"));
        assert_eq!(classify("Шойгу"), classify("Shoigu"));
        assert!(is_name_like("Putin") && is_name_like("شويغو") && !is_name_like("tango"));
    }
}
