//! Free-text scanning: finds mentions of listed parties inside news, memos, remittance text
//! and trade documents, with byte offsets into the text and an explanation per mention.
//!
//! How: every word of every listed name is normalised (transliterated, folded) into a key,
//! exactly as a document word is; each name yields a few key sequences (as listed, First
//! Last, without middle names, the organisation without its legal form, its head before
//! "of"), and one Aho-Corasick automaton over those sequences (each key encoded as one
//! character, so matches start and end on word boundaries) finds the candidate spans in one
//! pass. A capitalised document word that is no listed key is read as the most similar
//! listed one, by the index's candidate lookup. Each candidate is scored by the screening
//! scorer against the entity's names ([`Index`]): a person's mention as the whole run of
//! name words around it (a listed name inside a longer one is another person's), an
//! organisation's with the legal forms beside it. Overlaps go to the best score.
//!
//! One-token names are where free text goes wrong ("42", "Tango", "Doctor" are aliases):
//! they are reported only with context — the same person named in full elsewhere in the
//! document (a surname, linked, scored lower), a role the list gives the person before it
//! (`President Putin`), a legal form beside an organisation's name (`OOO Avisto`), "the"
//! before a word of an organisation's name no other party has (`the Duma`), a vessel word
//! before a vessel's name, or an "a.k.a."/quotes. Names made only of ordinary English words
//! need a legal form, capitals or quotes. Vessel IMO numbers (check digit verified),
//! digital-currency addresses and SWIFT/BIC codes are found wherever they appear.

mod common_words;
mod evaluate;
mod identifiers;
mod text;

use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::ops::Range;
use std::sync::{Arc, RwLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use hashbrown::{DefaultHashBuilder, HashMap, HashSet};
use interdict_model::{Entity, EntityId, Identifier, Schema};
use rayon::prelude::*;
use serde::Serialize;

use crate::lexicon;
use crate::normalize::{Profile, Token, TokenKind, normalize};
use crate::{DEFAULT_THRESHOLD, Explanation, Index, Query, score_pair};

use common_words::is_common_word;
pub use evaluate::{
    EvaluatedDocument, EvaluationItem, Label, ScanEvaluation, Trap, VariantRecall, evaluate,
    split_half,
};
use identifiers::IdentifierIndex;
use text::{Word, WordClass, is_name_like, split_words};

/// A surname alone, when the same document names the person in full: its score is the full
/// mention's times this.
const LINKED_FACTOR: f64 = 0.85;
/// A one-token name made credible by its context (a.k.a., quotes, a vessel word).
const CONTEXT_FACTOR: f64 = 0.85;
/// A surname after a role the list gives the person.
const TITLE_FACTOR: f64 = 0.8;
/// A short form of an organisation's name, relative to the score of the short form itself.
const SHORT_FORM_FACTOR: f64 = 0.85;
/// A one-word short form ("the Duma"), relative to the score of that word.
const SHORT_WORD_FACTOR: f64 = 0.75;
/// A document word is read as a listed word it does not spell exactly at this token
/// similarity or above.
const FUZZY_SIMILARITY: f32 = 0.75;
/// Most entities reported for one span (namesakes).
const MAX_ENTITIES_PER_SPAN: usize = 5;
/// Namesakes at one span are reported when they score this close to the best there.
const NAMESAKE_MARGIN: f64 = 0.1;
/// Most words of a legal form taken into a span at either edge ("S.A. de C.V.").
const MAX_LEGAL_FORM_WORDS: usize = 5;

/// How to scan.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanOptions {
    /// Minimum mention score to report, in [0, 1].
    pub threshold: f64,
    /// Most mentions reported per document (the best, then in text order).
    pub limit: usize,
    /// Only entities on these lists (the list part of the entity id, e.g. `ofac-sdn`);
    /// empty for all lists.
    pub lists: Vec<String>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            threshold: DEFAULT_THRESHOLD,
            limit: 100,
            lists: Vec::new(),
        }
    }
}

/// How a mention was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    /// A name of the entity, in any of its accepted forms.
    Name,
    /// A distinctive short form of an organisation's name ("State Duma").
    ShortForm,
    /// A surname alone, linked to a full mention of the same person in the document.
    LinkedSurname,
    /// A surname after a role the list gives the person ("President Putin").
    TitledSurname,
    /// A one-token name made credible by its context (a.k.a., quotes, a vessel word).
    NameInContext,
    /// A listed identifier: IMO number, digital-currency address, SWIFT/BIC code.
    Identifier,
}

/// Why a mention was reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MentionExplanation {
    /// How it was found.
    pub kind: MentionKind,
    /// What made it count, in words.
    pub detail: String,
    /// The screening scorer's explanation of the mention's text against the listed name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Explanation>,
    /// For a linked surname: the byte span of the full mention it is linked to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linked_to: Option<Range<usize>>,
    /// For an identifier: the listed identifier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Identifier>,
}

/// A listed party found in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    /// Byte offset of the mention in the text (a UTF-8 character boundary).
    pub start: usize,
    /// Byte offset just past the mention.
    pub end: usize,
    /// The text of the mention (`text[start..end]`).
    pub text: String,
    /// The listed entity.
    pub entity_id: EntityId,
    /// The entity's primary name as listed.
    pub listed_name: String,
    /// Score in [0, 1].
    pub score: f64,
    /// Why it was reported.
    pub explanation: MentionExplanation,
}

/// A name form one key sequence stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum PatternKind {
    /// A full name form.
    Name,
    /// An organisation's name up to "of"; the number is the byte length of that head in the
    /// listed name.
    ShortForm(u16),
}

/// One (entity, name) a key sequence stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Target {
    entity: u32,
    /// Index into the entity's `names`.
    name: u32,
    kind: PatternKind,
}

/// What a one-token name is, which decides the context it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SingleKind {
    /// A person's surname: linked to a full mention, or after a listed role.
    Surname,
    /// A name of one token: needs a.k.a., quotes or (vessels) a vessel word.
    OneToken,
    /// An organisation's name without its legal form: needs a legal form beside it.
    Core,
    /// The last word of an organisation's head before "of", on no other entity ("the Duma"
    /// of STATE DUMA OF THE FEDERAL ASSEMBLY ...): needs "the" before it.
    ShortWord,
}

/// What a document word is, as a key into the listed vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum WordRef {
    Key(u32),
    /// Not a listed word, but written like a name and similar to this listed one.
    Similar(u32),
    LegalForm,
    Unknown,
}

/// What a word is, and for a word only similar to listed ones, all of those (best first).
type Reading = (WordRef, Option<Arc<[u32]>>);

/// The normalised words of all listed names.
#[derive(Debug, Default)]
struct Vocabulary {
    /// Listed words as written, lower-cased, to what they are: a lower-case document word
    /// not here is no name word.
    lowercase: HashMap<Box<str>, WordRef>,
    /// Folded spelling to key.
    keys: HashMap<Box<str>, u32>,
    /// Legal forms of several words ("limited liability company", "obshchestvo s
    /// ogranichennoy otvetstvennostyu") by their first word: their words are legal forms
    /// together, though not each alone.
    phrases: HashMap<WordRef, Vec<Vec<WordRef>>>,
}

impl Vocabulary {
    /// The key of a listed word, added if new.
    fn add(&mut self, written: &str) -> WordRef {
        let lower: Box<str> = written.to_lowercase().into();
        if let Some(&known) = self.lowercase.get(&lower) {
            return known;
        }
        let normalized = normalize(written, Profile::Generic);
        let reference = match text::classify_normalized(&normalized) {
            WordClass::Key(folded) => WordRef::Key(self.add_folded(folded)),
            WordClass::LegalForm => WordRef::LegalForm,
            WordClass::Empty => WordRef::Unknown,
        };
        self.lowercase.insert(lower, reference);
        reference
    }

    /// The key of a folded spelling, added if new.
    fn add_folded(&mut self, folded: Box<str>) -> u32 {
        let next = self.keys.len() as u32;
        *self.keys.entry(folded).or_insert(next)
    }

