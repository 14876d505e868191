//! Name normalisation: from a name as a list or a customer file writes it to the tokens the
//! scorer compares.
//!
//! NFKC, script detection, transliteration of non-Latin scripts to ASCII (any_ascii, with
//! Arabic-script and Han/Hangul specifics), case folding, punctuation to spaces, camelCase and
//! compound splitting, then per-schema clean-up: legal forms are pulled out of organisation
//! names, honorifics out of person names, particles (al-, bin, de, the, of) out of both, while
//! Dutch and German ones are joined to the surname they belong to (van Laar → vanlaar).
//! Each remaining token carries its folded spelling ([`crate::translit::fold`]), consonant
//! skeleton, kind and prior weight.

use hashbrown::HashSet;
use std::sync::OnceLock;

use interdict_model::Schema;
use unicode_normalization::UnicodeNormalization;

use crate::lexicon;
use crate::translit::{fold, fold_letters, skeleton};

/// Which clean-up rules apply: they differ for people and organisations, and a query that
/// does not say what it names gets the rules common to both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Profile {
    /// People: honorifics dropped, initials kept separate, "LAST, First" reordered.
    Person,
    /// Organisations, vessels, aircraft: legal forms extracted, dotted acronyms joined.
    Organization,
    /// Unknown: legal forms and unambiguous honorifics handled.
    Generic,
}

impl Profile {
    /// The profile for a schema (`None` = any).
    pub(crate) fn for_schema(schema: Option<Schema>) -> Profile {
        match schema {
            Some(Schema::Person) => Profile::Person,
            Some(
                Schema::Organization | Schema::Vessel | Schema::Aircraft | Schema::CryptoWallet,
            ) => Profile::Organization,
            Some(Schema::Unknown) | None => Profile::Generic,
        }
    }
}

/// What a token is, which decides how much it weighs and how it compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum TokenKind {
    /// An ordinary name word.
    Word,
    /// A single letter standing for a name ("V." in "V. Putin").
    Initial,
    /// Digits or a Roman numeral (series numbers, vessel numbers).
    Number,
}

/// One normalised name token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    /// Canonical spelling after transliteration-variant folding.
    pub(crate) folded: Box<str>,
    /// The spelling before folding, when folding changed it: a typo can look bigger after
    /// folding ("yoog" folds to "yug"), so similarity also compares these. For an element a
    /// lexicon rule put in place of the written word ("abd" for "abdul"), that word.
    pub(crate) raw: Option<Box<str>>,
    /// Consonant skeleton of `folded`.
    pub(crate) skeleton: Box<str>,
    /// Word, initial or number.
    pub(crate) kind: TokenKind,
    /// First letter as written (before folding turned `c` into `k`), for matching initials.
    pub(crate) initial: u8,
    /// Transliterated from a script that does not write short vowels (Arabic, Hebrew), so only
    /// its skeleton is reliable.
    pub(crate) abjad: bool,
    /// Other readings of an Arabic-script token, folded, with their skeletons.
    pub(crate) alternates: Box<[(Box<str>, Box<str>)]>,
    /// The native characters of a Han or Hangul token.
    pub(crate) native: Option<Box<str>>,
    /// The word this token and the next were split from ("abdulaziz" for `abd` `aziz`), folded
    /// and as written: a typo can defeat the split ("abdumlah" for "abdullah" stays whole),
    /// and the one token left compares better with the word than with its elements.
    pub(crate) compound: Option<Box<(Box<str>, Box<str>)>>,
    /// A patronymic (Viktorovich, Ivanovna, Ogly): often dropped, so missing it costs less.
    pub(crate) patronymic: bool,
    /// Weight from kind and length alone.
    pub(crate) base_weight: f32,
    /// Prior weight: `base_weight` lowered for words common in names of this kind (before any
    /// index frequency).
    pub(crate) weight: f32,
}

impl Token {
    /// The word this token and the next were split from, as one token.
    pub(crate) fn compound_token(&self) -> Option<Token> {
        let (folded, written) = self.compound.as_deref()?;
        Some(Token {
            raw: (folded != written).then(|| written.clone()),
            skeleton: skeleton(folded).into(),
            folded: folded.clone(),
            compound: None,
            ..self.clone()
        })
    }
}

/// A normalised name: its tokens in written order (after reordering "LAST, First") and the
/// legal forms that were pulled out of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct NormalizedName {
    /// Tokens that identify.
    pub(crate) tokens: Vec<Token>,
    /// Canonical legal-form codes (`llc`, `jsc`, `gmbh`, ...).
    pub(crate) legal_forms: Vec<&'static str>,
    /// Words as written that mixed look-alike letters of two scripts ("Vlаdimir" with a
    /// Cyrillic `а`), folded to one script before transliteration: a possible evasion.
    pub(crate) mixed_script: Vec<Box<str>>,
}

impl NormalizedName {
    /// The normalised form shown to analysts: folded tokens, then legal forms in brackets.
    pub(crate) fn display(&self) -> String {
        let mut out = self
            .tokens
            .iter()
            .map(|t| &*t.folded)
            .collect::<Vec<_>>()
            .join(" ");
        for form in &self.legal_forms {
            out.push_str(" [");
            out.push_str(form);
            out.push(']');
        }
        out
    }
}

/// Script classes that need different transliteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    /// Arabic, Persian, Urdu, Hebrew: consonantal scripts.
    Abjad,
    /// South-East Asian scripts whose romanisation by any_ascii loses the inherent vowels.
    Abugida,
    /// Han ideographs and Hangul syllables: one syllable per character.
    Syllabic,
    /// Cyrillic, Greek, Armenian, Thai, ...: any_ascii alone does well.
    Other,
}

