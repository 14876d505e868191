//! Comparing two normalised names: per-token similarity (one typo costs little, even in a
//! short word), the best token alignment (order ignored, adjacent tokens may join: "Abdul
//! Rahman" = "Abdulrahman", and a word split by a lexicon rule also compares whole), and the
//! weighted name score with its conflict and extra-token penalties.
//!
//! The name score is a weighted agreement ratio:
//!
//! ```text
//!            Σ credit(p)·w(p)
//! score = ─────────────────────────────────────────────
//!         Σ w(p)·(1 + CONFLICT·(1 − credit(p))) + EXTRA·Σ w(extra)
//! ```
//!
//! over aligned token pairs `p` and unpaired ("extra") tokens. `credit` turns a token
//! similarity into how much the pair agrees; a pair that disagrees weighs more than one that
//! agrees, a near miss (one typo) hardly more (two different surnames are strong evidence of two different people), while a token
//! only one side has (a dropped middle name, patronymic or qualifier) costs a fraction of its
//! weight.

use crate::distance;
use crate::normalize::{NormalizedName, Profile, Token, TokenKind};
use crate::translit::{is_vowel, merge_consonant, skeleton};

/// Below this token similarity a pair earns no credit.
const CREDIT_FLOOR: f32 = 0.62;
/// At or above this token similarity a pair earns full credit.
const CREDIT_FULL: f32 = 0.96;
/// How much more a fully disagreeing pair weighs than an agreeing one.
const CONFLICT: f32 = 1.5;
/// Factor on the conflict weight of a pair compared across scripts.
const CROSS_SCRIPT_CONFLICT: f32 = 0.5;
/// Fraction of its weight an unpaired person-name token costs.
const EXTRA_PERSON: f32 = 0.35;
/// Fraction of its weight an unpaired organisation-name token costs.
const EXTRA_ORGANIZATION: f32 = 0.4;
/// Factor on the extra-token cost of a patronymic, which lists and customers often omit.
const EXTRA_PATRONYMIC: f32 = 0.4;
/// Factor applied to the name score when well-agreeing tokens appear in an order that is
/// neither the same nor a rotation ("Salman bin Muhammad" vs "Muhammad bin Salman": father
/// and son).
const ORDER_PENALTY: f32 = 0.65;
/// Factor for a reordering that keeps the first name first and moves only the words after
/// it ("Abdulpatta Abubakar Escalon" / "Abdulpatta Escalon Abubakar"): lists and customers
/// disagree on where a second surname, a middle name or a family name goes, while a given
/// name that changes place is another person (father and son).
const ORDER_PENALTY_FIRST_KEPT: f32 = 0.85;
/// Similarity of two spellings that differ only in vowels and share their consonants
/// (Osama / Usama, Jensen / Jansen).
const VOWEL_ONLY_SIMILARITY: f32 = 0.92;
/// Minimum similarity for joining two adjacent tokens against one ("Abdul Rahman",
/// "Kaka Zadh" / "Kakazada"); below the single-token level since a joined word also differs
/// at the seam.
const JOIN_MIN_SIMILARITY: f32 = 0.8;
/// Below this spelled similarity, equal consonant skeletons do not lift a pair.
const SKELETON_MIN_SPELLED: f32 = 0.7;
/// Similarity of two different numbers.
const NUMBER_MISMATCH_SIMILARITY: f32 = 0.75;
/// Similarity of an initial with a word it could abbreviate.
const INITIAL_SIMILARITY: f32 = 0.9;
/// One typo (a letter substituted, inserted, deleted or two swapped) is the commonest way a
/// name is mistyped, and edit-distance measures punish it in proportion to the word's
/// length, so that "Gon" / "Gpn" would look as different as two unrelated names. Two words
/// one edit apart are at least this similar, less `ONE_TYPO_LENGTH_COST / length` (a typo
/// in a short word is likelier to be another name).
const ONE_TYPO_SIMILARITY: f32 = 0.96;
const ONE_TYPO_LENGTH_COST: f32 = 0.36;
/// Words shorter than this have too many one-edit neighbours for the typo floor.
const ONE_TYPO_MIN_LEN: usize = 3;
/// Names are compared on at most this many tokens each (the rest are ignored).
const MAX_TOKENS: usize = 24;
/// Factor on the score of a name of one-syllable words (romanised Chinese or Korean: "Yong
/// Xin", "Kim Chol") that fewer than two of the query's words meet exactly: one shared
/// syllable is a coincidence thousands of names share, and one letter off is another
/// syllable, not a typo.
const SYLLABLES_UNCONFIRMED: f32 = 0.8;
/// Similarity of one Chinese or Korean syllable as two romanisation systems write it.
const ROMANISED_SYLLABLE: f32 = 0.9;
/// Factor on the similarity of an Arabic-script reading of one consonant with a Latin word
/// spelled otherwise.
const ABJAD_ONE_CONSONANT: f32 = 0.85;
/// Factor on the similarity of an Arabic-script reading with a Latin word that opens with
/// a vowel the script would have written (an alef) but did not: "نرگس" (Narges, `nrgs`) is
/// not "Energies", whose skeleton it shares; and again for a Latin word with more letters
/// than the reading's letters and one short vowel per consonant ("Nova Energies" read as
/// one word).
const ABJAD_MISSING_OPENING_VOWEL: f32 = 0.8;