    /// Learns the legal forms of several words.
    fn add_phrases(&mut self) {
        let phrases = lexicon::LEGAL_FORM_PHRASES
            .iter()
            .map(|(words, _)| *words)
            .chain(LEGAL_FORM_TAILS.iter().copied());
        for words in phrases {
            let phrase: Vec<WordRef> = words.iter().map(|w| self.add(w)).collect();
            if let Some(&first) = phrase.first() {
                let known = self.phrases.entry(first).or_default();
                if !known.contains(&phrase) {
                    known.push(phrase);
                    known.sort_by_key(|p| std::cmp::Reverse(p.len()));
                }
            }
        }
    }

    /// Marks the words of multi-word legal forms as legal forms.
    fn mark_phrases(&self, refs: &mut [WordRef]) {
        let mut index = 0;
        while index < refs.len() {
            let matched = refs
                .get(index)
                .and_then(|first| self.phrases.get(first))
                .and_then(|phrases| {
                    phrases
                        .iter()
                        .find(|phrase| {
                            refs.get(index..)
                                .is_some_and(|rest| rest.starts_with(phrase))
                        })
                        .map(Vec::len)
                });
            match matched {
                Some(length) => {
                    for reference in refs.iter_mut().skip(index).take(length) {
                        *reference = WordRef::LegalForm;
                    }
                    index += length;
                }
                None => index += 1,
            }
        }
    }

    /// What a document word is.
    fn lookup(&self, written: &str, index: &Index) -> Reading {
        let plain_lowercase = written
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if plain_lowercase {
            // Lower-case words are only name words when a listed name has them as written.
            let reference = self.lowercase.get(written).copied();
            return (reference.unwrap_or(WordRef::Unknown), None);
        }
        let normalized = normalize(written, Profile::Generic);
        match text::classify_normalized(&normalized) {
            WordClass::LegalForm => (WordRef::LegalForm, None),
            WordClass::Empty => (WordRef::Unknown, None),
            WordClass::Key(folded) => match self.keys.get(&folded) {
                Some(&id) => (WordRef::Key(id), None),
                None => match normalized.tokens.as_slice() {
                    [token]
                        if is_name_like(written)
                            && token.folded.len() >= 4
                            && !is_common_word(written) =>
                    {
                        let similar = self.similar(token, index);
                        match similar.first() {
                            Some(&best) => (WordRef::Similar(best), Some(similar.into())),
                            None => (WordRef::Unknown, None),
                        }
                    }
                    _ => (WordRef::Unknown, None),
                },
            },
        }
    }

    /// The listed keys like `token` (at [`FUZZY_SIMILARITY`]), most similar first, by the
    /// lookup screening uses for candidates.
    fn similar(&self, token: &Token, index: &Index) -> Vec<u32> {
        if token.kind != TokenKind::Word {
            return Vec::new();
        }
        let mut similar: Vec<(f32, u32)> = index
            .similar_listed_tokens(token)
            .into_iter()
            .filter(|&(_, similarity)| similarity >= FUZZY_SIMILARITY)
            .filter_map(|(folded, similarity)| Some((similarity, *self.keys.get(folded)?)))
            .collect();
        similar.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        similar.dedup_by_key(|pair| pair.1);
        similar.into_iter().map(|(_, id)| id).collect()
    }
}

/// Encodes a key as one character of the automaton's alphabet: the UTF-8 encoding makes
/// every match start and end on a whole key.
fn encode(id: u32) -> char {
    let code = 0x100 + id;
    // Skip the surrogates, which are no characters.
    let code = if code >= 0xD800 { code + 0x800 } else { code };
    char::from_u32(code).unwrap_or(UNKNOWN)
}

/// Stands for a word that is in no listed name.
const UNKNOWN: char = '\u{2}';
/// Stands for punctuation no name spans (";", "?", brackets, a paragraph break).
const BREAK: char = '\u{1}';

/// Finds listed parties in free text. Built once per index (`Send + Sync`; share it).
#[derive(Debug)]
pub struct Scanner {
    index: Arc<Index>,
    entities: Vec<Arc<Entity>>,
    positions: HashMap<EntityId, u32>,
    vocabulary: Vocabulary,
    automaton: Option<AhoCorasick>,
    /// Per automaton pattern, the names it stands for.
    targets: Vec<Vec<Target>>,
    /// One-token names by key.
    singles: HashMap<u32, Vec<(u32, u32, SingleKind)>>,
    identifiers: IdentifierIndex,
    /// Per entity, the keys of all its names' words, sorted.
    entity_keys: Vec<Box<[u32]>>,
    /// Capitalised and non-ASCII words already read, shared by all documents and threads.
    word_cache: Vec<RwLock<HashMap<Box<str>, Reading>>>,
    word_cache_hasher: DefaultHashBuilder,
}

/// Shards of the shared word cache (few threads wait on one shard's lock).
const WORD_CACHE_SHARDS: usize = 16;
/// Words a shard holds before it is emptied.
const WORD_CACHE_SHARD_CAPACITY: usize = 20_000;

/// Scores already computed for a text and name form in one document: a long document
/// names the same party many times.
type Memo<'t> = HashMap<(&'t str, u32, PatternKind), Option<(f64, Arc<MentionExplanation>)>>;

/// A candidate mention before overlaps are resolved.
#[derive(Debug, Clone)]
struct Candidate {
    start: usize,
    end: usize,
    entity: u32,
    score: f64,
    /// Shared: a name repeated through a long document is explained once.
    explanation: Arc<MentionExplanation>,
}

impl Scanner {
    /// Builds a scanner over the entities of `index` (their names and identifiers).
    pub fn new(index: Arc<Index>) -> Scanner {
        let entities: Vec<Arc<Entity>> = index.entities().cloned().collect();
        let mut vocabulary = Vocabulary::default();
        vocabulary.add_phrases();
        let mut sequences: HashMap<Vec<u32>, Vec<Target>> = HashMap::new();
        let mut singles: HashMap<u32, Vec<(u32, u32, SingleKind)>> = HashMap::new();
        let mut heads: HashMap<Vec<u32>, HashSet<u32>> = HashMap::new();
        let mut positions = HashMap::with_capacity(entities.len());
        let mut entity_keys: Vec<Box<[u32]>> = Vec::with_capacity(entities.len());
        for (entity_index, entity) in entities.iter().enumerate() {
            let entity_index = entity_index as u32;
            positions.insert(entity.id.clone(), entity_index);
            let mut seen: Vec<&str> = Vec::new();
            let mut own_keys: Vec<u32> = Vec::new();
            for (name_index, name) in entity.names.iter().enumerate() {
                if seen.contains(&name.full.as_str()) {
                    continue;
                }
                seen.push(&name.full);
                let forms = name_forms(&name.full, entity.schema, &mut vocabulary);
                own_keys.extend(
                    forms
                        .sequences
                        .iter()
                        .flat_map(|(keys, _)| keys.iter().copied()),
                );
                own_keys.extend(forms.singles.iter().map(|&(key, _)| key));
                for (keys, kind) in forms.sequences {
                    if let PatternKind::ShortForm(_) = kind {
                        heads.entry(keys.clone()).or_default().insert(entity_index);
                    }
                    let target = Target {
                        entity: entity_index,
                        name: name_index as u32,
                        kind,
                    };
                    let targets = sequences.entry(keys).or_default();
                    if !targets
                        .iter()
                        .any(|t| t.entity == entity_index && t.kind == kind)
                    {
                        targets.push(target);
                    }
                }
                for (key, kind) in forms.singles {
                    let listed = singles.entry(key).or_default();
                    if !listed
                        .iter()
                        .any(|&(e, _, k)| e == entity_index && k == kind)
                    {
                        listed.push((entity_index, name_index as u32, kind));
                    }
                }
            }
            own_keys.sort_unstable();
            own_keys.dedup();
            entity_keys.push(own_keys.into_boxed_slice());
        }
        // A one-word short form only stands for its entity if no other entity has the word.
        let mut holders: HashMap<u32, u32> = HashMap::new();
        for keys in &entity_keys {
            for &key in keys.iter() {
                *holders.entry(key).or_default() += 1;
            }
        }
        for (key, listed) in singles.iter_mut() {
            if holders.get(key).copied().unwrap_or(0) > 1 {
                listed.retain(|t| t.2 != SingleKind::ShortWord);
            }
        }
        singles.retain(|_, listed| !listed.is_empty());
        // A short form is only distinctive if it is no other entity's short form or name.
        for (keys, owners) in &heads {
            let ambiguous = owners.len() > 1
                || sequences.get(keys).is_some_and(|targets| {
                    targets
                        .iter()
                        .any(|t| t.kind == PatternKind::Name && !owners.contains(&t.entity))
                });
            if ambiguous && let Some(targets) = sequences.get_mut(keys) {
                targets.retain(|t| t.kind == PatternKind::Name);
            }
        }
        sequences.retain(|_, targets| !targets.is_empty());
        let mut patterns: Vec<(String, Vec<Target>)> = sequences
            .into_iter()
            .map(|(keys, targets)| (keys.into_iter().map(encode).collect(), targets))
            .collect();
        patterns.sort_by(|a, b| a.0.cmp(&b.0));
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(patterns.iter().map(|(p, _)| p.as_str()))
            .ok()
            .filter(|_| !patterns.is_empty());
        let targets = patterns.into_iter().map(|(_, t)| t).collect();
        let identifiers = IdentifierIndex::build(&entities);
        Scanner {
            index,
            entities,
            positions,
            vocabulary,
            automaton,
            targets,
            singles,
            identifiers,
            entity_keys,
            word_cache: (0..WORD_CACHE_SHARDS)
                .map(|_| RwLock::new(HashMap::new()))
                .collect(),
            word_cache_hasher: DefaultHashBuilder::default(),
        }
    }