fn script_of(c: char) -> Script {
    match u32::from(c) {
        0x0590..=0x05FF
        | 0x0600..=0x06FF
        | 0x0750..=0x077F
        | 0x08A0..=0x08FF
        | 0xFB1D..=0xFDFF
        | 0xFE70..=0xFEFF => Script::Abjad,
        // Thai, Lao, Myanmar, Khmer: any_ascii drops their inherent vowels, so they compare
        // like an abjad, on consonants.
        0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF => Script::Abugida,
        0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xAC00..=0xD7AF
        | 0x20000..=0x2FFFF => Script::Syllabic,
        _ if c.is_ascii()
            || ('\u{00C0}'..='\u{024F}').contains(&c)
            || ('\u{1E00}'..='\u{1EFF}').contains(&c) =>
        {
            Script::Latin
        }
        _ => Script::Other,
    }
}

/// Characters that join the letters around them rather than separate words.
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '’' | '‘' | 'ʼ' | 'ʻ' | '`' | '´' | 'ʹ' | 'ʿ' | 'ʾ'
    )
}

/// Arabic-script combining marks and the tatweel, which carry no consonant.
fn is_abjad_mark(c: char) -> bool {
    matches!(u32::from(c), 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x0640)
        || matches!(u32::from(c), 0x0591..=0x05C7)
}

/// A word as written, before transliteration.
struct RawWord {
    text: String,
    script: Script,
}

/// Splits text into words: at whitespace and punctuation, at a change of script, and at a
/// lower-to-upper case change inside Latin words ("SiemensAG", "AlQaida").
fn split_words(text: &str) -> Vec<RawWord> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut current_script = Script::Latin;
    let mut previous_lower = false;
    let flush = |current: &mut String, script: Script, words: &mut Vec<RawWord>| {
        if !current.is_empty() {
            words.push(RawWord {
                text: std::mem::take(current),
                script,
            });
        }
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_apostrophe(c) || is_abjad_mark(c) || c == '\u{200C}' || c == '\u{200D}' {
            continue;
        }
        if unicode_normalization::char::is_combining_mark(c) {
            // Vowel signs and diacritics of Brahmic scripts belong to the letter before them.
            if !current.is_empty() {
                current.push(c);
            }
            continue;
        }
        if !c.is_alphanumeric() {
            flush(&mut current, current_script, &mut words);
            previous_lower = false;
            continue;
        }
        let script = script_of(c);
        // A capital after a lower-case letter starts a new word, unless it ends the word
        // ("GmbH" stays whole).
        let camel_break = script == Script::Latin
            && previous_lower
            && c.is_uppercase()
            && chars.peek().is_some_and(|next| next.is_alphabetic());
        if !current.is_empty() && (script != current_script || camel_break) {
            flush(&mut current, current_script, &mut words);
        }
        current_script = script;
        previous_lower = c.is_lowercase();
        current.push(c);
    }
    flush(&mut current, current_script, &mut words);
    words
}

/// Where a piece's letters came from, which decides how it is folded and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// Latin script, or a script any_ascii romanises with its vowels (Cyrillic, Greek).
    Latin,
    /// Arabic script, by [`transliterate_abjad`]: letters already in folded conventions.
    Arabic,
    /// Hebrew and South-East Asian scripts: romanised without reliable vowels.
    Consonantal,
    /// Han or Hangul: the native characters are kept for comparisons within the script.
    Syllabic,
}

/// A word on its way to becoming a token.
#[derive(Debug, Clone)]
struct Piece {
    /// Lower-case ASCII.
    text: String,
    origin: Origin,
    /// The native characters of a Han or Hangul piece.
    native: Option<String>,
    /// Other readings of an Arabic-script word.
    alternates: Vec<String>,
    /// The word as written, when a lexicon rule replaced it with its canonical element
    /// ("abdul" → "abd"): a typo in the written word is still one typo away from it.
    written: Option<String>,
    /// The word as written that this piece and the next were split from ("abdulaziz").
    compound: Option<String>,
    /// Follows a filiation word (bin, ibn, bint): a father's or forefather's name, which
    /// customers drop as they drop patronymics.
    filiation: bool,
}

impl Piece {
    /// A piece read from `origin` script, with nothing else known about it.
    fn new(text: impl Into<String>, origin: Origin) -> Piece {
        Piece {
            text: text.into(),
            origin,
            native: None,
            alternates: Vec::new(),
            written: None,
            compound: None,
            filiation: false,
        }
    }

    fn latin(text: impl Into<String>) -> Piece {
        Piece::new(text, Origin::Latin)
    }

    /// The first element of the compound `written` split into two.
    fn first_of(self, compound: &str) -> Piece {
        Piece {
            compound: Some(compound.to_owned()),
            ..self
        }
    }

    /// The canonical element `text` standing for `written`.
    fn canonical(text: &str, written: &str) -> Piece {
        Piece {
            written: Some(written.to_owned()),
            ..Piece::latin(text)
        }
    }
}

/// Lower-case ASCII pieces of any_ascii output: apostrophes (soft signs) dropped, other
/// punctuation splits.
fn ascii_pieces(ascii: &str, origin: Origin, out: &mut Vec<Piece>) {
    let mut text = String::new();
    let mut flush = |text: &mut String| {
        if !text.is_empty() {
            out.push(Piece::new(std::mem::take(text), origin));
        }
    };
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            text.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '`' && c != '"' {
            flush(&mut text);
        }
    }
    flush(&mut text);
}