/// A name with the weight of each of its tokens (prior weight, possibly scaled by rarity in
/// the index).
#[derive(Debug, Clone, Copy)]
pub(crate) struct WeightedName<'a> {
    /// The normalised name.
    pub(crate) name: &'a NormalizedName,
    /// One weight per token.
    pub(crate) weights: &'a [f32],
}

/// How one aligned pair or extra token came out, for explanations.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PairTrace {
    /// Query token indices (start, count); count 0 for an extra on the listed side.
    pub(crate) query: (usize, usize),
    /// Listed token indices (start, count); count 0 for an extra on the query side.
    pub(crate) listed: (usize, usize),
    /// Token similarity (0 for extras).
    pub(crate) similarity: f32,
    /// Credit earned.
    pub(crate) credit: f32,
    /// Weight of the pair (or of the extra token).
    pub(crate) weight: f32,
    /// Denominator share: weight after conflict amplification, or the extra-token cost.
    pub(crate) cost: f32,
}

/// The outcome of comparing two names.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct NameOutcome {
    /// The name score in [0, 1], order penalty included.
    pub(crate) score: f32,
    /// The score before the order penalty.
    pub(crate) alignment_score: f32,
    /// Whether the order penalty applied.
    pub(crate) out_of_order: bool,
    /// The factor the order penalty applied (1 when in order).
    pub(crate) order_factor: f32,
    /// Whether the name is of one-syllable words and fewer than two met their equal
    /// ([`SYLLABLES_UNCONFIRMED`] applied).
    pub(crate) syllables_unconfirmed: bool,
}

/// Similarity of two whole strings of folded letters, from Levenshtein-with-transpositions
/// (OSA) and Jaro-Winkler: OSA alone is harsh on long names, Jaro-Winkler alone forgives
/// truncation ("Lind" / "Lindemann"), the mean does neither.
pub(crate) fn string_similarity(a: &str, b: &str) -> f32 {
    spelling_similarity(a, b, false)
}

/// [`string_similarity`] of two spellings of a word; when both were `typed` in letters, one
/// typo costs little (see [`ONE_TYPO_SIMILARITY`]). A romanised Han or Hangul syllable has
/// no typos: one letter off, it is another syllable.
fn spelling_similarity(a: &str, b: &str, typed: bool) -> f32 {
    if a == b {
        return 1.0;
    }
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 0.0;
    }
    // Most pairs compared are different names: settle those with a cheap upper bound, as
    // any value below the credit floor earns the same (nothing).
    let bound = similarity_upper_bound(a.as_bytes(), b.as_bytes());
    if bound < CREDIT_FLOOR {
        return bound;
    }
    let distance = distance::osa_distance(a, b);
    let edit = 1.0 - distance as f32 / longest as f32;
    let jaro = distance::jaro_winkler(a, b) as f32;
    let similarity = 0.5 * (edit + jaro);
    if typed && distance == 1 && a.len().min(b.len()) >= ONE_TYPO_MIN_LEN {
        similarity.max(ONE_TYPO_SIMILARITY - ONE_TYPO_LENGTH_COST / longest as f32)
    } else {
        similarity
    }
}

/// An upper bound of [`string_similarity`] from the letters the strings share: at most `m`
/// characters can match, where `m` counts the characters of each string that occur in the
/// other, which bounds both the edit similarity (`m / longest`) and Jaro-Winkler.
fn similarity_upper_bound(a: &[u8], b: &[u8]) -> f32 {
    let mask = |text: &[u8]| {
        text.iter()
            .fold(0u64, |mask, &byte| mask | 1u64 << (byte % 64))
    };
    let (mask_a, mask_b) = (mask(a), mask(b));
    let in_other = |text: &[u8], other: u64| {
        text.iter()
            .filter(|&&byte| other & (1u64 << (byte % 64)) != 0)
            .count()
    };
    let matches = in_other(a, mask_b).min(in_other(b, mask_a)) as f32;
    let (la, lb) = (a.len() as f32, b.len() as f32);
    let edit = matches / la.max(lb);
    let jaro = (matches / la + matches / lb + 1.0) / 3.0;
    let winkler = jaro + 0.4 * (1.0 - jaro);
    0.5 * (edit + winkler)
}