    /// The index the scanner scores with.
    pub fn index(&self) -> &Arc<Index> {
        &self.index
    }

    /// The entity with this id, if indexed.
    pub fn entity(&self, id: &EntityId) -> Option<&Arc<Entity>> {
        self.positions
            .get(id)
            .and_then(|&i| self.entities.get(i as usize))
    }

    /// Scans many documents in parallel; results in document order.
    pub fn scan_batch<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
        options: &ScanOptions,
    ) -> Vec<Vec<Mention>> {
        texts
            .par_iter()
            .map(|text| self.scan(text.as_ref(), options))
            .collect()
    }

    /// Finds the listed parties in `text`: mentions at or above `options.threshold`, in text
    /// order, at most `options.limit` (the best).
    ///
    /// A long text is scanned in sections of about [`SECTION_BYTES`], cut at line or
    /// sentence ends, in parallel: work and memory stay proportional to the section, and a
    /// surname is linked to a full mention in the same section.
    pub fn scan(&self, text: &str, options: &ScanOptions) -> Vec<Mention> {
        if text.len() <= SECTION_BYTES {
            return self.scan_section(text, options);
        }
        let sections = sections(text);
        let mut mentions: Vec<Mention> = sections
            .par_iter()
            .flat_map_iter(|&(start, end)| {
                let mut found = text
                    .get(start..end)
                    .map(|section| self.scan_section(section, options))
                    .unwrap_or_default();
                for mention in &mut found {
                    mention.start += start;
                    mention.end += start;
                    if let Some(linked) = &mut mention.explanation.linked_to {
                        *linked = linked.start + start..linked.end + start;
                    }
                }
                found
            })
            .collect();
        if mentions.len() > options.limit {
            mentions.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.start.cmp(&b.start)));
            mentions.truncate(options.limit);
            mentions.sort_by(|a, b| {
                (a.start, a.end, &a.entity_id).cmp(&(b.start, b.end, &b.entity_id))
            });
        }
        mentions
    }

    /// [`Scanner::scan`] of one section.
    fn scan_section(&self, text: &str, options: &ScanOptions) -> Vec<Mention> {
        let words = split_words(text);
        let refs = self.word_refs(text, &words);
        let mut candidates = self.name_candidates(text, &words, &refs);
        let mut accepted = resolve_overlaps(&mut candidates);
        let anchored = self.anchored_candidates(text, &words, &refs, &accepted, options.threshold);
        accepted.extend(anchored);
        accepted.extend(self.single_candidates(text, &words, &refs, &accepted));
        for hit in self.identifiers.find(text, &words, &self.entities) {
            accepted.push(Candidate {
                start: hit.start,
                end: hit.end,
                entity: hit.entity,
                score: 1.0,
                explanation: Arc::new(MentionExplanation {
                    kind: MentionKind::Identifier,
                    detail: hit.detail,
                    name: None,
                    linked_to: None,
                    identifier: Some(hit.identifier),
                }),
            });
        }
        let mut mentions: Vec<Mention> = accepted
            .into_iter()
            .filter(|c| c.score >= options.threshold)
            .filter_map(|c| {
                let entity = self.entities.get(c.entity as usize)?;
                if !options.lists.is_empty() && !options.lists.iter().any(|l| l == entity.id.list())
                {
                    return None;
                }
                Some(Mention {
                    start: c.start,
                    end: c.end,
                    text: text.get(c.start..c.end)?.to_owned(),
                    entity_id: entity.id.clone(),
                    listed_name: entity.name.clone(),
                    score: c.score,
                    explanation: Arc::unwrap_or_clone(c.explanation),
                })
            })
            .collect();
        // The same entity found twice at one span (a name and its identifier) once.
        mentions.sort_by(|a, b| {
            (a.start, a.end, &a.entity_id)
                .cmp(&(b.start, b.end, &b.entity_id))
                .then(b.score.total_cmp(&a.score))
        });
        mentions
            .dedup_by(|b, a| a.start == b.start && a.end == b.end && a.entity_id == b.entity_id);
        if mentions.len() > options.limit {
            mentions.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.start.cmp(&b.start)));
            mentions.truncate(options.limit);
            mentions.sort_by(|a, b| {
                (a.start, a.end, &a.entity_id).cmp(&(b.start, b.end, &b.entity_id))
            });
        }
        mentions
    }

    /// What a word is, through the cache shared by all documents: the capitalised words of
    /// news (days, places, agencies) recur from one document to the next, and reading one
    /// that is no listed word looks for similar listed words.
    fn shared_lookup(&self, written: &str) -> Reading {
        if written
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return self.vocabulary.lookup(written, &self.index);
        }
        let hash = self.word_cache_hasher.hash_one(written);
        let Some(shard) = self.word_cache.get(hash as usize % WORD_CACHE_SHARDS) else {
            return self.vocabulary.lookup(written, &self.index);
        };
        if let Ok(known) = shard.read()
            && let Some(reading) = known.get(written)
        {
            return reading.clone();
        }
        let reading = self.vocabulary.lookup(written, &self.index);
        if let Ok(mut known) = shard.write() {
            // A full shard starts over rather than grow without bound on endless text.
            if known.len() >= WORD_CACHE_SHARD_CAPACITY {
                known.clear();
            }
            known.insert(written.into(), reading.clone());
        }
        reading
    }

    /// What each word is, each distinct spelling looked up once.
    fn word_refs(&self, text: &str, words: &[Word]) -> Vec<WordRef> {
        let mut cache: HashMap<&str, WordRef> = HashMap::new();
        let mut refs = words
            .iter()
            .map(|word| {
                let written = text.get(word.start..word.end).unwrap_or("");
                // Lower-case words are one lookup in the listed words as written.
                if written
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                {
                    return self.vocabulary.lookup(written, &self.index).0;
                }
                *cache
                    .entry(written)
                    .or_insert_with(|| self.shared_lookup(written).0)
            })
            .collect::<Vec<_>>();
        self.vocabulary.mark_phrases(&mut refs);
        refs
    }

    /// Multi-token name candidates: automaton matches, confirmed by the scorer.
    fn name_candidates(&self, text: &str, words: &[Word], refs: &[WordRef]) -> Vec<Candidate> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        // The document as keys, legal forms left out, with the word behind each character.
        let mut stream = String::with_capacity(words.len() * 2);
        let mut stream_words: Vec<u32> = Vec::with_capacity(words.len());
        let mut char_starts: Vec<u32> = Vec::with_capacity(words.len());
        let mut previous_end = 0usize;
        for (index, (word, reference)) in words.iter().zip(refs).enumerate() {
            let gap = text.get(previous_end..word.start).unwrap_or("");
            previous_end = word.end;
            if index > 0 && breaks_names(gap) {
                char_starts.push(stream.len() as u32);
                stream_words.push(u32::MAX);
                stream.push(BREAK);
            }
            let symbol = match reference {
                WordRef::Key(id) | WordRef::Similar(id) => encode(*id),
                WordRef::LegalForm => continue,
                WordRef::Unknown => UNKNOWN,
            };
            char_starts.push(stream.len() as u32);
            stream_words.push(index as u32);
            stream.push(symbol);
        }
        // The word behind the stream character starting at or containing `byte`.
        let word_at = |char_index: usize| -> Option<usize> {
            stream_words
                .get(char_index)
                .filter(|&&w| w != u32::MAX)
                .map(|&w| w as usize)
        };
        let char_index = |byte: usize| char_starts.partition_point(|&s| (s as usize) < byte);
        let mut memo: Memo<'_> = HashMap::new();
        let mut seen: HashSet<(usize, usize, u32)> = HashSet::new();
        let mut candidates = Vec::new();
        for found in automaton.find_overlapping_iter(&stream) {
            let first_char = char_index(found.start());
            let last_char = char_index(found.end()).saturating_sub(1);
            let (Some(first), Some(last)) = (word_at(first_char), word_at(last_char)) else {
                continue;
            };
            let (Some(first_word), Some(last_word)) = (words.get(first), words.get(last)) else {
                continue;
            };
            // Names are written as names: a span of lower-case prose words is no mention,
            // and a lower-case word inside one is a particle ("de", "al", "bin", "van"),
            // not a verb ("Jan said").
            let span_words = words.get(first..=last).unwrap_or_default();
            let written = |w: &Word| text.get(w.start..w.end).unwrap_or("");
            let name_like = span_words.iter().any(|w| is_name_like(written(w)));
            let prose = span_words.iter().any(|w| {
                let word = written(w);
                word.chars().next().is_some_and(char::is_lowercase) && word.chars().count() > 3
            });
            if !name_like || prose {
                continue;
            }
            // A common name stands for many people: keep the best few per span, so that a
            // document of nothing but that name stays small.
            let mut at_span: Vec<Candidate> = Vec::new();
            for target in self
                .targets
                .get(found.pattern().as_usize())
                .into_iter()
                .flatten()
            {
                if !seen.insert((first_word.start, last_word.end, target.entity)) {
                    continue;
                }
                let candidate =
                    self.confirm(text, words, refs, first..last + 1, *target, &mut memo);
                at_span.extend(candidate);
            }
            if at_span.len() > MAX_ENTITIES_PER_SPAN {
                at_span.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entity.cmp(&b.entity)));
                at_span.truncate(MAX_ENTITIES_PER_SPAN);
            }
            candidates.extend(at_span);
        }
        candidates
    }

    /// Scores a candidate span for one target name.
    fn confirm<'t>(
        &self,
        text: &'t str,
        words: &[Word],
        refs: &[WordRef],
        span: Range<usize>,
        target: Target,
        memo: &mut Memo<'t>,
    ) -> Option<Candidate> {
        let entity = self.entities.get(target.entity as usize)?;
        let (start, end) = if is_person(entity.schema) {
            // The whole run of name words: a listed name inside a longer one ("Omar
            // Claudio Sánchez Dueñas") is another person's, and the run is what is scored.
            let run = name_run(text, words, refs, span.clone());
            (words.get(run.start)?.start, words.get(run.end - 1)?.end)
        } else if span.len() <= 2 {
            // A short name inside a longer run of name words is a word of another name
            // ("al-Khayyat" in "Abdulmajid Naim al-Khayyat"): the run is scored.
            with_legal_forms(text, words, refs, name_run(text, words, refs, span.clone()))
        } else {
            with_legal_forms(text, words, refs, span.clone())
        };
        let written = text.get(start..end)?;
        // An organisation or vessel named only in ordinary words ("New City") needs the
        // legal form it is listed with beside it to be told from prose.
        if !is_person(entity.schema)
            && (start, end) == (words.get(span.start)?.start, words.get(span.end - 1)?.end)
        {
            let ordinary = words
                .get(span.clone())?
                .iter()
                .filter_map(|w| text.get(w.start..w.end))
                .all(is_common_word);
            let marked = is_quoted(text, start, end) || !written.chars().any(char::is_lowercase);
            if ordinary && !marked {
                return None;
            }
        }
        let (score, explanation) = memo
            .entry((written, target.entity, target.kind))
            .or_insert_with(|| {
                self.score_form(entity, written, target)
                    .map(|(score, explanation)| (score, Arc::new(explanation)))
            })
            .clone()?;
        Some(Candidate {
            start,
            end,
            entity: target.entity,
            score,
            explanation,
        })
    }

    /// The score and explanation of `written` as the name form `target` stands for.
    fn score_form(
        &self,
        entity: &Entity,
        written: &str,
        target: Target,
    ) -> Option<(f64, MentionExplanation)> {
        match target.kind {
            PatternKind::Name => {
                let query = Query {
                    schema: Some(entity.schema),
                    ..Query::name(written)
                };
                let found = self
                    .index
                    .score_entity_at(&query, target.entity as usize, 0.0)?;
                Some((
                    found.score,
                    MentionExplanation {
                        kind: MentionKind::Name,
                        detail: format!("the name {:?} as written", found.matched_name),
                        name: Some(found.explanation),
                        linked_to: None,
                        identifier: None,
                    },
                ))
            }
            PatternKind::ShortForm(head_length) => {
                let name = entity.names.get(target.name as usize)?;
                let head = name.full.get(..usize::from(head_length))?;
                let (score, explanation) = score_pair(written, head, Some(entity.schema));
                Some((
                    score * SHORT_FORM_FACTOR,
                    MentionExplanation {
                        kind: MentionKind::ShortForm,
                        detail: format!("{head:?}, the distinctive short form of {:?}", name.full),
                        name: Some(explanation),
                        linked_to: None,
                        identifier: None,
                    },
                ))
            }
        }
    }

    /// People the automaton cannot see because a word is spelt otherwise than any listed
    /// word and was read as another ("Juriy Chechikhin" for CHECHIKHIN, Yuriy): in a run of
    /// up to five name words around such a word and beside a listed surname, each person
    /// listed with that surname and a word like the odd one is scored against the run, and
    /// a score at the threshold that explains every word of the run is a mention.
    fn anchored_candidates(
        &self,
        text: &str,
        words: &[Word],
        refs: &[WordRef],
        accepted: &[Candidate],
        threshold: f64,
    ) -> Vec<Candidate> {
        let mut found: Vec<Candidate> = Vec::new();
        let mut screened: HashSet<(usize, usize)> = HashSet::new();
        let spans = disjoint_spans(accepted);
        let name_word = |index: usize| {
            words.get(index).is_some_and(|word| {
                !covers(&spans, word)
                    && matches!(
                        refs.get(index),
                        Some(WordRef::Key(_) | WordRef::Similar(_) | WordRef::Unknown)
                    )
                    && text
                        .get(word.start..word.end)
                        .is_some_and(|written| is_name_like(written) && !is_run_stop_word(written))
            })
        };
        let joined = |left: usize, right: usize| {
            name_word(left)
                && name_word(right)
                && matches!(
                    (words.get(left), words.get(right)),
                    (Some(a), Some(b)) if matches!(text.get(a.end..b.start), Some(" " | "-"))
                )
        };
        for (index, word) in words.iter().enumerate() {
            if refs
                .get(index)
                .is_none_or(|r| !matches!(r, WordRef::Similar(_)))
            {
                continue;
            }
            let after_last_found = found.last().is_none_or(|last| last.end <= word.start);
            if !name_word(index) || !after_last_found {
                continue;
            }
            let floor = found.last().map_or(0, |last| last.end);
            let mut first = index;
            while first > 0
                && index - first < 2
                && words.get(first - 1).is_some_and(|w| w.start >= floor)
                && joined(first - 1, first)
            {
                first -= 1;
            }
            let mut last = index;
            while last - index < 2 && joined(last, last + 1) {
                last += 1;
            }
            // A run longer than five name words is a longer name than any looked at here.
            let hyphen_after = matches!(
                (words.get(last), words.get(last + 1)),
                (Some(a), Some(b)) if text.get(a.end..b.start) == Some("-")
            );
            let longer = (first > 0 && index - first == 2 && joined(first - 1, first))
                || (last - index == 2 && joined(last, last + 1))
                || hyphen_after;
            if first == last || longer {
                continue;
            }
            // The people listed with a surname in the run and a name word like the odd one.
            let surnamed: Vec<u32> = (first..=last)
                .filter(|&i| i != index)
                .filter_map(|i| match refs.get(i) {
                    Some(WordRef::Key(key)) => self.singles.get(key),
                    _ => None,
                })
                .flatten()
                .filter(|t| t.2 == SingleKind::Surname)
                .map(|t| t.0)
                .collect();
            if surnamed.is_empty() {
                continue;
            }
            let written = text.get(word.start..word.end).unwrap_or("");
            let similar = self.shared_lookup(written).1.unwrap_or_default();
            let mut people: Vec<u32> = surnamed
                .into_iter()
                .filter(|&entity| {
                    self.entity_keys
                        .get(entity as usize)
                        .is_some_and(|keys| similar.iter().any(|k| keys.binary_search(k).is_ok()))
                })
                .collect();
            people.sort_unstable();
            people.dedup();
            if people.is_empty() {
                continue;
            }
            // The whole run: a name inside a longer one is another person's.
            let windows = [(first, last)];
            for (from, to) in windows {
                if from == to {
                    continue;
                }
                let (Some(start), Some(end)) = (words.get(from), words.get(to)) else {
                    continue;
                };
                let span = (start.start, end.end);
                if !screened.insert(span) {
                    continue;
                }
                let Some(window) = text.get(span.0..span.1) else {
                    continue;
                };
                let query = Query {
                    schema: Some(Schema::Person),
                    ..Query::name(window)
                };
                let mut any = false;
                for &entity in &people {
                    let Some(found_match) =
                        self.index
                            .score_entity_at(&query, entity as usize, threshold)
                    else {
                        continue;
                    };
                    // Every word of the window must be part of the name: a listed first name
                    // followed by an unlisted surname is another person.
                    if found_match
                        .explanation
                        .tokens
                        .iter()
                        .any(|t| t.query.is_some() && t.matched.is_none())
                    {
                        continue;
                    }
                    any = true;
                    found.push(Candidate {
                        start: span.0,
                        end: span.1,
                        entity,
                        score: found_match.score,
                        explanation: Arc::new(MentionExplanation {
                            kind: MentionKind::Name,
                            detail: format!(
                                "the name {:?}, with {written:?} read as a spelling of a listed word",
                                found_match.matched_name,
                            ),
                            name: Some(found_match.explanation),
                            linked_to: None,
                            identifier: None,
                        }),
                    });
                }
                if any {
                    break;
                }
            }
        }
        found
    }

    /// One-token names, with the context each needs.
    fn single_candidates(
        &self,
        text: &str,
        words: &[Word],
        refs: &[WordRef],
        accepted: &[Candidate],
    ) -> Vec<Candidate> {
        // The best full mention of each entity, for linking.
        let mut full: HashMap<u32, &Candidate> = HashMap::new();
        for candidate in accepted {
            let best = full.entry(candidate.entity).or_insert(candidate);
            if candidate.score > best.score {
                *best = candidate;
            }
        }
        let spans = disjoint_spans(accepted);
        let covered = |word: &Word| covers(&spans, word);
        let mut memo: Memo<'_> = HashMap::new();
        let mut found = Vec::new();
        for (index, (word, reference)) in words.iter().zip(refs).enumerate() {
            let (WordRef::Key(key) | WordRef::Similar(key)) = reference else {
                continue;
            };
            let Some(listed) = self.singles.get(key) else {
                continue;
            };
            let written = text.get(word.start..word.end).unwrap_or("");
            if !is_name_like(written) || covered(word) {
                continue;
            }
            let mut at_word: Vec<Candidate> = Vec::new();
            for &(entity_index, name_index, kind) in listed {
                let Some(entity) = self.entities.get(entity_index as usize) else {
                    continue;
                };
                let Some(name) = entity.names.get(name_index as usize) else {
                    continue;
                };
                let candidate = match kind {
                    SingleKind::Surname => {
                        if let Some(linked) = full.get(&entity_index) {
                            let (score, explanation) =
                                score_pair(written, surname_of(&name.full), Some(entity.schema));
                            Some(Candidate {
                                start: word.start,
                                end: word.end,
                                entity: entity_index,
                                score: score.min(linked.score) * LINKED_FACTOR,
                                explanation: Arc::new(MentionExplanation {
                                    kind: MentionKind::LinkedSurname,
                                    detail: format!(
                                        "the surname of {:?}, named in full at bytes {}..{}",
                                        name.full, linked.start, linked.end
                                    ),
                                    name: Some(explanation),
                                    linked_to: Some(linked.start..linked.end),
                                    identifier: None,
                                }),
                            })
                        } else if let Some(role) = listed_role_before(text, words, index, entity) {
                            let (score, explanation) =
                                score_pair(written, surname_of(&name.full), Some(entity.schema));
                            let role_start = words.get(role).map_or(word.start, |w| w.start);
                            Some(Candidate {
                                start: role_start,
                                end: word.end,
                                entity: entity_index,
                                score: score * TITLE_FACTOR,
                                explanation: Arc::new(MentionExplanation {
                                    kind: MentionKind::TitledSurname,
                                    detail: format!(
                                        "the surname of {:?} after a role the list gives them",
                                        name.full
                                    ),
                                    name: Some(explanation),
                                    linked_to: None,
                                    identifier: None,
                                }),
                            })
                        } else {
                            None
                        }
                    }
                    SingleKind::Core => {
                        let (start, end) = with_legal_forms(text, words, refs, index..index + 1);
                        if (start, end) == (word.start, word.end) {
                            None
                        } else {
                            self.confirm(
                                text,
                                words,
                                refs,
                                index..index + 1,
                                Target {
                                    entity: entity_index,
                                    name: name_index,
                                    kind: PatternKind::Name,
                                },
                                &mut memo,
                            )
                            .map(|mut c| {
                                Arc::make_mut(&mut c.explanation).detail =
                                    format!("the name {:?} with a legal form beside it", name.full);
                                c
                            })
                        }
                    }
                    SingleKind::ShortWord => {
                        let after_the = index
                            .checked_sub(1)
                            .and_then(|i| words.get(i))
                            .is_some_and(|previous| {
                                text.get(previous.end..word.start) == Some(" ")
                                    && text
                                        .get(previous.start..previous.end)
                                        .is_some_and(|w| w.eq_ignore_ascii_case("the"))
                            });
                        let listed_word = head_word(&name.full).unwrap_or(&name.full);
                        after_the.then(|| {
                            let (score, explanation) =
                                score_pair(written, listed_word, Some(entity.schema));
                            Candidate {
                                start: word.start,
                                end: word.end,
                                entity: entity_index,
                                score: score * SHORT_WORD_FACTOR,
                                explanation: Arc::new(MentionExplanation {
                                    kind: MentionKind::ShortForm,
                                    detail: format!(
                                        "\"the {listed_word}\", a word of {:?} no other listed party has",
                                        name.full
                                    ),
                                    name: Some(explanation),
                                    linked_to: None,
                                    identifier: None,
                                }),
                            }
                        })
                    }
                    SingleKind::OneToken => None,
                };
                let candidate = candidate.or_else(|| {
                    let context = one_token_context(text, words, index, entity.schema)?;
                    let (score, explanation) = score_pair(written, &name.full, Some(entity.schema));
                    Some(Candidate {
                        start: word.start,
                        end: word.end,
                        entity: entity_index,
                        score: score * CONTEXT_FACTOR,
                        explanation: Arc::new(MentionExplanation {
                            kind: MentionKind::NameInContext,
                            detail: format!("the one-word name {:?} {context}", name.full),
                            name: Some(explanation),
                            linked_to: None,
                            identifier: None,
                        }),
                    })
                });
                at_word.extend(candidate);
            }
            at_word.sort_by(|a, b| b.score.total_cmp(&a.score));
            at_word.dedup_by_key(|c| c.entity);
            at_word.truncate(MAX_ENTITIES_PER_SPAN);
            found.extend(at_word);
        }
        found
    }
}