/// Transliterates an Arabic-script word (Arabic, Persian, Urdu). any_ascii writes only
/// consonants and digraphs that folding would misread (ت + ه as `th`); this table writes each
/// letter once, already in the folded conventions of [`crate::translit::fold`] (خ and ح both
/// `h`, ث `t`, ق `k`), and keeps the long vowels the script does write, so that two
/// Arabic-script names compare on more than their skeletons. The article, the filiation words
/// and the `Abd`/`Abu` compounds (written joined or apart) are recognised first.
fn transliterate_abjad(word: &str, out: &mut Vec<Piece>) {
    // Urdu and Persian letter forms of the same letters.
    let unified: String = word
        .chars()
        .map(|c| match c {
            'ہ' | 'ۃ' => 'ه',
            'ك' => 'ک',
            other => other,
        })
        .collect();
    let word = unified.as_str();
    let known = match word {
        "عبد" => Some("abd"),
        "بن" | "ابن" => Some("bin"),
        "بنت" => Some("bint"),
        "ابو" | "أبو" => Some("abu"),
        "ولد" => Some("ould"),
        "الله" => Some("allah"),
        _ => None,
    };
    if let Some(known) = known {
        return out.push(Piece::latin(known));
    }
    // Joined endings: عبیدالله = Ubaid Allah, نورالدين = Nur al-Din.
    for (suffix, latin) in [("الله", "allah"), ("الدين", "din"), ("الدین", "din")] {
        if let Some(stem) = word.strip_suffix(suffix)
            && stem.chars().count() >= 2
        {
            transliterate_abjad(stem, out);
            return out.push(Piece::latin(latin));
        }
    }
    for (prefix, latin) in [("عبد", "abd"), ("أبو", "abu"), ("ابو", "abu")] {
        if let Some(rest) = word.strip_prefix(prefix)
            && rest.chars().count() >= 2
        {
            out.push(Piece::latin(latin));
            return transliterate_abjad(rest, out);
        }
    }
    // The definite article is written joined: السيسي = al-Sisi.
    let body = match word.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 2 => {
            out.push(Piece::latin("al"));
            rest
        }
        _ => word,
    };
    // Spellings built letter by letter; a letter read two ways (ث as `t` or `s`) doubles
    // them, up to a cap.
    let mut spellings: Vec<String> = vec![String::with_capacity(body.len())];
    for (position, c) in body.chars().enumerate() {
        let readings: &[&str] = match c {
            'ا' | 'أ' | 'آ' | 'ى' | 'ة' | 'ٱ' | 'ۀ' => &["a"],
            'إ' => &["i"],
            // Waw and yeh are consonants opening a word (Walid, Yusuf), long vowels elsewhere.
            'و' | 'ؤ' if position == 0 => &["w"],
            'و' | 'ؤ' => &["u"],
            'ي' | 'ی' | 'ئ' | 'ې' | 'ے' if position == 0 => &["y"],
            'ي' | 'ی' | 'ئ' | 'ې' | 'ے' => &["i"],
            // An ayn opening a word carries its vowel (علي Ali, عمر Omar): read as one.
            'ع' if position == 0 => &["a"],
            'ع' | 'ء' => &[""],
            'ب' => &["b"],
            'پ' => &["p"],
            'ت' | 'ط' | 'ٹ' => &["t"],
            // Interdentals and emphatics: Arabic usage writes th, dh; Persian, Urdu and Pashto
            // names (and many lists) write s, z (ثاقب Saqib, ذاکر Zakir, ضیا Zia).
            'ث' => &["t", "s"],
            'ذ' | 'ض' => &["d", "z"],
            'ظ' => &["z", "d"],
            // Maghrebi and Egyptian spellings write ق and ج as g (Gasmi, Ragab).
            'ق' => &["k", "g"],
            'ج' => &["j", "g"],
            'چ' => &["ch"],
            'ح' | 'خ' | 'ه' | 'ھ' => &["h"],
            'د' | 'ڈ' => &["d"],
            'ر' | 'ڑ' => &["r"],
            'ز' => &["z"],
            'ژ' => &["j"],
            'س' | 'ص' => &["s"],
            'ش' => &["sh"],
            'غ' | 'گ' => &["g"],
            'ف' => &["f"],
            'ك' | 'ک' => &["k"],
            'ل' => &["l"],
            'م' => &["m"],
            'ن' | 'ں' => &["n"],
            other => &[any_ascii::any_ascii_char(other)],
        };
        let mut grown = Vec::with_capacity(spellings.len() * readings.len());
        for spelling in &spellings {
            for (index, reading) in readings.iter().enumerate() {
                if index > 0 && spellings.len() * readings.len() > MAX_ABJAD_SPELLINGS {
                    break;
                }
                let mut longer = spelling.clone();
                longer.push_str(reading);
                grown.push(longer);
            }
        }
        spellings = grown;
    }
    // Letter pairs that Latin spellings write as one sound (ز + ه read as `zh` in "Azhar" is
    // folded to `j` on the Latin side): also keep the reading folded as Latin.
    let latin_readings: Vec<String> = spellings
        .iter()
        .map(|spelling| fold(spelling))
        .filter(|folded| !spellings.contains(folded))
        .collect();
    spellings.extend(latin_readings);
    spellings.dedup();
    let mut spellings = spellings.into_iter();
    let Some(primary) = spellings.next() else {
        return;
    };
    let first = out.len();
    ascii_pieces(&primary, Origin::Arabic, out);
    // Letters only, so the piece is one word: keep the other readings with it.
    if out.len() == first + 1
        && let Some(piece) = out.last_mut()
    {
        piece.alternates = spellings.collect();
    }
}