/// Similarity of two tokens in [0, 1].
pub(crate) fn token_similarity(a: &Token, b: &Token) -> f32 {
    match (a.kind, b.kind) {
        // Series numbers differ between a fund and its successor, a ship and its sister:
        // related, but not the same word.
        (TokenKind::Number, TokenKind::Number) => {
            return if a.folded == b.folded {
                1.0
            } else {
                NUMBER_MISMATCH_SIMILARITY
            };
        }
        (TokenKind::Number, _) | (_, TokenKind::Number) => return 0.0,
        (TokenKind::Initial, TokenKind::Initial) => {
            return f32::from(u8::from(a.folded == b.folded));
        }
        (TokenKind::Initial, TokenKind::Word) => return initial_similarity(a, b),
        (TokenKind::Word, TokenKind::Initial) => return initial_similarity(b, a),
        (TokenKind::Word, TokenKind::Word) => {}
    }
    if let (Some(a_native), Some(b_native)) = (&a.native, &b.native) {
        return native_similarity(a_native, b_native);
    }
    if a.folded == b.folded {
        return 1.0;
    }
    // A Han or Hangul name and an Arabic-script one are both romanised by rules that drop
    // what tells names apart (tones, short vowels): their romanisations agreeing is chance.
    if (a.native.is_some() && b.abjad) || (a.abjad && b.native.is_some()) {
        return 0.0;
    }
    match (a.abjad, b.abjad) {
        (true, true) => return string_similarity(&a.folded, &b.folded),
        (true, false) => return abjad_similarity(a, b),
        (false, true) => return abjad_similarity(b, a),
        (false, false) => {}
    }
    let typed = is_typed(a) && is_typed(b);
    let mut spelled = spelling_similarity(&a.folded, &b.folded, typed);
    if a.raw.is_some() || b.raw.is_some() {
        spelled = spelled.max(spelling_similarity(unfolded(a), unfolded(b), typed));
    }
    // The same Chinese or Korean syllable romanised by two systems (Xi / Shi / Hsi, Jin /
    // Chin, Gim / Kim): close, but not exact, so that it does not count as one of the two
    // exact syllables a name of syllables needs.
    if typed && spelled < ROMANISED_SYLLABLE && is_syllable(a) && is_syllable(b) {
        let (x, y) = (unfolded(a), unfolded(b));
        if same_syllable_across_systems(x, y) {
            return ROMANISED_SYLLABLE;
        }
    }
    // Two one-syllable words differing at all are two syllables (Sun / Xin, Yong / Yang):
    // no vowel or skeleton credit for them. Nor for one Han or Hangul character and a word
    // of several syllables (张 `jang` / Jinghe): one character is one syllable.
    if a.skeleton == b.skeleton
        && ((is_syllable(a) && is_syllable(b))
            || (a.native.is_some() && is_syllable(a) != is_syllable(b))
            || (b.native.is_some() && is_syllable(a) != is_syllable(b)))
    {
        return spelled;
    }
    // Same consonants in the same order: a vowel-level romanisation difference, provided the
    // spellings are not far apart otherwise (Mahmud / Mohamed share `mhmd`).
    if a.skeleton == b.skeleton && differ_in_vowels_only(&a.folded, &b.folded) {
        return spelled.max(VOWEL_ONLY_SIMILARITY);
    }
    if a.skeleton == b.skeleton && spelled >= SKELETON_MIN_SPELLED {
        let floor = match a.skeleton.len() {
            0 | 1 => 0.0,
            2 => 0.82,
            _ => 0.9,
        };
        return spelled.max(floor);
    }
    spelled
}

/// Whether a token is one syllable as Chinese and Korean romanisations write them: at most
/// three consonants, one vowel group, then nothing or n, ng, m, l, r, k, p, t ("yong",
/// "xin", "chol", "kim"); or one Han or Hangul character.
pub(crate) fn is_syllable(token: &Token) -> bool {
    if token.kind != TokenKind::Word {
        return false;
    }
    if let Some(native) = &token.native {
        return native.chars().count() == 1;
    }
    let word = unfolded(token).as_bytes();
    if word.len() > 6 || token.abjad {
        return false;
    }
    let onset = word.iter().take_while(|b| !is_vowel(**b)).count();
    let nucleus = word
        .get(onset..)
        .unwrap_or_default()
        .iter()
        .take_while(|b| is_vowel(**b))
        .count();
    let coda = word.get(onset + nucleus..).unwrap_or_default();
    onset <= 3
        && nucleus >= 1
        && matches!(
            coda,
            b"" | b"n" | b"ng" | b"m" | b"l" | b"r" | b"k" | b"p" | b"t"
        )
}