/// Sections a long text is scanned in, as byte ranges: about this long, cut after a line
/// end, else a sentence end, else a space.
const SECTION_BYTES: usize = 256 * 1024;

/// The sections of `text` (see [`SECTION_BYTES`]).
fn sections(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(text.len() / SECTION_BYTES + 1);
    let mut start = 0;
    while start < text.len() {
        let mut end = (start + SECTION_BYTES).min(text.len());
        if end < text.len() {
            // Cut in the second half of the section, where a cut is found.
            let window = text.get(start + SECTION_BYTES / 2..end).unwrap_or("");
            let base = start + SECTION_BYTES / 2;
            let cut = window
                .rfind('\n')
                .or_else(|| window.rfind(". ").map(|i| i + 1))
                .or_else(|| window.rfind(' '));
            end = match cut {
                Some(at) => base + at + 1,
                None => {
                    // No space in 128 KB: any character boundary.
                    let mut at = end;
                    while at > start && !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    at
                }
            };
        }
        if end <= start {
            break;
        }
        out.push((start, end));
        start = end;
    }
    out
}

/// Whether the text between two words ends any name ("; ", "? ", brackets, a blank line).
fn breaks_names(gap: &str) -> bool {
    gap.len() > 8
        || gap.contains("\n\n")
        || gap.chars().any(|c| {
            matches!(
                c,
                ';' | '!' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '<' | '>' | '|' | ':'
            )
        })
}