/// Most spellings kept for one Arabic-script word.
const MAX_ABJAD_SPELLINGS: usize = 8;

/// Transliterates a run of Han or Hangul syllables. A personal name is a one-syllable surname
/// then a given name written as one word in Latin ("Xi Jinping"), so the first syllable
/// stands alone and the rest are joined; organisation names stay one word. The native
/// characters are kept: each is a syllable with a meaning, so two names in the script compare
/// character by character rather than by romanisation (石 and 市 both read `shi`).
fn transliterate_syllabic(word: &str, profile: Profile, out: &mut Vec<Piece>) {
    let romanise = |chars: &[char]| -> Piece {
        let mut text = String::new();
        for &c in chars {
            for ascii in any_ascii::any_ascii_char(c)
                .chars()
                .filter(char::is_ascii_alphanumeric)
            {
                text.push(ascii.to_ascii_lowercase());
            }
        }
        Piece {
            native: Some(chars.iter().collect()),
            ..Piece::new(text, Origin::Syllabic)
        }
    };
    let chars: Vec<char> = word.chars().collect();
    if profile == Profile::Organization || chars.len() > 4 || chars.len() < 2 {
        out.push(romanise(&chars));
        return;
    }
    let (surname, given) = chars.split_at(1);
    out.push(romanise(surname));
    out.push(romanise(given));
}

/// Reads "1st" as "first" and leetspeak digits inside words ("I9or Sech1n").
fn respell(mut piece: Piece) -> Piece {
    if piece.origin != Origin::Latin {
        return piece;
    }
    if let Some((_, word)) = lexicon::ORDINALS
        .iter()
        .find(|(from, _)| *from == piece.text)
    {
        piece.text = (*word).to_owned();
        return piece;
    }
    let letters = piece.text.bytes().filter(u8::is_ascii_alphabetic).count();
    let digits = piece.text.len() - letters;
    if digits == 0 || letters < 2 || letters <= digits {
        return piece;
    }
    piece.text = piece
        .text
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' => 'i',
            '3' => 'e',
            '4' => 'a',
            '5' => 's',
            '7' => 't',
            '9' => 'g',
            other => other,
        })
        .collect();
    piece
}

/// Reads English number words as digits ("Three Percenters" → 3 percenters, "Brigade Forty
/// 4" and "Brigade Forty Four" → brigade 44), so that a name written with digits and one
/// written in words compare. For organisations: people are not named with numbers.
fn read_number_words(pieces: Vec<Piece>) -> Vec<Piece> {
    let value = |piece: &Piece, words: &[&str]| {
        (piece.origin == Origin::Latin)
            .then(|| words.iter().position(|word| *word == piece.text))
            .flatten()
    };
    let unit = |piece: &Piece| {
        value(piece, lexicon::NUMBER_WORDS)
            .filter(|n| (1..=9).contains(n))
            .or_else(|| match piece.text.as_bytes() {
                [digit @ b'1'..=b'9'] => Some(usize::from(digit - b'0')),
                _ => None,
            })
    };
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    let mut pieces = pieces.into_iter().peekable();
    while let Some(mut piece) = pieces.next() {
        if let Some(tens) = value(&piece, lexicon::TENS_WORDS) {
            let mut number = 20 + 10 * tens;
            if let Some(ones) = pieces.peek().and_then(unit) {
                number += ones;
                pieces.next();
            }
            piece.text = number.to_string();
        } else if let Some(number) = value(&piece, lexicon::NUMBER_WORDS) {
            piece.text = number.to_string();
        }
        out.push(piece);
    }
    out
}

fn is_roman_numeral(piece: &str) -> bool {
    matches!(
        piece,
        "i" | "v"
            | "x"
            | "ii"
            | "iii"
            | "iv"
            | "vi"
            | "vii"
            | "viii"
            | "ix"
            | "xi"
            | "xii"
            | "xiii"
            | "xiv"
            | "xv"
    )
}

/// Joins runs of single letters ("a b c" from "A.B.C.") into one token. A run that ends the
/// name and ends with a dotted legal form ("V L.P.") keeps the form apart.
fn join_letter_runs(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    let mut run = String::new();
    let total = pieces.len();
    for (index, piece) in pieces.into_iter().enumerate() {
        if piece.text.len() == 1 && piece.text.bytes().all(|b| b.is_ascii_alphabetic()) {
            run.push_str(&piece.text);
            if index + 1 == total {
                push_final_run(std::mem::take(&mut run), &mut out);
            }
            continue;
        }
        if !run.is_empty() {
            out.push(Piece::latin(std::mem::take(&mut run)));
        }
        out.push(piece);
    }
    out
}

fn push_final_run(run: String, out: &mut Vec<Piece>) {
    let is_form = |text: &str| {
        lexicon::LEGAL_FORM_WORDS
            .iter()
            .any(|(word, _, _)| *word == text)
    };
    if !is_form(&run) {
        for split in 1..run.len().saturating_sub(1) {
            if let (Some(head), Some(tail)) = (run.get(..split), run.get(split..))
                && is_form(tail)
            {
                out.push(Piece::latin(head));
                out.push(Piece::latin(tail));
                return;
            }
        }
    }
    out.push(Piece::latin(run));
}