/// Whether two typed syllables are one syllable in two romanisation systems: their onsets
/// agree once the consonants the systems write differently are merged (Pinyin x, Wade-Giles
/// hs and English sh; Revised j and McCune-Reischauer ch; the unaspirated g/k, d/t, b/p
/// that Revised and McCune-Reischauer spell apart) and the rest is spelled the same.
fn same_syllable_across_systems(a: &str, b: &str) -> bool {
    fn split(word: &str) -> (&'static str, &str) {
        const ONSETS: &[(&str, &str)] = &[
            ("hs", "s"),
            ("sh", "s"),
            ("ch", "j"),
            ("zh", "j"),
            ("x", "s"),
            ("s", "s"),
            ("j", "j"),
            ("k", "k"),
            ("g", "k"),
            ("t", "d"),
            ("d", "d"),
            ("p", "b"),
            ("b", "b"),
        ];
        ONSETS
            .iter()
            .find_map(|(from, to)| word.strip_prefix(from).map(|rest| (*to, rest)))
            .unwrap_or(("", word))
    }
    let ((onset_a, rest_a), (onset_b, rest_b)) = (split(a), split(b));
    !onset_a.is_empty() && onset_a == onset_b && rest_a == rest_b
}

/// Whether a token was typed in letters rather than romanised from Han or Hangul.
fn is_typed(token: &Token) -> bool {
    token.native.is_none()
}

/// The spelling of a token before folding.
fn unfolded(token: &Token) -> &str {
    token.raw.as_deref().unwrap_or(&token.folded)
}

/// Whether two equally long spellings differ only in vowels (Osama / Usama, Meloni / Meleni).
fn differ_in_vowels_only(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .all(|(x, y)| x == y || (is_vowel(x) && is_vowel(y)))
}

/// Two Han or Hangul tokens: characters are syllables with meaning, so any different
/// character makes a different name; the share of equal characters only softens that.
fn native_similarity(a: &str, b: &str) -> f32 {
    if a == b {
        return 1.0;
    }
    let longest = a.chars().count().max(b.chars().count()).max(1);
    let equal = a.chars().zip(b.chars()).filter(|(x, y)| x == y).count();
    0.5 * equal as f32 / longest as f32
}

/// Similarity of a token from a script without short vowels (Arabic) with a Latin one: the
/// consonant skeletons must agree, and the long vowels the script does write must fit into the
/// Latin spelling (محمود `mhmud` fits Mahmud, not Mohamed).
fn abjad_similarity(abjad: &Token, latin: &Token) -> f32 {
    let primary = (&abjad.folded, &abjad.skeleton);
    std::iter::once(primary)
        .chain(
            abjad
                .alternates
                .iter()
                .map(|(folded, skeleton)| (folded, skeleton)),
        )
        .map(|(folded, skeleton)| reading_similarity(folded, skeleton, latin))
        .fold(0.0, f32::max)
}

/// Similarity of one reading of an abjad token with a Latin token.
fn reading_similarity(folded: &str, skeleton: &str, latin: &Token) -> f32 {
    if skeleton.is_empty() || latin.skeleton.is_empty() {
        return 0.0;
    }
    let opening = |text: &str| text.bytes().next().is_some_and(is_vowel);
    let mut factor = if opening(&latin.folded) && !opening(folded) {
        ABJAD_MISSING_OPENING_VOWEL
    } else {
        1.0
    };
    // The script leaves out about one short vowel per consonant: a Latin spelling longer than
    // that (with two letters of slack) is another word that happens to share the consonants.
    if latin.folded.len() > folded.len() + skeleton.len() + 2 {
        factor *= ABJAD_MISSING_OPENING_VOWEL;
    }
    // Arabic and Hebrew write a word's final long vowel (هاني Hani, נורי Nuri): a Latin word
    // ending in i, u or o is not a reading that ends in a consonant (כהן `khn` is not Hani).
    // A final h may itself stand for the vowel (عبده Abdo).
    let final_vowel = |text: &str| {
        text.bytes()
            .last()
            .is_some_and(|b| matches!(b, b'i' | b'u' | b'o'))
    };
    if final_vowel(&latin.folded)
        && folded
            .bytes()
            .last()
            .is_some_and(|b| !is_vowel(b) && b != b'h')
    {
        factor *= ABJAD_MISSING_OPENING_VOWEL;
    }
    // One consonant is too little to say two words are one: "ولی" (`uli`) and "Lee" share
    // `l`. Equal spellings still are.
    if skeleton.len() <= 1 && folded != &*latin.folded {
        factor *= ABJAD_ONE_CONSONANT;
    }
    if *skeleton == *latin.skeleton {
        return factor
            * if long_vowels_fit(folded, &latin.folded) {
                0.95
            } else {
                0.85
            };
    }
    factor * 0.95 * string_similarity(skeleton, &latin.skeleton)
}