fn is_person(schema: Schema) -> bool {
    schema == Schema::Person
}

/// Legal forms of several short words that the normaliser reads as words ("S.A. de C.V.",
/// "S. de R.L."), taken into a mention's span at its edges.
const LEGAL_FORM_TAILS: &[&[&str]] = &[
    &["sa", "de", "cv"],
    &["s", "a", "de", "c", "v"],
    &["sab", "de", "cv"],
    &["sapi", "de", "cv"],
    &["s", "de", "rl", "de", "cv"],
    &["s", "de", "r", "l", "de", "c", "v"],
    &["s", "de", "rl"],
    &["s", "de", "r", "l"],
    &["s", "a"],
    &["s", "r", "l"],
    &["s", "l"],
    &["l", "l", "c"],
    &["p", "l", "c"],
    &["co", "ltd"],
];

/// Whether a word is a short legal form that is also an ordinary word or abbreviation
/// ("Co", "SA", "AG"): taken into a span at its edges when written as a name.
fn is_ambiguous_legal_form(written: &str) -> bool {
    is_name_like(written)
        && lexicon::LEGAL_FORM_WORDS
            .iter()
            .any(|(word, _, ambiguous)| *ambiguous && word.eq_ignore_ascii_case(written))
}

/// The span of words `span`, widened over legal forms written right before or after it
/// ("OOO Avisto", "Asesores Turisticos SA de CV", "Papa Petroleum Co., Ltd.").
fn with_legal_forms(
    text: &str,
    words: &[Word],
    refs: &[WordRef],
    span: Range<usize>,
) -> (usize, usize) {
    let start = words.get(span.start).map_or(0, |w| w.start);
    let end = words
        .get(span.end.saturating_sub(1))
        .map_or(start, |w| w.end);
    let is_form = |index: usize| {
        refs.get(index) == Some(&WordRef::LegalForm)
            || words
                .get(index)
                .and_then(|w| text.get(w.start..w.end))
                .is_some_and(is_ambiguous_legal_form)
    };
    // Only spaces and the punctuation of legal forms between the words.
    let separated = |from: usize, to: usize| {
        text.get(from..to).is_some_and(|gap| {
            gap.len() <= 3 && gap.chars().all(|c| matches!(c, ' ' | ',' | '.' | '&'))
        })
    };
    let mut widened_end = end;
    let mut next = span.end;
    while next < span.end + MAX_LEGAL_FORM_WORDS
        && is_form(next)
        && let Some(word) = words.get(next)
        && separated(widened_end, word.start)
    {
        widened_end = word.end;
        next += 1;
    }
    // A final full stop that belongs to the form ("Ltd.").
    if widened_end > end && text.get(widened_end..widened_end + 1) == Some(".") {
        widened_end += 1;
    }
    let mut widened_start = start;
    let mut previous = span.start;
    while previous > 0
        && span.start - previous < MAX_LEGAL_FORM_WORDS
        && is_form(previous - 1)
        && let Some(word) = words.get(previous - 1)
        && separated(word.end, widened_start)
    {
        widened_start = word.start;
        previous -= 1;
    }
    (widened_start, widened_end)
}