/// Pulls legal forms out of the pieces; short ambiguous forms ("AG", "SA", "Co") only count
/// at either end of the name.
fn extract_legal_forms(pieces: Vec<Piece>, forms: &mut Vec<&'static str>) -> Vec<Piece> {
    // Phrases compare folded, so spelling variants ("Joynt", "obschestvo") still count.
    let folded: Vec<String> = pieces.iter().map(|p| fold(&p.text)).collect();
    let mut kept: Vec<Piece> = Vec::with_capacity(pieces.len());
    let mut i = 0;
    'outer: while i < pieces.len() {
        for (phrase, code) in legal_form_phrases() {
            let end = i + phrase.len();
            if end <= folded.len()
                && folded[i..end]
                    .iter()
                    .zip(phrase.iter())
                    .all(|(a, b)| a == b)
            {
                forms.push(code);
                i = end;
                continue 'outer;
            }
        }
        if let Some(piece) = pieces.get(i) {
            kept.push(piece.clone());
        }
        i += 1;
    }
    // Single-word forms: unambiguous ones anywhere, short ones from the ends inwards.
    let mut result: Vec<Piece> = Vec::with_capacity(kept.len());
    let total = kept.len();
    for (index, piece) in kept.into_iter().enumerate() {
        match lexicon::LEGAL_FORM_WORDS
            .iter()
            .find(|(word, _, _)| *word == piece.text)
        {
            Some((_, code, false)) if total > 1 => forms.push(code),
            Some((_, code, true)) if total > 1 && (index == 0 || index + 1 == total) => {
                forms.push(code);
            }
            _ => result.push(piece),
        }
    }
    // "Co., Ltd." leaves "co" at the end once "ltd" is gone.
    while result.len() > 1 {
        let Some(last) = result.last() else { break };
        match lexicon::LEGAL_FORM_WORDS
            .iter()
            .find(|(word, _, _)| *word == last.text)
        {
            Some((_, code, _)) => {
                forms.push(code);
                result.pop();
            }
            None => break,
        }
    }
    forms.sort_unstable();
    forms.dedup();
    result
}

/// Joins a Dutch, Flemish or German surname to the particles before it ("van de Greef" →
/// "vandegreef"), so that a name with the particles never equals one without. Particles
/// with no surname after them are left alone, and so is a particle opening a person's name
/// of three words or more: that is a surname written first ("Ten Sergey Yuryevich", as
/// registers write Korean and Russian names), not a prefix of the given name after it.
fn join_compound_surnames(pieces: Vec<Piece>, profile: Profile) -> Vec<Piece> {
    let is_latin = |piece: &Piece, words: &[&str]| {
        piece.origin == Origin::Latin && words.contains(&piece.text.as_str())
    };
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    let mut index = 0;
    let surname_first = profile == Profile::Person && pieces.len() >= 3;
    while let Some(piece) = pieces.get(index) {
        if is_latin(piece, lexicon::SURNAME_PREFIXES) && !(index == 0 && surname_first) {
            let articles = pieces
                .get(index + 1..)
                .unwrap_or_default()
                .iter()
                .take_while(|p| is_latin(p, lexicon::SURNAME_ARTICLES))
                .count();
            let surname_at = index + 1 + articles;
            if let Some(surname) = pieces.get(surname_at).filter(|p| {
                p.origin == Origin::Latin && !word_sets().particles.contains(p.text.as_str())
            }) {
                let text: String = pieces
                    .get(index..=surname_at)
                    .unwrap_or_default()
                    .iter()
                    .map(|p| p.text.as_str())
                    .collect();
                out.push(Piece {
                    text,
                    ..surname.clone()
                });
                index = surname_at + 1;
                continue;
            }
        }
        out.push(piece.clone());
        index += 1;
    }
    out
}

/// Marks the names after a filiation word inside a name ("Usama bin Muhammad ibn Awad ibn
/// Ladin"): a nasab, the Arabic patronymic. A filiation word opening the name starts a
/// surname (Bin Laden), and the last name of the chain is the family's, so neither is
/// marked.
fn mark_filiation(pieces: &mut [Piece]) {
    for index in 1..pieces.len().saturating_sub(1) {
        let after_filiation = pieces.get(index - 1).is_some_and(|p| {
            p.origin == Origin::Latin && matches!(p.text.as_str(), "bin" | "ibn" | "bint" | "binti")
        });
        if let Some(piece) = pieces.get_mut(index)
            && after_filiation
            && index >= 2
        {
            piece.filiation = true;
        }
    }
}

/// Splits Arabic compound given names written joined: `abdulaziz` → `abd` `aziz`,
/// `saifuddin` → `saif` `din`. The first element remembers the word (see
/// [`Token::compound`]).
fn split_compounds(piece: Piece, out: &mut Vec<Piece>) {
    if piece.origin != Origin::Latin {
        return out.push(piece);
    }
    let text = piece.text.as_str();
    // Abdullah = Abd Allah, Hidayatullah = Hidayat Allah: written joined or apart.
    if lexicon::ABDULLAH_FORMS.contains(&text) {
        out.push(Piece::latin("abd").first_of(text));
        return out.push(Piece::latin("allah"));
    }
    for suffix in ["ullah", "allah", "ulla", "alla"] {
        if let Some(stem) = text.strip_suffix(suffix)
            && stem.len() >= 3
        {
            out.push(Piece::latin(stem).first_of(text));
            return out.push(Piece::latin("allah"));
        }
    }
    for prefix in lexicon::ABD_PREFIXES {
        if text == *prefix {
            return out.push(Piece::canonical("abd", prefix));
        }
        if let Some(rest) = text.strip_prefix(prefix)
            && rest.len() >= 3
            && *prefix != "abdu"
            && *prefix != "abd"
        {
            out.push(Piece::canonical("abd", prefix).first_of(text));
            out.push(Piece::latin(rest));
            return;
        }
    }
    for suffix in lexicon::DIN_SUFFIXES {
        if let Some(stem) = text.strip_suffix(suffix)
            && stem.len() >= 3
        {
            out.push(Piece::latin(stem).first_of(text));
            out.push(Piece::latin("din"));
            return;
        }
    }
    out.push(piece);
}