/// Whether `abjad` (consonants and long vowels) is a subsequence of `latin`, where a long
/// `a` or `i` may be written `e` (Kamal / Kamel) and `u` may be `o` or `w` (Marwan), and an
/// opening vowel is ignored (the hamza carrier stands for any vowel).
fn long_vowels_fit(abjad: &str, latin: &str) -> bool {
    let canonical = |b: u8| match b {
        b'o' | b'v' => b'u',
        other => merge_consonant(other),
    };
    let fits = |wanted: u8, written: u8| {
        wanted == written || (written == b'e' && matches!(wanted, b'a' | b'i'))
    };
    let mut wanted = abjad.bytes().map(canonical).peekable();
    if wanted
        .peek()
        .is_some_and(|b| matches!(b, b'a' | b'i' | b'u'))
    {
        wanted.next();
    }
    let mut available = latin.bytes().map(canonical);
    wanted.all(|w| available.any(|a| fits(w, a)))
}

fn initial_similarity(initial: &Token, word: &Token) -> f32 {
    if initial.folded.as_bytes().first() == Some(&word.initial) {
        INITIAL_SIMILARITY
    } else {
        0.0
    }
}

/// How much an aligned pair agrees, from its similarity.
pub(crate) fn credit(similarity: f32) -> f32 {
    ((similarity - CREDIT_FLOOR) / (CREDIT_FULL - CREDIT_FLOOR)).clamp(0.0, 1.0)
}

/// A candidate pairing of token spans, considered in decreasing similarity.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    similarity: f32,
    query_start: u8,
    query_len: u8,
    listed_start: u8,
    listed_len: u8,
}

fn span_mask(start: u8, len: u8) -> u32 {
    ((1u32 << len) - 1) << start
}