/// Most words a person's mention is widened by on either side to the whole name.
const MAX_RUN_WIDENING: usize = 3;

/// The words `span`, widened over the name words written right before and after it
/// (capitalised listed words, joined by a space or hyphen, not a role or function word).
fn name_run(text: &str, words: &[Word], refs: &[WordRef], span: Range<usize>) -> Range<usize> {
    // Words that could be names by the lists (listed words or like one), capitalised in a
    // script with case: an unlisted word ("Verteidigungsminister") or a caseless script
    // says nothing about where a name ends.
    let name_word = |index: usize| {
        words.get(index).is_some_and(|word| {
            matches!(refs.get(index), Some(WordRef::Key(_) | WordRef::Similar(_)))
                && text.get(word.start..word.end).is_some_and(|written| {
                    written.chars().next().is_some_and(char::is_uppercase)
                        && !is_run_stop_word(written)
                })
        })
    };
    let joined = |left: usize, right: usize| match (words.get(left), words.get(right)) {
        (Some(a), Some(b)) => matches!(text.get(a.end..b.start), Some(" " | "-")),
        _ => false,
    };
    let mut first = span.start;
    while first > 0
        && span.start - first < MAX_RUN_WIDENING
        && name_word(first - 1)
        && joined(first - 1, first)
    {
        first -= 1;
    }
    // A hyphenated continuation is part of the name in any case ("Kim Jong-su").
    let hyphenated = |left: usize, right: usize| match (words.get(left), words.get(right)) {
        (Some(a), Some(b)) => {
            text.get(a.end..b.start) == Some("-")
                && matches!(
                    refs.get(right),
                    Some(WordRef::Key(_) | WordRef::Similar(_) | WordRef::Unknown)
                )
        }
        _ => false,
    };
    let mut end = span.end;
    while end < words.len()
        && end - span.end < MAX_RUN_WIDENING
        && ((name_word(end) && joined(end - 1, end)) || hyphenated(end - 1, end))
    {
        end += 1;
    }
    first..end
}

/// Capitalised words that start sentences or precede names but are no part of them.
const RUN_STOP_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "of",
    "for",
    "by",
    "to",
    "and",
    "or",
    "but",
    "as",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sir",
    "madam",
    "said",
    "says",
    "according",
    "when",
    "while",
    "after",
    "before",
    "since",
    "if",
    "with",
    "from",
    "under",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
    "our",
    "we",
    "he",
    "she",
    "they",
    "it",
    "i",
];

/// Capitalised job titles that stand before names in news ("Treasury Secretary Janet
/// Yellen"), besides the roles lists give ([`ROLES`]).
const JOB_TITLES: &[&str] = &[
    "secretary",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chief",
    "ceo",
    "cfo",
    "head",
    "envoy",
    "official",
    "officer",
    "judge",
    "justice",
    "prosecutor",
    "lawyer",
    "attorney",
    "agent",
    "analyst",
    "economist",
    "manager",
    "founder",
    "owner",
    "executive",
    "vice",
    "professor",
    "prof",
    "captain",
    "capt",
    "lieutenant",
    "lt",
    "major",
    "maj",
    "sergeant",
    "sgt",
    "brigadier",
    "marshal",
    "representative",
    "rep",
    "councillor",
    "councilor",
    "mufti",
    "imam",
    "rabbi",
    "bishop",
    "father",
    "saint",
    "st",
    "president-elect",
];