/// The legal-form phrases with their words folded.
fn legal_form_phrases() -> &'static [(Vec<String>, &'static str)] {
    static PHRASES: OnceLock<Vec<(Vec<String>, &'static str)>> = OnceLock::new();
    PHRASES.get_or_init(|| {
        lexicon::LEGAL_FORM_PHRASES
            .iter()
            .map(|(words, code)| (words.iter().map(|w| fold(w)).collect(), *code))
            .collect()
    })
}

struct WordSets {
    honorifics: HashSet<&'static str>,
    particles: HashSet<&'static str>,
    generic_org: HashSet<String>,
    common_person: HashSet<String>,
}

fn word_sets() -> &'static WordSets {
    static SETS: OnceLock<WordSets> = OnceLock::new();
    SETS.get_or_init(|| WordSets {
        honorifics: lexicon::HONORIFICS.iter().copied().collect(),
        particles: lexicon::PARTICLES.iter().copied().collect(),
        generic_org: lexicon::GENERIC_ORG_WORDS.iter().map(|w| fold(w)).collect(),
        common_person: lexicon::COMMON_PERSON_TOKENS
            .iter()
            .map(|w| fold(w))
            .collect(),
    })
}

/// Weight factor of words common to organisation names ("group", "trading").
const GENERIC_ORG_FACTOR: f32 = 0.45;
/// Weight factor of very common given names and name elements ("Mohammed", "Ali").
const COMMON_PERSON_FACTOR: f32 = 0.55;

/// Honorifics that are also ordinary words in organisation names.
const AMBIGUOUS_HONORIFICS: &[&str] = &["general", "major", "president", "captain", "lady", "lord"];

/// Normalises a name for comparison under the given profile.
pub(crate) fn normalize(text: &str, profile: Profile) -> NormalizedName {
    // ASCII is its own NFKC form, and most names screened are ASCII.
    let text: String = if text.is_ascii() {
        text.to_owned()
    } else {
        text.nfkc().collect()
    };
    let (text, mixed_script) = match crate::confusables::fold_mixed_scripts(&text) {
        Some((folded, mixed)) => (folded, mixed),
        None => (text, Vec::new()),
    };
    let text = match profile {
        Profile::Person => reorder_last_first(&text),
        _ => text,
    };
    let mut pieces: Vec<Piece> = Vec::new();
    for word in split_words(&text) {
        match word.script {
            Script::Abjad => transliterate_abjad(&word.text, &mut pieces),
            Script::Syllabic => transliterate_syllabic(&word.text, profile, &mut pieces),
            Script::Abugida => {
                ascii_pieces(
                    &any_ascii::any_ascii(&word.text),
                    Origin::Consonantal,
                    &mut pieces,
                );
            }
            Script::Latin | Script::Other => {
                ascii_pieces(
                    &any_ascii::any_ascii(&word.text),
                    Origin::Latin,
                    &mut pieces,
                );
            }
        }
    }
    let mut pieces: Vec<Piece> = pieces.into_iter().map(respell).collect();
    let mut legal_forms = Vec::new();
    if profile != Profile::Person {
        pieces = read_number_words(pieces);
        pieces = join_letter_runs(pieces);
        pieces = extract_legal_forms(pieces, &mut legal_forms);
    }
    let sets = word_sets();
    if profile != Profile::Organization {
        // A word of another script romanised to two or three letters is that word, not an
        // English abbreviation: Hebrew עמאש reads `ms`, which is not "Ms" (the titles of
        // Arabic script, ملا `mla`, حاج `haj`, are listed as such).
        let is_honorific = |p: &Piece| {
            let text = p.text.as_str();
            sets.honorifics.contains(text)
                && (profile == Profile::Person || !AMBIGUOUS_HONORIFICS.contains(&text))
                && (p.origin == Origin::Latin
                    || text.len() > 3
                    || lexicon::ABJAD_HONORIFICS.contains(&text))
        };
        // A title after the article that follows a name is a family name: "Fatih Al
        // al-Sheikh", "Ahmed al-Sheikh" (the family of the Sheikh), not "Fatih" alone.
        let honorific: Vec<bool> = pieces
            .iter()
            .enumerate()
            .map(|(index, piece)| {
                let family = index >= 2
                    && pieces
                        .get(index - 1)
                        .is_some_and(|p| matches!(p.text.as_str(), "al" | "el"));
                is_honorific(piece) && !family
            })
            .collect();
        if honorific.contains(&false) {
            pieces = pieces
                .into_iter()
                .zip(honorific)
                .filter(|(_, honorific)| !honorific)
                .map(|(piece, _)| piece)
                .collect();
        }
    }
    pieces = join_compound_surnames(pieces, profile);
    if profile != Profile::Organization {
        mark_filiation(&mut pieces);
    }
    // A particle that is also a surname ("Ten", "Da", "De") ending a person's name is the
    // surname: dropped, it would leave the given names alone to match.
    let last = pieces.len().saturating_sub(1);
    let is_particle = |index: usize, p: &Piece| {
        sets.particles.contains(p.text.as_str())
            && !(index == 0 && lexicon::PARTICLES_NOT_FIRST.contains(&p.text.as_str()))
            && !(profile == Profile::Person
                && index == last
                && index > 0
                && lexicon::SURNAME_PARTICLES.contains(&p.text.as_str()))
    };
    if pieces.iter().enumerate().any(|(i, p)| !is_particle(i, p)) {
        pieces = pieces
            .into_iter()
            .enumerate()
            .filter(|(i, p)| !is_particle(*i, p))
            .map(|(_, p)| p)
            .collect();
    }
    let mut split = Vec::with_capacity(pieces.len() + 2);
    for piece in pieces {
        split_compounds(piece, &mut split);
    }
    let tokens = split
        .into_iter()
        .map(|piece| make_token(piece, profile, sets))
        .collect();
    NormalizedName {
        tokens,
        legal_forms,
        mixed_script,
    }
}