/// Compares two names; when `trace` is given, records each aligned pair and extra token.
pub(crate) fn compare(
    query: WeightedName<'_>,
    listed: WeightedName<'_>,
    profile: Profile,
    mut trace: Option<&mut Vec<PairTrace>>,
) -> NameOutcome {
    let query_tokens = &query.name.tokens[..query.name.tokens.len().min(MAX_TOKENS)];
    let listed_tokens = &listed.name.tokens[..listed.name.tokens.len().min(MAX_TOKENS)];
    if query_tokens.is_empty() || listed_tokens.is_empty() {
        return NameOutcome::default();
    }
    let weight_of =
        |name: &WeightedName<'_>, index: usize| name.weights.get(index).copied().unwrap_or(1.0);

    let mut candidates: Vec<Candidate> =
        Vec::with_capacity(query_tokens.len() * listed_tokens.len() * 2);
    for (qi, q) in query_tokens.iter().enumerate() {
        for (li, l) in listed_tokens.iter().enumerate() {
            candidates.push(Candidate {
                similarity: token_similarity(q, l),
                query_start: qi as u8,
                query_len: 1,
                listed_start: li as u8,
                listed_len: 1,
            });
        }
    }
    push_joined(query_tokens, listed_tokens, false, &mut candidates);
    push_joined(listed_tokens, query_tokens, true, &mut candidates);
    // Best pairs first; among equals, the one covering more tokens, then the one whose
    // positions are closer (a name repeated in both names pairs with its counterpart).
    candidates.sort_unstable_by(|x, y| {
        y.similarity
            .total_cmp(&x.similarity)
            .then((y.query_len + y.listed_len).cmp(&(x.query_len + x.listed_len)))
            .then(
                x.query_start
                    .abs_diff(x.listed_start)
                    .cmp(&y.query_start.abs_diff(y.listed_start)),
            )
    });

    let mut query_used = 0u32;
    let mut listed_used = 0u32;
    let mut numerator = 0.0f32;
    let mut denominator = 0.0f32;
    let mut exact_pairs = 0usize;
    // (query position, listed position) of well-agreeing pairs, for the order check.
    let mut order: Vec<(u8, u8)> = Vec::new();
    for candidate in &candidates {
        let query_mask = span_mask(candidate.query_start, candidate.query_len);
        let listed_mask = span_mask(candidate.listed_start, candidate.listed_len);
        if query_used & query_mask != 0 || listed_used & listed_mask != 0 {
            continue;
        }
        query_used |= query_mask;
        listed_used |= listed_mask;
        let query_span = usize::from(candidate.query_start)
            ..usize::from(candidate.query_start + candidate.query_len);
        let listed_span = usize::from(candidate.listed_start)
            ..usize::from(candidate.listed_start + candidate.listed_len);
        let query_weight: f32 = query_span.clone().map(|i| weight_of(&query, i)).sum();
        let listed_weight: f32 = listed_span.clone().map(|i| weight_of(&listed, i)).sum();
        let is_initial =
            |token: Option<&Token>| token.is_some_and(|t| t.kind == TokenKind::Initial);
        let has_initial = query_span.clone().any(|i| is_initial(query_tokens.get(i)))
            || listed_span
                .clone()
                .any(|i| is_initial(listed_tokens.get(i)));
        let weight = if has_initial {
            query_weight.min(listed_weight)
        } else {
            0.5 * (query_weight + listed_weight)
        };
        let pair_credit = credit(candidate.similarity);
        if candidate.similarity >= 1.0 {
            exact_pairs += 1;
        }
        // Across scripts a "different" token is often just another transliteration: a conflict
        // there is weaker evidence.
        let cross_script = query_tokens.get(query_span.start).is_some_and(|t| t.abjad)
            != listed_tokens
                .get(listed_span.start)
                .is_some_and(|t| t.abjad);
        let conflict = if cross_script {
            CONFLICT * CROSS_SCRIPT_CONFLICT
        } else {
            CONFLICT
        };
        let cost = weight * (1.0 + conflict * (1.0 - pair_credit).powi(2));
        numerator += pair_credit * weight;
        denominator += cost;
        if pair_credit >= 0.5 {
            order.push((candidate.query_start, candidate.listed_start));
        }
        if let Some(trace) = trace.as_deref_mut() {
            trace.push(PairTrace {
                query: (query_span.start, query_span.len()),
                listed: (listed_span.start, listed_span.len()),
                similarity: candidate.similarity,
                credit: pair_credit,
                weight,
                cost,
            });
        }
    }
    let extra_factor = match profile {
        Profile::Person => EXTRA_PERSON,
        Profile::Organization | Profile::Generic => EXTRA_ORGANIZATION,
    };
    let extra_cost = |token: &Token| {
        if token.patronymic {
            extra_factor * EXTRA_PATRONYMIC
        } else {
            extra_factor
        }
    };
    for (index, token) in query_tokens.iter().enumerate() {
        if query_used & (1 << index) == 0 {
            let weight = weight_of(&query, index);
            let factor = extra_cost(token);
            denominator += factor * weight;
            if let Some(trace) = trace.as_deref_mut() {
                trace.push(extra_trace((index, 1), (0, 0), weight, factor));
            }
        }
    }
    for (index, token) in listed_tokens.iter().enumerate() {
        if listed_used & (1 << index) == 0 {
            let weight = weight_of(&listed, index);
            let factor = extra_cost(token);
            denominator += factor * weight;
            if let Some(trace) = trace.as_deref_mut() {
                trace.push(extra_trace((0, 0), (index, 1), weight, factor));
            }
        }
    }
    let alignment_score = if denominator > 0.0 {
        numerator / denominator
    } else {
        0.0
    };
    let order_factor = if profile == Profile::Person {
        order_factor(&mut order)
    } else {
        1.0
    };
    let out_of_order = order_factor < 1.0;
    let syllables_unconfirmed = syllables_unconfirmed(listed_tokens, query_tokens, exact_pairs);
    let mut score = alignment_score * order_factor;
    if syllables_unconfirmed {
        score *= SYLLABLES_UNCONFIRMED;
    }
    NameOutcome {
        score,
        alignment_score,
        out_of_order,
        order_factor,
        syllables_unconfirmed,
    }
}

/// Whether a name of one-syllable words (two or more, on either side) was met by fewer than
/// two exactly equal words.
fn syllables_unconfirmed(listed: &[Token], query: &[Token], exact_pairs: usize) -> bool {
    let all_syllables = |tokens: &[Token]| {
        let words = tokens.iter().filter(|t| t.kind == TokenKind::Word).count();
        words >= 2
            && tokens
                .iter()
                .filter(|t| t.kind == TokenKind::Word)
                .all(is_syllable)
    };
    exact_pairs < 2 && (all_syllables(listed) || all_syllables(query))
}