/// Whether a capitalised word is a role or a function word that a run of name words
/// stops at.
fn is_run_stop_word(written: &str) -> bool {
    // Longer words are none of these; the lists are ASCII, compared without allocating.
    written.len() <= 16
        && (RUN_STOP_WORDS
            .iter()
            .any(|w| w.eq_ignore_ascii_case(written))
            || JOB_TITLES.iter().any(|w| w.eq_ignore_ascii_case(written))
            || ROLES.iter().any(|(w, _)| w.eq_ignore_ascii_case(written)))
}

/// Roles written before a name, with their abbreviations.
const ROLES: &[(&str, &str)] = &[
    ("president", "president"),
    ("pres", "president"),
    ("minister", "minister"),
    ("general", "general"),
    ("gen", "general"),
    ("colonel", "colonel"),
    ("col", "colonel"),
    ("governor", "governor"),
    ("gov", "governor"),
    ("senator", "senator"),
    ("sen", "senator"),
    ("deputy", "deputy"),
    ("chairman", "chairman"),
    ("director", "director"),
    ("ambassador", "ambassador"),
    ("commander", "commander"),
    ("admiral", "admiral"),
    ("adm", "admiral"),
    ("prime", "prime"),
    ("chancellor", "chancellor"),
    ("mayor", "mayor"),
    ("sheikh", "sheikh"),
    ("emir", "emir"),
    ("king", "king"),
    ("leader", "leader"),
];

/// The word index of a role right before word `index` that the list gives the person
/// ("President" for a person listed as "President of the Russian Federation").
fn listed_role_before(text: &str, words: &[Word], index: usize, entity: &Entity) -> Option<usize> {
    if entity.titles.is_empty() {
        return None;
    }
    let previous = words.get(index.checked_sub(1)?)?;
    let gap = text.get(previous.end..words.get(index)?.start)?;
    if gap.len() > 2 || !gap.chars().all(|c| c == ' ' || c == '.') {
        return None;
    }
    let written = text.get(previous.start..previous.end)?;
    if !is_name_like(written) {
        return None;
    }
    let lower = written.to_lowercase();
    let (_, role) = ROLES.iter().find(|(word, _)| *word == lower)?;
    let listed = entity.titles.iter().any(|title| {
        title
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w.eq_ignore_ascii_case(role))
    });
    listed.then_some(index - 1)
}

/// Whether the text at `start..end` is enclosed in quotation marks.
fn is_quoted(text: &str, start: usize, end: usize) -> bool {
    let quote = |c: Option<char>| {
        matches!(
            c,
            Some('"' | '“' | '”' | '«' | '»' | '\'' | '‘' | '’' | '„')
        )
    };
    quote(text.get(..start).and_then(|t| t.chars().next_back()))
        && quote(text.get(end..).and_then(|t| t.chars().next()))
}

/// Words after which a one-word name is an alias or a ship's name.
const ALIAS_CUES: &[&str] = &["aka", "alias", "nicknamed", "dubbed", "codenamed"];
const VESSEL_CUES: &[&str] = &[
    "vessel",
    "tanker",
    "ship",
    "mv",
    "mt",
    "freighter",
    "carrier",
    "yacht",
    "barge",
    "trawler",
];

/// The context that makes word `index` credible as a one-word name, in words, if any:
/// an alias cue or a vessel word (for vessels) right before it, or quotation marks round it.
fn one_token_context(text: &str, words: &[Word], index: usize, schema: Schema) -> Option<String> {
    let word = words.get(index)?;
    // A word of a longer name ("the carrier Amber Fjord") is not that name.
    if let Some(next) = words.get(index + 1)
        && text.get(word.end..next.start) == Some(" ")
        && text.get(next.start..next.end).is_some_and(is_name_like)
    {
        return None;
    }
    let before = text.get(..word.start)?.chars().next_back();
    let after = text.get(word.end..)?.chars().next();
    let quote = |c: Option<char>| matches!(c, Some('"' | '“' | '”' | '«' | '»' | '\'' | '‘' | '’'));
    if quote(before) && quote(after) {
        return Some("in quotation marks".to_owned());
    }
    // The two words before, lower-cased ("a.k.a." is the words a, k, a).
    let previous: Vec<String> = (1..=3)
        .filter_map(|back| index.checked_sub(back).and_then(|i| words.get(i)))
        .filter_map(|w| text.get(w.start..w.end))
        .map(str::to_lowercase)
        .collect();
    let last = previous.first().map(String::as_str).unwrap_or("");
    let aka = previous.len() >= 3
        && previous.iter().take(3).all(|w| w == "a" || w == "k")
        && previous.get(1).map(String::as_str) == Some("k");
    let known_as = last == "as"
        && previous
            .get(1)
            .is_some_and(|w| w == "known" || w == "named" || w == "called");
    if ALIAS_CUES.contains(&last) || aka || known_as {
        return Some(format!("after {last:?}, an alias cue"));
    }
    if schema == Schema::Vessel
        && (VESSEL_CUES.contains(&last)
            || (last == "v" && previous.get(1).is_some_and(|w| w == "m")))
    {
        return Some(format!("after {last:?}, naming a vessel"));
    }
    None
}

/// Keeps the best candidates whose spans do not overlap a better one; candidates for other
/// entities at exactly the same span (namesakes) are kept too, up to a few. The spans kept
/// are disjoint, so each candidate is checked against one kept span only.
fn resolve_overlaps(candidates: &mut [Candidate]) -> Vec<Candidate> {
    candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
            .then(a.entity.cmp(&b.entity))
    });
    // Kept spans by start: end and the entities reported there.
    let mut kept: BTreeMap<usize, (usize, Vec<u32>)> = BTreeMap::new();
    let mut accepted: Vec<Candidate> = Vec::new();
    // The best score kept at each span start (the first kept there, as sorted).
    let mut best: HashMap<usize, f64> = HashMap::new();
    for candidate in candidates.iter() {
        let best_at = |start: usize| best.get(&start).copied().unwrap_or(0.0);
        match kept.range_mut(..candidate.end).next_back() {
            Some((&start, (end, entities))) if *end > candidate.start => {
                let same_span = start == candidate.start && *end == candidate.end;
                if same_span
                    && !entities.contains(&candidate.entity)
                    && entities.len() < MAX_ENTITIES_PER_SPAN
                    && candidate.score >= best_at(start) - NAMESAKE_MARGIN
                {
                    entities.push(candidate.entity);
                    accepted.push(candidate.clone());
                }
            }
            _ => {
                kept.insert(candidate.start, (candidate.end, vec![candidate.entity]));
                best.insert(candidate.start, candidate.score);
                accepted.push(candidate.clone());
            }
        }
    }
    accepted
}

/// The spans of disjoint candidates (as [`resolve_overlaps`] keeps), sorted.
fn disjoint_spans(candidates: &[Candidate]) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = candidates.iter().map(|c| (c.start, c.end)).collect();
    spans.sort_unstable();
    spans.dedup();
    spans
}

/// Whether a word overlaps one of the sorted disjoint `spans`.
fn covers(spans: &[(usize, usize)], word: &Word) -> bool {
    let after = spans.partition_point(|&(start, _)| start < word.end);
    after > 0
        && spans
            .get(after - 1)
            .is_some_and(|&(_, end)| end > word.start)
}

/// The last word before "of" in an organisation's name ("DUMA" in "STATE DUMA OF THE ...").
fn head_word(full: &str) -> Option<&str> {
    let words = split_words(full);
    let of = words.iter().position(|w| {
        full.get(w.start..w.end)
            .is_some_and(|t| t.eq_ignore_ascii_case("of"))
    })?;
    let last = words.get(of.checked_sub(1)?)?;
    full.get(last.start..last.end)
}

