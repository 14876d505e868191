//! Look-alike letters from another script inside one word ("Vlаdimir" with a Cyrillic `а`,
//! "Sеrgei" with a Cyrillic `е`): the cheapest way to slip a name past a screening that
//! splits words where the script changes. Each such letter is folded to its look-alike in the
//! word's dominant script through the Unicode TR39 confusable skeletons (`unicode-security`),
//! before transliteration, and the word is remembered so the explanation can name it as a
//! possible evasion.
//!
//! Only Latin, Cyrillic and Greek letters are folded into one another: they are the scripts
//! that share glyphs (`a`/`а`/`α`, `o`/`о`/`ο`, `p`/`р`/`ρ`), and a word mixing any other
//! scripts is left as written.

use std::sync::OnceLock;

use hashbrown::HashMap;

/// The alphabets whose letters look alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alphabet {
    Latin,
    Cyrillic,
    Greek,
}

fn alphabet_of(c: char) -> Option<Alphabet> {
    match u32::from(c) {
        0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF => Some(Alphabet::Latin),
        0x0400..=0x052F | 0x1C80..=0x1C8F | 0xA640..=0xA69F => Some(Alphabet::Cyrillic),
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Some(Alphabet::Greek),
        _ => None,
    }
}

/// The one letter of `alphabet` that `c` looks like, if TR39 says so.
fn look_alike(c: char, alphabet: Alphabet) -> Option<char> {
    if alphabet_of(c) == Some(alphabet) {
        return Some(c);
    }
    let latin = single(unicode_security::skeleton(&c.to_string()))
        .filter(|l| alphabet_of(*l) == Some(Alphabet::Latin))
        .or_else(|| (alphabet_of(c) == Some(Alphabet::Latin)).then_some(c))?;
    // TR39 reads a capital I (Latin or Cyrillic) as a small L; in a name it is an I.
    let latin = if latin == 'l' && c.is_uppercase() {
        'I'
    } else {
        latin
    };
    match alphabet {
        Alphabet::Latin => Some(latin),
        Alphabet::Cyrillic => reverse_tables().cyrillic.get(&latin).copied(),
        Alphabet::Greek => reverse_tables().greek.get(&latin).copied(),
    }
}

fn single(mut chars: impl Iterator<Item = char>) -> Option<char> {
    let first = chars.next()?;
    chars.next().is_none().then_some(first)
}

/// For each Latin letter, the Cyrillic and the Greek letter whose TR39 skeleton it is.
struct ReverseTables {
    cyrillic: HashMap<char, char>,
    greek: HashMap<char, char>,
}

fn reverse_tables() -> &'static ReverseTables {
    static TABLES: OnceLock<ReverseTables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let table = |range: std::ops::RangeInclusive<u32>| {
            let mut map = HashMap::new();
            for c in range
                .filter_map(char::from_u32)
                .filter(|c| c.is_alphabetic())
            {
                if let Some(latin) = single(unicode_security::skeleton(&c.to_string()))
                    .filter(|l| l.is_ascii_alphabetic())
                {
                    // The basic letters come first in each block: they win.
                    map.entry(latin).or_insert(c);
                }
            }
            map
        };
        ReverseTables {
            cyrillic: table(0x0400..=0x04FF),
            greek: table(0x0370..=0x03FF),
        }
    })
}

/// `text` with every word that mixes Latin, Cyrillic and Greek letters folded to its dominant
/// alphabet (the one most of its letters are in; Latin on a tie), and the words so folded, as
/// written. Letters with no look-alike in the dominant alphabet stay as they are.
pub(crate) fn fold_mixed_scripts(text: &str) -> Option<(String, Vec<Box<str>>)> {
    if text.is_ascii() {
        return None;
    }
    let mut folded = String::with_capacity(text.len());
    let mut mixed: Vec<Box<str>> = Vec::new();
    for word in text.split_inclusive(|c: char| !c.is_alphanumeric()) {
        let mut counts = [0usize; 3];
        for alphabet in word.chars().filter_map(alphabet_of) {
            if let Some(count) = counts.get_mut(alphabet as usize) {
                *count += 1;
            }
        }
        if counts.iter().filter(|&&n| n > 0).count() < 2 {
            folded.push_str(word);
            continue;
        }
        let dominant = [Alphabet::Latin, Alphabet::Cyrillic, Alphabet::Greek]
            .into_iter()
            .max_by_key(|a| (counts.get(*a as usize).copied(), *a == Alphabet::Latin))
            .unwrap_or(Alphabet::Latin);
        for c in word.chars() {
            match alphabet_of(c) {
                Some(alphabet) if alphabet != dominant => {
                    folded.push(look_alike(c, dominant).unwrap_or(c));
                }
                _ => folded.push(c),
            }
        }
        mixed.push(word.trim_end_matches(|c: char| !c.is_alphanumeric()).into());
    }
    (!mixed.is_empty()).then_some((folded, mixed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(text: &str) -> String {
        fold_mixed_scripts(text).map_or_else(|| text.to_owned(), |(folded, _)| folded)
    }

    #[test]
    fn cyrillic_look_alikes_in_latin_words_become_latin() {
        assert_eq!(fold("Vl\u{0430}dimir Putin"), "Vladimir Putin");
        assert_eq!(fold("Os\u{0430}ma bin Laden"), "Osama bin Laden");
        assert_eq!(fold("S\u{0435}rgei Shoigu"), "Sergei Shoigu");
        assert_eq!(fold("\u{0421}ARLOS"), "CARLOS");
        let (_, mixed) = fold_mixed_scripts("Vl\u{0430}dimir Putin").unwrap_or_default();
        assert_eq!(mixed, vec![Box::<str>::from("Vl\u{0430}dimir")]);
    }

    #[test]
    fn latin_look_alikes_in_cyrillic_words_become_cyrillic() {
        // "Пyтин" with a Latin y is not a look-alike of у in TR39; "Путин" with Latin o/a is.
        assert_eq!(fold("\u{0428}oйгу"), "\u{0428}\u{043E}йгу");
        assert_eq!(fold("Сергей Лaвров"), "Сергей Лавров");
    }

    #[test]
    fn single_script_text_is_left_alone() {
        assert!(fold_mixed_scripts("Vladimir Putin").is_none());
        assert!(fold_mixed_scripts("Владимир Путин").is_none());
        assert!(fold_mixed_scripts("Müller Straße").is_none());
        // Two words in two scripts are two words, not a mixed word.
        assert!(fold_mixed_scripts("Путин Vladimir").is_none());
    }
}