fn extra_trace(
    query: (usize, usize),
    listed: (usize, usize),
    weight: f32,
    factor: f32,
) -> PairTrace {
    PairTrace {
        query,
        listed,
        similarity: 0.0,
        credit: 0.0,
        weight,
        cost: factor * weight,
    }
}

/// Adds candidates pairing one token of `single` with two adjacent tokens of `joined`
/// ("abdulrahman" with "abdul" + "rahman"). `swapped` says `single` is the listed side.
fn push_joined(single: &[Token], joined: &[Token], swapped: bool, candidates: &mut Vec<Candidate>) {
    let mut buffer = String::with_capacity(48);
    for (si, token) in single.iter().enumerate() {
        if token.kind != TokenKind::Word || token.folded.len() < 4 {
            continue;
        }
        for (ji, pair) in joined.windows(2).enumerate() {
            let [first, second] = pair else { continue };
            if first.kind == TokenKind::Number || second.kind == TokenKind::Number {
                continue;
            }
            let abjad = token.abjad || first.abjad || second.abjad;
            // Cheap length check before the comparison; abjad spellings lack vowels, so their
            // consonants are what is compared.
            let (single_len, joined_len) = if abjad {
                (
                    token.skeleton.len(),
                    first.skeleton.len() + second.skeleton.len(),
                )
            } else {
                (token.folded.len(), first.folded.len() + second.folded.len())
            };
            let lengths_fit = single_len * 4 >= joined_len * 3 && joined_len * 4 >= single_len * 3;
            // Two tokens split from one written word also compare with that word.
            let compound = first.compound.as_deref().filter(|_| !abjad);
            if !lengths_fit && compound.is_none() {
                continue;
            }
            buffer.clear();
            buffer.push_str(&first.folded);
            buffer.push_str(&second.folded);
            let typed = is_typed(token) && is_typed(first) && is_typed(second);
            let similarity = if let Some((folded, written)) = compound {
                spelling_similarity(&token.folded, folded, typed)
                    .max(spelling_similarity(unfolded(token), written, typed))
                    .max(spelling_similarity(&token.folded, &buffer, typed))
            } else if abjad {
                // Compare as tokens, so that an Arabic-script side is read by its skeleton.
                let mut joined = first.clone();
                joined.skeleton = skeleton(&buffer).into();
                joined.folded = buffer.as_str().into();
                joined.native = None;
                joined.raw = None;
                token_similarity(token, &joined)
            } else {
                spelling_similarity(&token.folded, &buffer, typed)
            };
            if similarity < JOIN_MIN_SIMILARITY {
                continue;
            }
            let (single_start, joined_start) = (si as u8, ji as u8);
            candidates.push(if swapped {
                Candidate {
                    similarity,
                    query_start: joined_start,
                    query_len: 2,
                    listed_start: single_start,
                    listed_len: 1,
                }
            } else {
                Candidate {
                    similarity,
                    query_start: single_start,
                    query_len: 1,
                    listed_start: joined_start,
                    listed_len: 2,
                }
            });
        }
    }
}