fn make_token(piece: Piece, profile: Profile, sets: &WordSets) -> Token {
    let piece_origin = piece.origin;
    let filiation = piece.filiation;
    let abjad = matches!(piece_origin, Origin::Arabic | Origin::Consonantal);
    let native = piece.native.map(String::into_boxed_str);
    let written = piece.written;
    let compound = piece
        .compound
        .map(|word| Box::new((fold(&word).into_boxed_str(), word.into_boxed_str())));
    let alternates: Box<[(Box<str>, Box<str>)]> = piece
        .alternates
        .iter()
        .map(|text| {
            let folded = fold_letters(text);
            let skeleton = skeleton(&folded);
            (folded.into_boxed_str(), skeleton.into_boxed_str())
        })
        .collect();
    let piece = piece.text.as_str();
    let kind = if piece.bytes().all(|b| b.is_ascii_digit())
        || (profile == Profile::Organization && is_roman_numeral(piece))
    {
        TokenKind::Number
    } else if piece.len() == 1 {
        TokenKind::Initial
    } else {
        TokenKind::Word
    };
    let folded = match kind {
        // Abjad transliteration is written in folded conventions already; reading its letter
        // pairs as Latin digraphs would merge ت + ه into `t`.
        TokenKind::Word if matches!(piece_origin, Origin::Arabic) => fold_letters(piece),
        TokenKind::Word => fold(piece),
        TokenKind::Initial | TokenKind::Number => piece.to_owned(),
    };
    let skeleton = skeleton(&folded);
    let base_weight = match kind {
        TokenKind::Initial => 0.35,
        TokenKind::Number => 0.3,
        TokenKind::Word if folded.len() <= 2 => 0.6,
        TokenKind::Word => 1.0,
    };
    let weight = if profile != Profile::Person && sets.generic_org.contains(&folded) {
        base_weight * GENERIC_ORG_FACTOR
    } else if profile != Profile::Organization && sets.common_person.contains(&folded) {
        base_weight * COMMON_PERSON_FACTOR
    } else {
        base_weight
    };
    let patronymic = is_patronymic(&folded) || filiation;
    let raw = written.map(String::into_boxed_str).or_else(|| {
        (kind == TokenKind::Word && folded != piece && !abjad).then(|| Box::<str>::from(piece))
    });
    Token {
        raw,
        initial: piece.as_bytes().first().copied().unwrap_or(b' '),
        skeleton: skeleton.into(),
        folded: folded.into(),
        kind,
        abjad,
        native,
        alternates,
        compound,
        patronymic,
        base_weight,
        weight,
    }
}

/// Whether a name has a patronymic (Sergeyevich, Ivanovna, Ogly): only people have one. A
/// nasab (the name after "bin") does not count: foundations and companies are named after
/// people ("Mohammed bin Rashid Foundation").
pub(crate) fn has_patronymic(name: &str) -> bool {
    normalize(name, Profile::Generic)
        .tokens
        .iter()
        .any(|token| is_patronymic(&token.folded))
}

/// Whether a folded token is an East Slavic or Turkic patronymic.
fn is_patronymic(folded: &str) -> bool {
    folded.len() > 6
        && [
            "ovich", "evich", "ovna", "evna", "ichna", "inichna", "ogli", "ogly", "uli", "kizi",
        ]
        .iter()
        .any(|ending| folded.ends_with(ending))
}