/// The surname part of a listed person's name: before the comma of "LAST, First", else the
/// last word.
fn surname_of(full: &str) -> &str {
    match full.split_once(',') {
        Some((surname, _)) => surname.trim(),
        None => full.rsplit(' ').next().unwrap_or(full),
    }
}

/// The key sequences and one-token keys one listed name yields.
#[derive(Debug, Default)]
struct NameForms {
    sequences: Vec<(Vec<u32>, PatternKind)>,
    singles: Vec<(u32, SingleKind)>,
}

impl NameForms {
    fn add(&mut self, keys: Vec<u32>, kind: PatternKind, single: SingleKind) {
        match keys.as_slice() {
            [] => {}
            [key] => {
                if !self.singles.contains(&(*key, single)) {
                    self.singles.push((*key, single));
                }
            }
            _ => {
                if !self.sequences.iter().any(|(k, _)| *k == keys) {
                    self.sequences.push((keys, kind));
                }
            }
        }
    }
}

/// The forms of one listed name.
fn name_forms(full: &str, schema: Schema, vocabulary: &mut Vocabulary) -> NameForms {
    let mut forms = NameForms::default();
    let words = split_words(full);
    let comma = full.find(',');
    let mut refs: Vec<WordRef> = words
        .iter()
        .map(|w| {
            full.get(w.start..w.end)
                .map_or(WordRef::Unknown, |t| vocabulary.add(t))
        })
        .collect();
    vocabulary.mark_phrases(&mut refs);
    let keyed: Vec<(u32, bool)> = words
        .iter()
        .zip(&refs)
        .filter_map(|(w, reference)| match reference {
            WordRef::Key(id) => Some((*id, comma.is_some_and(|c| w.start < c))),
            _ => None,
        })
        .collect();
    let keys: Vec<u32> = keyed.iter().map(|&(k, _)| k).collect();
    if keys.is_empty() {
        return forms;
    }
    if is_person(schema) {
        let surname: Vec<u32> = keyed.iter().filter(|k| k.1).map(|k| k.0).collect();
        let given: Vec<u32> = keyed.iter().filter(|k| !k.1).map(|k| k.0).collect();
        forms.add(keys.clone(), PatternKind::Name, SingleKind::OneToken);
        if !surname.is_empty() && !given.is_empty() {
            let join = |a: &[u32], b: &[u32]| [a, b].concat();
            let first = &given[..1];
            forms.add(
                join(&given, &surname),
                PatternKind::Name,
                SingleKind::OneToken,
            );
            forms.add(
                join(first, &surname),
                PatternKind::Name,
                SingleKind::OneToken,
            );
            forms.add(
                join(&surname, first),
                PatternKind::Name,
                SingleKind::OneToken,
            );
            if surname.len() > 1 {
                forms.add(
                    join(first, &surname[..1]),
                    PatternKind::Name,
                    SingleKind::OneToken,
                );
            }
            for &key in &surname {
                forms.add(vec![key], PatternKind::Name, SingleKind::Surname);
            }
        } else if keys.len() > 1 {
            // No comma: given names first (UN style) or a name in original script.
            let (first, last) = (keys[0], keys[keys.len() - 1]);
            forms.add(vec![first, last], PatternKind::Name, SingleKind::OneToken);
            forms.add(vec![last, first], PatternKind::Name, SingleKind::OneToken);
            forms.add(
                vec![keys[1], keys[0]],
                PatternKind::Name,
                SingleKind::OneToken,
            );
            forms.add(vec![last], PatternKind::Name, SingleKind::Surname);
        }
        return forms;
    }
    let single = if matches!(schema, Schema::Organization | Schema::Unknown) {
        SingleKind::Core
    } else {
        SingleKind::OneToken
    };
    forms.add(keys.clone(), PatternKind::Name, single);
    // The name as the scorer reads it: multi-word legal forms ("limited liability company")
    // and particles are gone.
    let normalized = normalize(full, Profile::Organization);
    let core: Vec<u32> = normalized
        .tokens
        .iter()
        .map(|t| vocabulary.add_folded(t.folded.clone()))
        .collect();
    if core.len() < keys.len() {
        forms.add(core, PatternKind::Name, single);
    }
    // The head before "of" ("State Duma" of "State Duma of the Federal Assembly ...").
    if let Some(of) = words.iter().position(|w| {
        full.get(w.start..w.end)
            .is_some_and(|t| t.eq_ignore_ascii_case("of"))
    }) && of >= 2
        && let Some(head_end) = words.get(of - 1).map(|w| w.end)
        && let Ok(head_length) = u16::try_from(head_end)
    {
        let head: Vec<u32> = words
            .get(..of)
            .into_iter()
            .flatten()
            .filter_map(|w| match vocabulary.add(full.get(w.start..w.end)?) {
                WordRef::Key(id) => Some(id),
                _ => None,
            })
            .collect();
        if head.len() >= 2 && head.len() < keys.len() {
            let last_written = words
                .get(of - 1)
                .and_then(|w| full.get(w.start..w.end))
                .unwrap_or("");
            if let Some(&last) = head.last()
                && last_written.len() >= 4
                && !is_common_word(last_written)
            {
                forms.add(vec![last], PatternKind::Name, SingleKind::ShortWord);
            }
            forms.add(head, PatternKind::ShortForm(head_length), single);
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_model::{IdentifierKind, Name, NameKind};

    fn entity(id: &str, schema: Schema, names: &[&str]) -> Arc<Entity> {
        let mut entity = Entity::new(EntityId::new("test", id), schema, names[0]);
        for alias in &names[1..] {
            entity.add_name(Name::new(*alias, NameKind::StrongAka));
        }
        Arc::new(entity)
    }

    fn scanner(entities: Vec<Arc<Entity>>) -> Scanner {
        Scanner::new(Arc::new(Index::build(entities)))
    }

    #[test]
    fn cuts_long_texts_into_sections_at_line_and_sentence_ends() {
        let text = "Первая строка. ".repeat(40_000) + "\n" + &"x".repeat(300_000);
        let cut = sections(&text);
        assert!(cut.len() > 2);
        assert_eq!(cut.first().map(|c| c.0), Some(0));
        assert_eq!(cut.last().map(|c| c.1), Some(text.len()));
        for pair in cut.windows(2) {
            assert_eq!(pair[0].1, pair[1].0);
        }
        for &(start, end) in &cut {
            assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
            assert!(end - start <= SECTION_BYTES);
        }
        // The first cuts fall after a sentence end.
        assert_eq!(text.get(cut[0].1 - 2..cut[0].1), Some(". "));
    }

    #[test]
    fn a_scanner_is_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Scanner>();
        shared::<Mention>();
    }

    #[test]
    fn encodes_keys_as_distinct_characters() {
        let codes: HashSet<char> = (0..70_000).map(encode).collect();
        assert_eq!(codes.len(), 70_000);
        assert!(!codes.contains(&UNKNOWN) && !codes.contains(&BREAK));
    }

    #[test]
    fn finds_a_person_as_first_last_with_offsets() {
        let scanner = scanner(vec![entity(
            "1",
            Schema::Person,
            &["SHOIGU, Sergei Kuzhugetovich"],
        )]);
        let text = "Minister Sergei Shoigu's visit.";
        let mentions = scanner.scan(text, &ScanOptions::default());
        assert_eq!(mentions.len(), 1, "{mentions:?}");
        assert_eq!(&text[mentions[0].start..mentions[0].end], "Sergei Shoigu");
    }

    #[test]
    fn finds_identifiers() {
        let mut vessel = Entity::new(EntityId::new("test", "v"), Schema::Vessel, "OCEAN STAR");
        vessel.add_identifier(Identifier::new(IdentifierKind::Imo, "9074729"));
        let scanner = scanner(vec![Arc::new(vessel)]);
        let mentions = scanner.scan("The tanker (IMO 9074729) sailed.", &ScanOptions::default());
        assert_eq!(mentions.len(), 1);
        assert_eq!(mentions[0].text, "IMO 9074729");
        assert!(
            scanner
                .scan("The tanker (IMO 9074728) sailed.", &ScanOptions::default())
                .is_empty()
        );
    }
}