/// The order penalty of well-agreeing pairs: none when they keep their order or are
/// rotated ("Last First" for "First Last"), [`ORDER_PENALTY_FIRST_KEPT`] when the first
/// words pair with each other and only later words move, else [`ORDER_PENALTY`]. Needs
/// three pairs to say anything.
fn order_factor(pairs: &mut [(u8, u8)]) -> f32 {
    if pairs.len() < 3 {
        return 1.0;
    }
    pairs.sort_unstable();
    let descents = pairs.windows(2).filter(|w| w[1].1 < w[0].1).count();
    let rotated = descents == 1 && pairs.last().map(|p| p.1) < pairs.first().map(|p| p.1);
    if descents == 0 || rotated {
        return 1.0;
    }
    let first_listed = pairs.iter().map(|p| p.1).min();
    if pairs.first().map(|p| p.1) == first_listed {
        ORDER_PENALTY_FIRST_KEPT
    } else {
        ORDER_PENALTY
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn outcome(a: &str, b: &str, profile: Profile) -> (NameOutcome, Vec<PairTrace>) {
        let (a, b) = (normalize(a, profile), normalize(b, profile));
        let weights = |n: &NormalizedName| n.tokens.iter().map(|t| t.weight).collect::<Vec<_>>();
        let (wa, wb) = (weights(&a), weights(&b));
        let mut trace = Vec::new();
        let result = compare(
            WeightedName {
                name: &a,
                weights: &wa,
            },
            WeightedName {
                name: &b,
                weights: &wb,
            },
            profile,
            Some(&mut trace),
        );
        (result, trace)
    }

    fn score(a: &str, b: &str) -> f32 {
        outcome(a, b, Profile::Person).0.score
    }

    #[test]
    fn alignment_ignores_order_and_rotation_is_not_penalised() {
        assert!(
            (score("Lavrov Sergey Viktorovich", "Sergey Viktorovich Lavrov") - 1.0).abs() < 1e-6
        );
        let (swapped, _) = outcome(
            "Salman bin Muhammad al-Rawi",
            "Muhammad bin Salman al-Rawi",
            Profile::Person,
        );
        assert!(swapped.out_of_order);
        assert!(swapped.score < swapped.alignment_score);
    }

    #[test]
    fn joined_tokens_align_with_two() {
        let (result, trace) = outcome("Abdulrahman Khalil", "Abdul Rahman Khalil", Profile::Person);
        assert!(result.score > 0.95, "{result:?}");
        let (joined, _) = outcome(
            "Mohammadhasni Zarkari",
            "Mohammad Hasni Zarkari",
            Profile::Person,
        );
        assert!(joined.score > 0.9, "{joined:?}");
        assert!(trace.iter().all(|p| p.credit > 0.9));
    }

    #[test]
    fn initials_fit_at_reduced_weight_and_clash_otherwise() {
        let fitting = score("W. Frost", "William Frost");
        let clashing = score("G. Frost", "William Frost");
        assert!(fitting > 0.8 && clashing < fitting, "{fitting} {clashing}");
    }

    #[test]
    fn an_extra_token_costs_less_than_a_conflicting_one() {
        let extra = score("Anjem Choudary", "Anjem Iftikhar Choudary");
        let conflict = score("Anjem Mahmood Choudary", "Anjem Iftikhar Choudary");
        assert!(extra > 0.8 && conflict < 0.7, "{extra} {conflict}");
    }

    #[test]
    fn typos_keep_most_credit_different_names_none() {
        assert!(score("Vladimir Pudin", "Vladimir Putin") > 0.7);
        assert!(score("Olaf Schloz", "Olaf Scholz") > 0.8);
        assert!(score("Hugo Chacon", "Hugo Chavez") < 0.7);
    }

    #[test]
    fn one_typo_costs_little_even_in_short_words() {
        assert!(score("Ri Wpn Ho", "Ri Won Ho") > 0.7);
        assert!(score("Pak Hbn Se", "Pak Han Se") > 0.7);
        assert!(score("Ri Won Ho", "Ri Pak Ho") < 0.7);
        // A typo that keeps a compound from splitting still compares with the whole word.
        assert!(score("Amir Abdumlah", "Amir Abdullah") > 0.8);
        assert!(score("Abeul Haq", "Abdul Haq") > 0.8);
        // Romanised Han syllables one letter apart are different syllables, not typos.
        let token = |text: &str| normalize(text, Profile::Person).tokens.first().cloned();
        let (Some(han), Some(typed), Some(other)) = (token("熊"), token("Xiong"), token("Kiong"))
        else {
            panic!("tokens");
        };
        assert!(token_similarity(&han, &other) < token_similarity(&typed, &other));
    }

    #[test]
    fn arabic_script_compares_by_consonants_and_long_vowels() {
        assert!(score("محمود عباس", "Mahmoud Abbas") > 0.9);
        let mahmud = normalize("محمود", Profile::Person);
        let mohamed = normalize("Mohamed", Profile::Person);
        let mahmoud = normalize("Mahmoud", Profile::Person);
        let (Some(arabic), Some(wrong), Some(right)) = (
            mahmud.tokens.first(),
            mohamed.tokens.first(),
            mahmoud.tokens.first(),
        ) else {
            panic!("tokens");
        };
        assert!(token_similarity(arabic, right) > token_similarity(arabic, wrong));
    }

    #[test]
    fn upper_bound_never_underestimates() {
        for (a, b) in [
            ("putin", "pudin"),
            ("abdulah", "abdalah"),
            ("x", "yz"),
            ("sholz", "shulze"),
        ] {
            let bound = similarity_upper_bound(a.as_bytes(), b.as_bytes());
            let edit = 1.0 - distance::osa_distance(a, b) as f32 / a.len().max(b.len()) as f32;
            let exact = 0.5 * (edit + distance::jaro_winkler(a, b) as f32);
            assert!(bound + 1e-6 >= exact, "{a} {b}: {bound} < {exact}");
        }
    }
}