/// "SHOIGU, Sergei Kuzhugetovich" → "Sergei Kuzhugetovich SHOIGU", so token order follows the
/// spoken order whichever way the list wrote it.
fn reorder_last_first(text: &str) -> String {
    match text.split_once(',') {
        Some((last, first))
            if !first.contains(',') && !first.trim().is_empty() && !last.trim().is_empty() =>
        {
            format!("{} {}", first.trim(), last.trim())
        }
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str, profile: Profile) -> String {
        normalize(text, profile).display()
    }

    #[test]
    fn transliterates_and_folds_cyrillic_greek_and_latin_variants() {
        assert_eq!(
            folded("Шойгу", Profile::Person),
            folded("Shoigu", Profile::Person)
        );
        assert_eq!(folded("Choïgou", Profile::Person), "choigu");
        assert_eq!(folded("Schoigu", Profile::Person), "shoigu");
        assert_eq!(folded("Κυριάκος", Profile::Person), "kiriakos");
    }

    #[test]
    fn reorders_last_first_and_drops_honorifics() {
        assert_eq!(folded("PUTIN, Vladimir", Profile::Person), "vladimir putin");
        assert_eq!(folded("Mr. Rami Makhlouf", Profile::Person), "rami mahluf");
        assert_eq!(folded("Sheikh Isa bin Tarif", Profile::Person), "isa tarif");
    }

    #[test]
    fn splits_camel_case_and_arabic_compounds() {
        assert_eq!(folded("SergeiLavrov", Profile::Person), "sergei lavrov");
        assert_eq!(folded("Abdulaziz", Profile::Person), "abd aziz");
        assert_eq!(folded("Abd al-Aziz", Profile::Person), "abd aziz");
        assert_eq!(folded("Saifuddin", Profile::Person), "saif din");
        assert_eq!(
            folded("Abdallah", Profile::Person),
            folded("Abd Allah", Profile::Person)
        );
        assert_eq!(folded("Hidayatullah", Profile::Person), "hidaiat alah");
        assert_eq!(folded("AlQaida", Profile::Organization), "kaida");
    }

    #[test]
    fn extracts_legal_forms() {
        assert_eq!(
            folded("OOO Oboronnye Initsiativy", Profile::Organization),
            "oboronie initsiativi [llc]"
        );
        assert_eq!(
            folded("ООО Ромашка", Profile::Organization),
            "romashka [llc]"
        );
        assert_eq!(
            folded("Siemens Aktiengesellschaft", Profile::Organization),
            "siemens [ag]"
        );
        assert_eq!(folded("SiemensAG", Profile::Organization), "siemens [ag]");
        assert_eq!(
            folded("Open Joint Stock Company Gazprom", Profile::Organization),
            folded("OAO Gazprom", Profile::Organization)
        );
        assert_eq!(
            folded("Samsung Electronics Co., Ltd.", Profile::Organization),
            "samsung elektroniks [co] [ltd]"
        );
        assert_eq!(folded("A.B.C. Company", Profile::Organization), "abk [co]");
    }

    #[test]
    fn transliterates_arabic_with_vowels_and_article() {
        let name = normalize("عبد الفتاح السيسي", Profile::Person);
        assert!(
            name.tokens
                .iter()
                .filter(|t| &*t.folded != "abd")
                .all(|t| t.abjad)
        );
        assert_eq!(name.display(), "abd ftah sisi");
    }

    #[test]
    fn splits_chinese_surname_from_given_name() {
        assert_eq!(folded("习近平", Profile::Person), "si jinping");
    }

    #[test]
    fn joins_dutch_and_german_particles_to_the_surname() {
        assert_eq!(
            folded("Herman van de Greef", Profile::Person),
            "herman vandegref"
        );
        assert_eq!(
            folded("BEETHOVEN, Ludwig van", Profile::Person),
            folded("Ludwig van Beethoven", Profile::Person)
        );
        assert_eq!(
            folded("Jan van der Berg", Profile::Person),
            folded("Jan Vanderberg", Profile::Person)
        );
        assert_eq!(folded("Erik ten Hag", Profile::Person), "erik tenhag");
        // Nothing to join, and a particle ending a person's name is a surname.
        assert_eq!(folded("Ludwig van", Profile::Person), "ludvig van");
        assert_eq!(folded("Ludwig van", Profile::Generic), "ludvig");
        // Arabic and Romance particles are still dropped.
        assert_eq!(
            folded("Charles de Gaulle", Profile::Person),
            folded("Charles Gaulle", Profile::Person)
        );
        assert_eq!(
            folded("Isa bin Tarif al-Khalifa", Profile::Person),
            folded("Isa Tarif Khalifa", Profile::Person)
        );
    }

    #[test]
    fn a_particle_never_removes_the_only_surname() {
        let listed = folded("TEN, Sergey Yuryevich", Profile::Person);
        assert_eq!(listed, "sergei yurievich ten");
        assert_eq!(folded("Sergey Yuryevich Ten", Profile::Person), listed);
        assert_eq!(
            folded("Ten Sergey Yuryevich", Profile::Person),
            "ten sergei yurievich"
        );
        assert!(folded("Maria De", Profile::Person).ends_with(" de"));
        // Still joined when the particle follows a given name.
        assert_eq!(folded("Erik ten Hag", Profile::Person), "erik tenhag");
    }

    #[test]
    fn look_alike_letters_of_another_script_are_folded_and_remembered() {
        let name = normalize("Vl\u{0430}dimir Putin", Profile::Person);
        assert_eq!(name.display(), "vladimir putin");
        assert_eq!(name.mixed_script, vec![Box::<str>::from("Vl\u{0430}dimir")]);
        assert!(
            normalize("Vladimir Putin", Profile::Person)
                .mixed_script
                .is_empty()
        );
    }

    #[test]
    fn names_after_a_filiation_word_are_patronymics() {
        let name = normalize("Usama bin Muhammad ibn Awad ibn Ladin", Profile::Person);
        let patronymic: Vec<&str> = name
            .tokens
            .iter()
            .filter(|t| t.patronymic)
            .map(|t| &*t.folded)
            .collect();
        assert_eq!(patronymic, vec!["muhamad", "avad"]);
        // Opening the name, "Bin" starts a surname.
        assert!(
            normalize("Bin Laden Osama", Profile::Person)
                .tokens
                .iter()
                .all(|t| !t.patronymic)
        );
        assert!(!has_patronymic("Mohammed bin Rashid Foundation"));
        assert!(has_patronymic("Sergey Yuryevich Ten"));
    }

    #[test]
    fn reads_leetspeak_and_ordinals() {
        assert_eq!(folded("I9or Sech1n", Profile::Person), "igor sechin");
        assert_eq!(
            folded("1st International Bank", Profile::Organization),
            "first international bank"
        );
    }
}
