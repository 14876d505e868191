//! The screening index: entities with pre-normalised names, an inverted index from tokens to
//! names, and lookups from consonant skeletons and trigrams to tokens, so that a query only
//! scores names that share some (possibly misspelt) token with it.
//!
//! Candidate generation: every query token is looked up exactly, by skeleton, by one-letter
//! deletions (short tokens, which a typo leaves few trigrams) and by trigram overlap in the
//! vocabulary of listed tokens; each similar listed token adds evidence
//! (credit × weight) to the names containing it, most similar first and, as in the alignment
//! that scores names, each listed token for one query token only; from the evidence and both
//! names' sizes (the query's as the listed name's profile reads it) an estimate of the name
//! score is formed, and every name whose estimate clears a floor (at
//! least a few, at most a cap) is scored in full. The tests check on the UN list and the
//! dev pairs that this loses no match that scoring every entity finds.

use std::borrow::Cow;
use std::cell::RefCell;
use std::hash::BuildHasher;
use std::ops::Range;
use std::sync::{Arc, RwLock};

use hashbrown::{DefaultHashBuilder, Equivalent, HashMap};
use interdict_model::{Entity, NameKind, Schema};
use rayon::prelude::*;

use crate::compare::{NameOutcome, WeightedName, compare, credit, token_similarity};
use crate::explain::{self, Explanation, Feature, FeatureEffect, round};
use crate::features;
use crate::normalize::{NormalizedName, Profile, Token, TokenKind, normalize};
use crate::{Match, Query, ScreenOptions, name_features};

/// Names scored in full per query: all whose score estimate reaches the floor, at least the
/// minimum (best first), at most the maximum.
const CANDIDATE_ESTIMATE_FLOOR: f32 = 0.45;
const MIN_CANDIDATE_NAMES: usize = 8;
const MAX_CANDIDATE_NAMES: usize = 2000;
/// A listed token is a candidate for a query token at this similarity or above.
const CANDIDATE_SIMILARITY: f32 = 0.7;
/// Cost of an unexplained token weight in the candidate score estimate (about the name
/// score's extra-token cost).
const ESTIMATE_EXTRA: f32 = 0.4;
/// Trigram Dice coefficient below which a vocabulary token is not even compared, as a
/// fraction, so that the test is exact in integers.
const TRIGRAM_MIN_DICE: (usize, usize) = (2, 5);
/// Below this many names, token frequencies say nothing and all tokens keep their prior.
const RARITY_MIN_NAMES: usize = 1000;
/// Lowest rarity factor of a token present in very many names.
const RARITY_FLOOR: f32 = 0.4;
/// Lengths of the spellings keyed by one-letter deletions; longer words keep enough
/// trigrams through a typo.
const DELETION_KEY_LENGTHS: std::ops::RangeInclusive<usize> = 3..=6;

/// One listed name, normalised under its entity's profile.
#[derive(Debug)]
struct IndexedName {
    entity: u32,
    /// Index into the entity's `names`.
    source: u32,
    kind: NameKind,
    profile: Profile,
    normalized: NormalizedName,
    weights: Box<[f32]>,
}

/// What ranking a candidate name needs, kept apart from [`IndexedName`] so that ranking the
/// thousands of names a common token touches reads 8 bytes per name, not a whole record.
#[derive(Debug, Clone, Copy)]
struct NameSummary {
    /// Sum of the token weights.
    total_weight: f32,
    /// The entity's schema.
    schema: Schema,
    /// The profile the name was normalised under.
    profile: Profile,
}

/// The distinct folded tokens of all listed names.
#[derive(Debug, Default)]
struct Vocabulary {
    /// By folded spelling and abjad flag: the same letters read from Arabic script compare
    /// differently, so they are a different vocabulary token.
    ids: HashMap<LookupKey, u32>,
    /// A representative token per id (for similarity checks).
    tokens: Vec<Token>,
    /// Names containing each token, ascending, a name repeated as often as it has the token.
    postings: Vec<Vec<u32>>,
    /// Alongside `postings`: where in the name the token stands ([`UNTRACKED_POSITION`] for a
    /// compound, or past the positions tracked).
    positions: Vec<Vec<u8>>,
    by_skeleton: HashMap<Box<str>, Vec<u32>>,
    by_trigram: HashMap<[u8; 3], Vec<u32>>,
    /// Short tokens by the hash of their spelling and of each spelling with one letter
    /// deleted, sorted: one typo changes most trigrams of a short word, but two words one
    /// edit apart share one of these keys. (A hash collision only costs a comparison.)
    by_deletion: Vec<(u64, u32)>,
    /// Trigram count per token.
    trigram_counts: Vec<u16>,
}

/// An immutable screening index over entities. Cheap to share (`Arc<Index>`), `Send + Sync`.
#[derive(Debug)]
pub struct Index {
    entities: Vec<Arc<Entity>>,
    names: Vec<IndexedName>,
    /// One per name, in the same order.
    summaries: Vec<NameSummary>,
    /// Names of entity `i` are `names[entity_names[i]]`.
    entity_names: Vec<Range<u32>>,
    vocabulary: Vocabulary,
    /// The profiles the listed names were normalised under (queries need no other).
    profiles: Vec<Profile>,
    /// Decisive identifier values (normalised) to the entities carrying them.
    identifiers: HashMap<String, Vec<u32>>,
    similar_cache: SimilarCache,
}

/// A query name normalised for one profile, with weights from the index.
struct PreparedName {
    normalized: NormalizedName,
    weights: Vec<f32>,
}

/// The query, normalised under each profile its candidates may need.
struct PreparedQuery<'q> {
    query: &'q Query,
    /// The schema screened as ([`Query::screened_schema`]); `None`: any.
    schema: Option<Schema>,
    person: Option<PreparedName>,
    organization: Option<PreparedName>,
    generic: Option<PreparedName>,
}

impl PreparedQuery<'_> {
    fn for_profile(&self, profile: Profile) -> Option<&PreparedName> {
        match profile {
            Profile::Person => self.person.as_ref(),
            Profile::Organization => self.organization.as_ref(),
            Profile::Generic => self.generic.as_ref(),
        }
    }

    fn all(&self) -> impl Iterator<Item = &PreparedName> {
        [&self.person, &self.organization, &self.generic]
            .into_iter()
            .flatten()
    }
}

/// Per-thread buffers for candidate generation, so a query allocates little.
#[derive(Default)]
struct Scratch {
    /// Per indexed name.
    evidence: Vec<NameEvidence>,
    /// Names with evidence, to rank and reset.
    touched: Vec<u32>,
    trigrams: TrigramScratch,
}

/// The evidence a query has gathered for one name, kept together so that crediting a name
/// touches one place in memory.
#[derive(Debug, Clone, Copy, Default)]
struct NameEvidence {
    /// Sum of the credits.
    found: f32,
    /// The name's token positions already credited (below [`UNTRACKED_POSITION`]).
    positions: u32,
    /// The lookups that already credited the name (the first 63), and [`TOUCHED`].
    lookups: u64,
}

/// Marks a name with evidence in [`NameEvidence::lookups`].
const TOUCHED: u64 = 1 << 63;

/// Token positions from this one on are not tracked: a listed token there may be credited
/// by more than one query token.
const UNTRACKED_POSITION: u8 = 31;

/// A vocabulary token's key: folded spelling and abjad flag.
type LookupKey = (Box<str>, bool);

/// A [`LookupKey`] borrowed from a token, to look up without allocating. Hashes as the
/// tuple does.
#[derive(Hash)]
struct LookupKeyRef<'a>(&'a str, bool);

impl Equivalent<LookupKey> for LookupKeyRef<'_> {
    fn equivalent(&self, key: &LookupKey) -> bool {
        *self.0 == *key.0 && self.1 == key.1
    }
}

impl Vocabulary {
    fn id(&self, folded: &str, abjad: bool) -> Option<u32> {
        self.ids.get(&LookupKeyRef(folded, abjad)).copied()
    }
}

/// A query token as the similar-token cache knows it: everything its similarity to a
/// vocabulary token depends on. Two tokens spelled alike can differ in the rest (typed "jun"
/// and "jun" read from 俊), and an answer cached for one must not be given for the other,
/// or a screening's result would depend on what its thread screened before.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SimilarKey {
    kind: TokenKind,
    initial: u8,
    abjad: bool,
    folded: Box<str>,
    raw: Option<Box<str>>,
    native: Option<Box<str>>,
    alternates: Box<[(Box<str>, Box<str>)]>,
}

/// A [`SimilarKey`] borrowed from a token, to look up without allocating.
#[derive(PartialEq, Hash)]
struct SimilarKeyRef<'a> {
    kind: TokenKind,
    initial: u8,
    abjad: bool,
    folded: &'a str,
    raw: Option<&'a str>,
    native: Option<&'a str>,
    alternates: &'a [(Box<str>, Box<str>)],
}

impl<'a> SimilarKeyRef<'a> {
    fn of(token: &'a Token) -> SimilarKeyRef<'a> {
        SimilarKeyRef {
            kind: token.kind,
            initial: token.initial,
            abjad: token.abjad,
            folded: &token.folded,
            raw: token.raw.as_deref(),
            native: token.native.as_deref(),
            alternates: &token.alternates,
        }
    }
}

impl std::hash::Hash for SimilarKey {
    // As its borrowed form, so that either finds the other.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.borrowed().hash(state);
    }
}

impl Equivalent<SimilarKey> for SimilarKeyRef<'_> {
    fn equivalent(&self, key: &SimilarKey) -> bool {
        *self == key.borrowed()
    }
}

impl SimilarKey {
    fn borrowed(&self) -> SimilarKeyRef<'_> {
        SimilarKeyRef {
            kind: self.kind,
            initial: self.initial,
            abjad: self.abjad,
            folded: &self.folded,
            raw: self.raw.as_deref(),
            native: self.native.as_deref(),
            alternates: &self.alternates,
        }
    }

    fn of(token: &Token) -> SimilarKey {
        SimilarKey {
            kind: token.kind,
            initial: token.initial,
            abjad: token.abjad,
            folded: token.folded.clone(),
            raw: token.raw.clone(),
            native: token.native.clone(),
            alternates: token.alternates.clone(),
        }
    }
}

/// Trigram counts per vocabulary token, and which counts are non-zero.
#[derive(Default)]
struct TrigramScratch {
    hits: Vec<u16>,
    touched: Vec<u32>,
}

/// Entries kept in an index's similar-token cache, over all its shards.
const SIMILAR_CACHE_CAPACITY: usize = 50_000;

/// Independently locked parts of the similar-token cache, so that threads screening at once
/// seldom wait for each other.
const SIMILAR_CACHE_SHARDS: usize = 16;

/// A full shard this large is freed on a thread of its own.
const BACKGROUND_DROP_ENTRIES: usize = 1000;

/// Similar vocabulary tokens per query token, shared by every thread screening against the
/// index: customer files repeat given names and surnames, so most lookups are answered here.
/// Shared, each token is looked up once however many threads screen (a cache per thread
/// looked it up once per thread, and held a copy per thread). A shard that fills up is
/// emptied on its own, so most of what is cached survives.
struct SimilarCache {
    shards: Vec<RwLock<SimilarShard>>,
    hasher: DefaultHashBuilder,
}

/// Similar vocabulary tokens, with their similarity, per query token.
type SimilarShard = HashMap<SimilarKey, Box<[(u32, f32)]>>;

impl SimilarCache {
    fn new() -> SimilarCache {
        SimilarCache {
            shards: (0..SIMILAR_CACHE_SHARDS)
                .map(|_| RwLock::new(HashMap::new()))
                .collect(),
            hasher: DefaultHashBuilder::default(),
        }
    }

    fn shard(&self, key: &SimilarKeyRef<'_>) -> Option<&RwLock<SimilarShard>> {
        let hash = self.hasher.hash_one(key);
        self.shards
            .get((hash % SIMILAR_CACHE_SHARDS as u64) as usize)
    }

    /// Applies `found` to the similar tokens cached for `token`, if any. (A lock poisoned by
    /// a panicking screening reads as empty: the cache is only ever a shortcut.)
    fn with<R>(&self, token: &Token, found: impl FnOnce(&[(u32, f32)]) -> R) -> Option<R> {
        let key = SimilarKeyRef::of(token);
        let shard = self.shard(&key)?.read().ok()?;
        shard.get(&key).map(|similar| found(similar))
    }

    fn insert(&self, token: &Token, similar: &[(u32, f32)]) {
        let Some(lock) = self.shard(&SimilarKeyRef::of(token)) else {
            return;
        };
        let Ok(mut shard) = lock.write() else {
            return;
        };
        let capacity = SIMILAR_CACHE_CAPACITY / SIMILAR_CACHE_SHARDS;
        let mut stale = None;
        if shard.len() >= capacity {
            // Sized once for all it may hold: growing rehashes every entry.
            stale = Some(std::mem::replace(
                &mut *shard,
                HashMap::with_capacity(capacity),
            ));
        }
        shard.insert(SimilarKey::of(token), similar.into());
        drop(shard);
        // Freeing thousands of entries takes a while, which no query should wait for.
        // (Should no thread start, the closure frees them here.)
        if let Some(stale) = stale.filter(|stale| stale.len() > BACKGROUND_DROP_ENTRIES) {
            let _ = std::thread::Builder::new().spawn(move || drop(stale));
        }
    }

    #[cfg(test)]
    fn folded_keys(&self) -> Vec<String> {
        self.shards
            .iter()
            .filter_map(|shard| shard.read().ok())
            .flat_map(|shard| {
                shard
                    .keys()
                    .map(|key| key.folded.to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

impl std::fmt::Debug for SimilarCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let entries: usize = self
            .shards
            .iter()
            .filter_map(|shard| shard.read().ok().map(|shard| shard.len()))
            .sum();
        f.debug_struct("SimilarCache")
            .field("entries", &entries)
            .finish()
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn trigrams(text: &str) -> impl Iterator<Item = [u8; 3]> + '_ {
    let padded: Vec<u8> = std::iter::once(b'^')
        .chain(text.bytes())
        .chain(std::iter::once(b'$'))
        .collect();
    (0..padded.len().saturating_sub(2)).filter_map(move |i| {
        padded
            .get(i..i + 3)
            .and_then(|w| <[u8; 3]>::try_from(w).ok())
    })
}

/// The distinct trigrams of a token's folded spelling and, where folding changed it, of its
/// spelling before folding: a typo can change how a word folds ("maydhou" / "maychou").
fn token_trigrams(token: &Token) -> Vec<[u8; 3]> {
    let mut all: Vec<[u8; 3]> = trigrams(&token.folded).collect();
    if let Some(raw) = &token.raw {
        all.extend(trigrams(raw));
    }
    all.sort_unstable();
    all.dedup();
    all
}

/// Deletion keys of a token: hashes of its folded spelling and of its spelling before
/// folding, each whole and with any one letter deleted (see [`Vocabulary::by_deletion`]).
fn deletion_keys(token: &Token) -> Vec<u64> {
    let mut keys: Vec<u64> = Vec::new();
    if token.kind != TokenKind::Word || token.abjad || token.native.is_some() {
        return keys;
    }
    for spelling in std::iter::once(&token.folded).chain(&token.raw) {
        let bytes = spelling.as_bytes();
        if !DELETION_KEY_LENGTHS.contains(&bytes.len()) {
            continue;
        }
        keys.push(hash_without(bytes, None));
        keys.extend((0..bytes.len()).map(|deleted| hash_without(bytes, Some(deleted))));
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// FNV-1a hash of `bytes` without the byte at `skipped`.
fn hash_without(bytes: &[u8], skipped: Option<usize>) -> u64 {
    bytes
        .iter()
        .enumerate()
        .filter(|(index, _)| Some(*index) != skipped)
        .fold(0xcbf2_9ce4_8422_2325, |hash, (_, &byte)| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
}

fn rarity(document_frequency: u32, total_names: usize) -> f32 {
    if total_names < RARITY_MIN_NAMES || document_frequency <= 1 {
        return 1.0;
    }
    (1.05 - 0.11 * (document_frequency as f32).ln()).clamp(RARITY_FLOOR, 1.0)
}

fn profile_of(schema: Schema) -> Profile {
    Profile::for_schema(Some(schema))
}

impl Index {
    /// Builds the index: normalises every name of every entity (in parallel) and indexes
    /// their tokens.
    pub fn build(entities: Vec<Arc<Entity>>) -> Index {
        let normalized: Vec<Vec<(u32, NameKind, NormalizedName)>> = entities
            .par_iter()
            .map(|entity| {
                let profile = profile_of(entity.schema);
                let mut seen: Vec<&str> = Vec::new();
                entity
                    .names
                    .iter()
                    .enumerate()
                    .filter(|(_, name)| {
                        // The same text under two kinds scores the same: keep the first.
                        let new = !seen.contains(&name.full.as_str());
                        seen.push(&name.full);
                        new
                    })
                    .map(|(i, name)| (i as u32, name.kind, normalize(&name.full, profile)))
                    .filter(|(_, _, n)| !n.tokens.is_empty())
                    .collect()
            })
            .collect();

        let mut names = Vec::new();
        let mut entity_names = Vec::with_capacity(entities.len());
        for (entity_index, entity_list) in normalized.into_iter().enumerate() {
            let start = names.len() as u32;
            let schema = entities
                .get(entity_index)
                .map_or(Schema::Unknown, |e| e.schema);
            let profile = profile_of(schema);
            for (source, kind, normalized) in entity_list {
                names.push(IndexedName {
                    entity: entity_index as u32,
                    source,
                    kind,
                    profile,
                    weights: Box::default(),
                    normalized,
                });
            }
            entity_names.push(start..names.len() as u32);
        }

        let mut vocabulary = Vocabulary::default();
        for (name_index, name) in names.iter().enumerate() {
            // A word split in two ("abdulaziz") is also looked up whole, for queries whose
            // typo kept it from splitting.
            let compounds = name
                .normalized
                .tokens
                .iter()
                .filter_map(Token::compound_token)
                .collect::<Vec<_>>();
            let positions = (0..name.normalized.tokens.len())
                .map(|p| u8::try_from(p).map_or(UNTRACKED_POSITION, |p| p.min(UNTRACKED_POSITION)))
                .chain(std::iter::repeat(UNTRACKED_POSITION));
            for (token, position) in name
                .normalized
                .tokens
                .iter()
                .chain(&compounds)
                .zip(positions)
            {
                let id = match vocabulary.id(&token.folded, token.abjad) {
                    Some(id) => id,
                    None => {
                        let id = vocabulary.tokens.len() as u32;
                        vocabulary
                            .ids
                            .insert((token.folded.clone(), token.abjad), id);
                        vocabulary.tokens.push(token.clone());
                        vocabulary.postings.push(Vec::new());
                        vocabulary.positions.push(Vec::new());
                        id
                    }
                };
                if let (Some(postings), Some(positions)) = (
                    vocabulary.postings.get_mut(id as usize),
                    vocabulary.positions.get_mut(id as usize),
                ) {
                    postings.push(name_index as u32);
                    positions.push(position);
                }
            }
        }
        for (id, token) in vocabulary.tokens.iter().enumerate() {
            let skeletons =
                std::iter::once(&token.skeleton).chain(token.alternates.iter().map(|(_, s)| s));
            for skeleton in skeletons.filter(|s| s.len() >= 2) {
                let ids = vocabulary.by_skeleton.entry(skeleton.clone()).or_default();
                if ids.last() != Some(&(id as u32)) {
                    ids.push(id as u32);
                }
            }
            vocabulary
                .by_deletion
                .extend(deletion_keys(token).into_iter().map(|key| (key, id as u32)));
            let own = token_trigrams(token);
            for trigram in &own {
                vocabulary
                    .by_trigram
                    .entry(*trigram)
                    .or_default()
                    .push(id as u32);
            }
            vocabulary
                .trigram_counts
                .push(u16::try_from(own.len()).unwrap_or(u16::MAX));
        }

        vocabulary.by_deletion.sort_unstable();
        vocabulary.by_deletion.dedup();
        let total = names.len();
        let weights: Vec<Box<[f32]>> = names
            .par_iter()
            .map(|name| {
                name.normalized
                    .tokens
                    .iter()
                    .map(|token| token_weight(token, &vocabulary, total))
                    .collect()
            })
            .collect();
        let mut summaries = Vec::with_capacity(names.len());
        for (name, weights) in names.iter_mut().zip(weights) {
            summaries.push(NameSummary {
                total_weight: weights.iter().sum(),
                profile: name.profile,
                schema: entities
                    .get(name.entity as usize)
                    .map_or(Schema::Unknown, |e| e.schema),
            });
            name.weights = weights;
        }

        let mut identifiers: HashMap<String, Vec<u32>> = HashMap::new();
        for (entity_index, entity) in entities.iter().enumerate() {
            for identifier in entity.identifiers.iter().filter(|i| i.kind.is_decisive()) {
                let value = identifier.normalized_value();
                if !value.is_empty() {
                    identifiers
                        .entry(value)
                        .or_default()
                        .push(entity_index as u32);
                }
            }
        }

        let mut profiles: Vec<Profile> = Vec::new();
        for name in &names {
            if !profiles.contains(&name.profile) {
                profiles.push(name.profile);
            }
        }
        Index {
            profiles,
            entities,
            names,
            summaries,
            entity_names,
            vocabulary,
            identifiers,
            similar_cache: SimilarCache::new(),
        }
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether the index holds no entity.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// Number of indexed names (primary names and aliases, duplicates removed).
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// The indexed entities, in the order given to [`Index::build`].
    pub fn entities(&self) -> impl Iterator<Item = &Arc<Entity>> {
        self.entities.iter()
    }

    /// Screens one query: matches at or above `options.threshold`, best first (ties by
    /// entity id), at most `options.limit`.
    pub fn screen(&self, query: &Query, options: &ScreenOptions) -> Vec<Match> {
        let prepared = self.prepare(query);
        let candidates = self.candidates(&prepared);
        self.score_entities(&prepared, candidates, options)
    }

    /// Screens many queries in parallel; results in query order.
    pub fn screen_batch(&self, queries: &[Query], options: &ScreenOptions) -> Vec<Vec<Match>> {
        queries
            .par_iter()
            .map(|query| self.screen(query, options))
            .collect()
    }

    /// Screens one query against every entity, without candidate generation. Slow; for
    /// measuring what candidate generation misses.
    pub fn screen_exhaustive(&self, query: &Query, options: &ScreenOptions) -> Vec<Match> {
        let prepared = self.prepare(query);
        let candidates = (0..self.names.len() as u32).collect();
        self.score_entities(&prepared, candidates, options)
    }

    /// Scores `query` against the names of the entity at position `entity` only, as
    /// [`Index::screen`] scores a candidate: free-text scanning confirms a candidate span
    /// this way. `None` below `threshold` or when the entity has no indexed name.
    pub(crate) fn score_entity_at(
        &self,
        query: &Query,
        entity: usize,
        threshold: f64,
    ) -> Option<Match> {
        let names: Vec<u32> = self.entity_names.get(entity)?.clone().collect();
        let prepared = self.prepare(query);
        self.score_entity(&prepared, u32::try_from(entity).ok()?, &names, threshold)
    }

    /// Listed tokens similar to `token` (the lookup screening's candidate generation makes),
    /// as folded spellings with their token similarity.
    pub(crate) fn similar_listed_tokens(&self, token: &Token) -> Vec<(&str, f32)> {
        let mut similar = Vec::new();
        SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            self.similar_tokens(token, &mut scratch.trigrams, &mut similar);
        });
        similar
            .into_iter()
            .filter_map(|(id, similarity)| {
                let listed = self.vocabulary.tokens.get(id as usize)?;
                Some((&*listed.folded, similarity))
            })
            .collect()
    }

    fn prepare<'q>(&self, query: &'q Query) -> PreparedQuery<'q> {
        let prepare = |profile: Profile| {
            let normalized = normalize(&query.name, profile);
            let weights = normalized
                .tokens
                .iter()
                .map(|token| token_weight(token, &self.vocabulary, self.names.len()))
                .collect();
            PreparedName {
                normalized,
                weights,
            }
        };
        let schema = query.screened_schema();
        let wants = |profile: Profile| {
            self.profiles.contains(&profile)
                && match schema {
                    None | Some(Schema::Unknown) => true,
                    Some(schema) => profile_of(schema) == profile || profile == Profile::Generic,
                }
        };
        PreparedQuery {
            query,
            schema,
            person: wants(Profile::Person).then(|| prepare(Profile::Person)),
            organization: wants(Profile::Organization).then(|| prepare(Profile::Organization)),
            generic: wants(Profile::Generic).then(|| prepare(Profile::Generic)),
        }
    }

    /// Entities worth scoring: those whose names share the most evidence with the query,
    /// plus any sharing a decisive identifier.
    /// Names worth scoring (indices into `names`, grouped by entity): those sharing the most
    /// evidence with the query, plus every name of an entity sharing a decisive identifier.
    fn candidates(&self, prepared: &PreparedQuery<'_>) -> Vec<u32> {
        let mut names: Vec<u32> = SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            self.gather_evidence(prepared, &mut scratch)
        });
        for identifier in prepared
            .query
            .identifiers
            .iter()
            .filter(|i| i.kind.is_decisive())
        {
            for &entity in self
                .identifiers
                .get(&identifier.normalized_value())
                .into_iter()
                .flatten()
            {
                names.extend(
                    self.entity_names
                        .get(entity as usize)
                        .cloned()
                        .into_iter()
                        .flatten(),
                );
            }
        }
        // Names of one entity are contiguous, so sorting groups them.
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Candidate names by accumulated token evidence.
    fn gather_evidence(&self, prepared: &PreparedQuery<'_>, scratch: &mut Scratch) -> Vec<u32> {
        self.credit_names(prepared, scratch);
        self.rank_candidates(prepared, scratch)
    }

    /// Credits each name in `scratch.evidence` with the evidence the query's tokens give it,
    /// and lists the names credited in `scratch.touched`.
    fn credit_names(&self, prepared: &PreparedQuery<'_>, scratch: &mut Scratch) {
        if scratch.evidence.len() != self.names.len() {
            scratch.evidence = vec![NameEvidence::default(); self.names.len()];
        }
        // Distinct query tokens (over all profiles), each with its weight, once per time it
        // occurs in one query name ("Mohamed Mohamed").
        let mut lookups: Vec<(Cow<'_, Token>, f32)> = Vec::new();
        for name in prepared.all() {
            // Initials find too much to be looked up, unless the name has nothing else.
            let only_initials = name
                .normalized
                .tokens
                .iter()
                .all(|t| t.kind == TokenKind::Initial);
            for (token, weight) in name.normalized.tokens.iter().zip(&name.weights) {
                if token.kind == TokenKind::Initial && !only_initials {
                    continue;
                }
                let occurrences = name
                    .normalized
                    .tokens
                    .iter()
                    .filter(|t| t.folded == token.folded)
                    .count();
                let known = lookups
                    .iter()
                    .filter(|(t, _)| t.folded == token.folded)
                    .count();
                for _ in known..occurrences {
                    lookups.push((Cow::Borrowed(token), *weight));
                }
            }
            // Two query tokens may be one listed word ("Abdul Rahman" / "Abdulrahman").
            for pair in name.normalized.tokens.windows(2) {
                if let [first, second] = pair
                    && first.kind == TokenKind::Word
                    && second.kind == TokenKind::Word
                {
                    let joined = normalize_joined(first, second);
                    if !lookups.iter().any(|(t, _)| t.folded == joined.folded) {
                        lookups.push((Cow::Owned(joined), 1.0));
                    }
                }
            }
        }
        // Every (lookup, similar vocabulary token), most similar first: like the alignment
        // that scores names, each listed token goes to the query token most like it, and each
        // query token credits a name once.
        let mut credits: Vec<(f32, u32, u32)> = Vec::new();
        for (lookup_index, (token, _)) in lookups.iter().enumerate() {
            let credit_all = |similar: &[(u32, f32)], credits: &mut Vec<(f32, u32, u32)>| {
                credits.extend(
                    similar
                        .iter()
                        .map(|&(id, similarity)| (similarity, lookup_index as u32, id)),
                );
            };
            // Looked up borrowed: most lookups are answered here, and need no key of their own.
            let cached = self
                .similar_cache
                .with(token, |similar| credit_all(similar, &mut credits));
            if cached.is_none() {
                let mut similar = Vec::new();
                self.similar_tokens(token, &mut scratch.trigrams, &mut similar);
                similar.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                credit_all(&similar, &mut credits);
                // Owned lookups are two query words joined: as distinct as the full name
                // they come from, kept they would push out the words that do repeat.
                if matches!(token, Cow::Borrowed(_)) {
                    self.similar_cache.insert(token, &similar);
                }
            }
        }
        credits
            .sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for &(similarity, lookup_index, id) in &credits {
            let Some((_, weight)) = lookups.get(lookup_index as usize) else {
                continue;
            };
            let amount = credit(similarity).max(0.05) * weight;
            let lookup_bit = 1u64.checked_shl(lookup_index).unwrap_or(0) & !TOUCHED;
            let (Some(postings), Some(positions)) = (
                self.vocabulary.postings.get(id as usize),
                self.vocabulary.positions.get(id as usize),
            ) else {
                continue;
            };
            for (&name, &position) in postings.iter().zip(positions) {
                let Some(slot) = scratch.evidence.get_mut(name as usize) else {
                    continue;
                };
                let position_bit = if position < UNTRACKED_POSITION {
                    1u32 << position
                } else {
                    0
                };
                if slot.lookups & lookup_bit != 0 || slot.positions & position_bit != 0 {
                    continue;
                }
                if slot.lookups == 0 {
                    scratch.touched.push(name);
                }
                slot.lookups |= lookup_bit | TOUCHED;
                slot.positions |= position_bit;
                slot.found += amount;
            }
        }
    }

    /// The credited names worth scoring, resetting their evidence: ranked by an estimate of
    /// the name score, evidence against evidence plus the cost of the tokens either side
    /// leaves unexplained. A short listed name sharing one rare token can outscore a long one
    /// sharing two.
    fn rank_candidates(&self, prepared: &PreparedQuery<'_>, scratch: &mut Scratch) -> Vec<u32> {
        // The query as each profile reads it: a person's honorific or an organisation's
        // legal form is not there to be explained.
        let query_weight = |profile: Profile| {
            prepared
                .for_profile(profile)
                .map_or(0.0, |query| query.weights.iter().sum::<f32>())
        };
        let (person_weight, organization_weight, generic_weight) = (
            query_weight(Profile::Person),
            query_weight(Profile::Organization),
            query_weight(Profile::Generic),
        );
        let compatible = |name: &NameSummary| {
            prepared
                .schema
                .is_none_or(|schema| schema.compatible(name.schema))
        };
        // Names clearing the floor, and the rest in case fewer than the minimum do.
        let mut kept: Vec<(f32, u32)> = Vec::new();
        let mut rest: Vec<(f32, u32)> = Vec::new();
        for &n in &scratch.touched {
            let index = n as usize;
            let (Some(evidence), Some(name)) =
                (scratch.evidence.get_mut(index), self.summaries.get(index))
            else {
                continue;
            };
            let found = std::mem::take(evidence).found;
            if !compatible(name) {
                continue;
            }
            let query_weight = match name.profile {
                Profile::Person => person_weight,
                Profile::Organization => organization_weight,
                Profile::Generic => generic_weight,
            };
            let unexplained =
                (query_weight - found).max(0.0) + (name.total_weight - found).max(0.0);
            let estimate = found / (found + ESTIMATE_EXTRA * unexplained).max(f32::EPSILON);
            if estimate >= CANDIDATE_ESTIMATE_FLOOR {
                kept.push((estimate, n));
            } else {
                rest.push((estimate, n));
            }
        }
        scratch.touched.clear();
        let by_estimate = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        let missing = MIN_CANDIDATE_NAMES
            .saturating_sub(kept.len())
            .min(rest.len());
        if missing > 0 {
            if missing < rest.len() {
                rest.select_nth_unstable_by(missing - 1, by_estimate);
            }
            kept.extend(rest.iter().take(missing));
        }
        if kept.len() > MAX_CANDIDATE_NAMES {
            kept.select_nth_unstable_by(MAX_CANDIDATE_NAMES - 1, by_estimate);
            kept.truncate(MAX_CANDIDATE_NAMES);
        }
        kept.into_iter().map(|(_, n)| n).collect()
    }

    /// Vocabulary tokens similar to `token`: same spelling, same skeleton, within one edit (if
    /// short) or enough shared trigrams, and a token similarity of at least
    /// [`CANDIDATE_SIMILARITY`].
    fn similar_tokens(
        &self,
        token: &Token,
        scratch: &mut TrigramScratch,
        out: &mut Vec<(u32, f32)>,
    ) {
        let vocabulary = &self.vocabulary;
        if scratch.hits.len() != vocabulary.tokens.len() {
            scratch.hits = vec![0; vocabulary.tokens.len()];
        }
        // A count of SEEN marks a token already considered.
        const SEEN: u16 = u16::MAX;
        let TrigramScratch { hits, touched } = scratch;
        let consider =
            |id: u32, hits: &mut Vec<u16>, touched: &mut Vec<u32>, out: &mut Vec<(u32, f32)>| {
                let Some(count) = hits.get_mut(id as usize) else {
                    return;
                };
                if *count == SEEN {
                    return;
                }
                if *count == 0 {
                    touched.push(id);
                }
                *count = SEEN;
                if let Some(candidate) = vocabulary.tokens.get(id as usize) {
                    let similarity = token_similarity(token, candidate);
                    if similarity >= CANDIDATE_SIMILARITY {
                        out.push((id, similarity));
                    }
                }
            };
        for abjad in [false, true] {
            if let Some(id) = vocabulary.id(&token.folded, abjad) {
                consider(id, hits, touched, out);
            }
        }
        let skeletons =
            std::iter::once(&token.skeleton).chain(token.alternates.iter().map(|(_, s)| s));
        for skeleton in skeletons.filter(|s| s.len() >= 2) {
            for &id in vocabulary.by_skeleton.get(skeleton).into_iter().flatten() {
                consider(id, hits, touched, out);
            }
        }
        for key in deletion_keys(token) {
            let start = vocabulary.by_deletion.partition_point(|(k, _)| *k < key);
            for &(_, id) in vocabulary
                .by_deletion
                .get(start..)
                .unwrap_or_default()
                .iter()
                .take_while(|(k, _)| *k == key)
            {
                consider(id, hits, touched, out);
            }
        }
        // Abjad tokens have no reliable vowels for trigrams: the skeleton is their key.
        if !token.abjad {
            let mut lists: Vec<&[u32]> = token_trigrams(token)
                .iter()
                .map(|trigram| {
                    vocabulary
                        .by_trigram
                        .get(trigram)
                        .map_or(&[][..], Vec::as_slice)
                })
                .collect();
            lists.sort_unstable_by_key(|ids| ids.len());
            let own = lists.len();
            let (numerator, denominator) = TRIGRAM_MIN_DICE;
            // A token sharing `s` of the query's trigrams has at least `s` of its own, so a
            // Dice coefficient of at most 2s / (own + s), and needs some `needed` shared. It
            // is then in one of the postings but the `needed - 1` commonest at least: those
            // only count the tokens the others found (most tokens share one trigram).
            let needed = (numerator * own)
                .div_ceil(2 * denominator - numerator)
                .max(1);
            let finding = own.saturating_sub(needed - 1);
            for (rank, ids) in lists.iter().enumerate() {
                let finds = rank < finding;
                for &id in ids.iter() {
                    let Some(count) = hits.get_mut(id as usize) else {
                        continue;
                    };
                    if *count == 0 {
                        if !finds {
                            continue;
                        }
                        touched.push(id);
                    }
                    if *count < SEEN - 1 {
                        *count += 1;
                    }
                }
            }
            for index in 0..touched.len() {
                let Some(&id) = touched.get(index) else { break };
                let shared = hits.get(id as usize).copied().unwrap_or(SEEN);
                if shared == SEEN {
                    continue;
                }
                let theirs = vocabulary
                    .trigram_counts
                    .get(id as usize)
                    .copied()
                    .unwrap_or(u16::MAX);
                if 2 * usize::from(shared) * denominator >= numerator * (own + usize::from(theirs))
                {
                    consider(id, hits, touched, out);
                }
            }
        }
        for &id in touched.iter() {
            if let Some(count) = hits.get_mut(id as usize) {
                *count = 0;
            }
        }
        touched.clear();
    }

    /// Scores candidate entities and keeps those at or above the threshold.
    /// Scores candidate names (grouped by entity) and keeps the entities at or above the
    /// threshold.
    fn score_entities(
        &self,
        prepared: &PreparedQuery<'_>,
        candidates: Vec<u32>,
        options: &ScreenOptions,
    ) -> Vec<Match> {
        let entity_of = |n: &u32| self.names.get(*n as usize).map(|name| name.entity);
        let mut matches: Vec<Match> = candidates
            .chunk_by(|a, b| entity_of(a) == entity_of(b))
            .filter_map(|group| {
                let entity = entity_of(group.first()?)?;
                self.score_entity(prepared, entity, group, options.threshold)
            })
            .collect();
        matches.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.entity.id.cmp(&b.entity.id))
        });
        matches.truncate(options.limit);
        matches
    }

    fn score_entity(
        &self,
        prepared: &PreparedQuery<'_>,
        entity_index: u32,
        candidate_names: &[u32],
        threshold: f64,
    ) -> Option<Match> {
        let entity = self.entities.get(entity_index as usize)?;
        let query = prepared.query;
        if prepared
            .schema
            .is_some_and(|schema| !schema.compatible(entity.schema))
        {
            return None;
        }
        // Best name by name score with its legal-form and weak-alias adjustments.
        let mut best: Option<(f32, &IndexedName, NameOutcome)> = None;
        for name in candidate_names
            .iter()
            .filter_map(|&n| self.names.get(n as usize))
        {
            let Some(query_name) = prepared.for_profile(name.profile) else {
                continue;
            };
            let outcome = compare(
                WeightedName {
                    name: &query_name.normalized,
                    weights: &query_name.weights,
                },
                WeightedName {
                    name: &name.normalized,
                    weights: &name.weights,
                },
                name.profile,
                None,
            );
            let adjusted = outcome.score + name_adjustment(&query_name.normalized, name);
            if best.as_ref().is_none_or(|(score, _, _)| adjusted > *score) {
                best = Some((adjusted, name, outcome));
            }
        }
        let identifier = features::decisive_identifier(&query.identifiers, entity);
        let (name_score, name, _) = best?;
        // Entity features can only move a score by so much; skip hopeless names early.
        if identifier.is_none() && f64::from(name_score) + ENTITY_FEATURES_MAX_GAIN < threshold {
            return None;
        }
        let explanation = self.explain(prepared, name, entity, identifier);
        (explanation.score >= threshold).then(|| Match {
            entity: Arc::clone(entity),
            score: explanation.score,
            query_name: query.name.clone(),
            matched_name: explanation.matched_name.clone(),
            matched_name_kind: name.kind,
            explanation,
        })
    }

    fn explain(
        &self,
        prepared: &PreparedQuery<'_>,
        name: &IndexedName,
        entity: &Entity,
        identifier: Option<&interdict_model::Identifier>,
    ) -> Explanation {
        let query = prepared.query;
        let empty = PreparedName {
            normalized: NormalizedName::default(),
            weights: Vec::new(),
        };
        let query_name = prepared.for_profile(name.profile).unwrap_or(&empty);
        let mut trace = Vec::new();
        let outcome = compare(
            WeightedName {
                name: &query_name.normalized,
                weights: &query_name.weights,
            },
            WeightedName {
                name: &name.normalized,
                weights: &name.weights,
            },
            name.profile,
            Some(&mut trace),
        );
        let mut effects = name_features(
            &outcome,
            &query_name.normalized,
            &name.normalized,
            name.profile,
        );
        if name.kind.is_weak() {
            effects.push(features::weak_alias());
        }
        let name_score: f64 = effects.iter().map(|e| e.effect).sum();
        effects.extend(features::date_of_birth(
            query.dob.as_ref(),
            &entity.dates_of_birth,
        ));
        effects.extend(features::country(&query.countries, entity));
        effects.extend(features::gender(query.gender, entity.gender));
        let mut score = round(crate::combine(&effects) as f32);
        if let Some(identifier) = identifier {
            let floor = f64::from(features::IDENTIFIER_SCORE);
            let lift = (floor - score).max(0.0);
            effects.push(FeatureEffect {
                feature: Feature::Identifier,
                value: format!("{} {}", identifier.kind.label(), identifier.value),
                effect: round(lift as f32),
                detail: "exact match on a decisive identifier".into(),
            });
            score = score.max(floor);
        }
        let matched = entity.names.get(name.source as usize);
        Explanation {
            query_name: query.name.clone(),
            matched_name: matched.map(|n| n.full.clone()).unwrap_or_default(),
            matched_name_kind: Some(name.kind),
            query_normalized: query_name.normalized.display(),
            matched_normalized: name.normalized.display(),
            tokens: explain::token_matches(&trace, &query_name.normalized, &name.normalized),
            name_score: round(name_score as f32),
            features: effects,
            score,
        }
    }
}

/// The most the date-of-birth, country and gender features can add together.
const ENTITY_FEATURES_MAX_GAIN: f64 = 0.12;

/// Legal-form and weak-alias adjustments of one name comparison.
fn name_adjustment(query: &NormalizedName, name: &IndexedName) -> f32 {
    let mut adjustment = 0.0;
    if name.profile != Profile::Person
        && let Some(effect) = features::legal_form(&query.legal_forms, &name.normalized.legal_forms)
    {
        adjustment += effect.effect as f32;
    }
    if name.kind.is_weak() {
        adjustment += features::weak_alias().effect as f32;
    }
    if let Some(effect) = features::one_word_name(query, &name.normalized) {
        adjustment += effect.effect as f32;
    }
    adjustment
}

/// The weight of a token given how many indexed names contain it.
fn token_weight(token: &Token, vocabulary: &Vocabulary, total_names: usize) -> f32 {
    let frequency = [false, true]
        .into_iter()
        .filter_map(|abjad| vocabulary.id(&token.folded, abjad))
        .filter_map(|id| vocabulary.postings.get(id as usize))
        .map(|postings| postings.len() as u32)
        .sum();
    token
        .weight
        .min(token.base_weight * rarity(frequency, total_names))
}

/// A token standing for two adjacent query tokens written as one word.
fn normalize_joined(first: &Token, second: &Token) -> Token {
    let mut joined = first.clone();
    let text = format!("{}{}", first.folded, second.folded);
    joined.skeleton = crate::translit::skeleton(&text).into();
    joined.folded = text.into();
    joined
}

#[cfg(test)]
mod tests {
    use interdict_model::EntityId;

    use super::*;

    fn person(id: &str, name: &str) -> Arc<Entity> {
        Arc::new(Entity::new(
            EntityId::new("test", id),
            Schema::Person,
            name.to_owned(),
        ))
    }

    /// The evidence each listed name (by its text) gathers for `query`.
    fn evidence(index: &Index, query: &str) -> Vec<(String, f32)> {
        let query = Query::name(query);
        let prepared = index.prepare(&query);
        let mut scratch = Scratch::default();
        index.credit_names(&prepared, &mut scratch);
        let mut found: Vec<(String, f32)> = scratch
            .touched
            .iter()
            .filter_map(|&n| {
                let name = index.names.get(n as usize)?;
                let entity = index.entities.get(name.entity as usize)?;
                let text = entity.names.get(name.source as usize)?.full.clone();
                Some((text, scratch.evidence.get(n as usize)?.found))
            })
            .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0));
        found
    }

    #[test]
    fn a_listed_token_is_credited_for_one_query_token_only() {
        let index = Index::build(vec![
            person("1", "Lukas"),
            person("2", "Lukas Brandt"),
            person("3", "Luka Lukas"),
        ]);
        let found = evidence(&index, "Luka Lukas Humbert");
        let of = |text: &str| {
            found
                .iter()
                .find(|(t, _)| t == text)
                .map_or(0.0, |(_, f)| *f)
        };
        // "Lukas" resembles both "Luka" and "Lukas", but one listed token pairs with one
        // query token: it is credited once, with the better of the two.
        assert!(of("Lukas") > 0.0);
        assert!(of("Lukas") <= 1.0 + f32::EPSILON, "{found:?}");
        assert!((of("Lukas") - of("Lukas Brandt")).abs() < 1e-6, "{found:?}");
        // Two listed tokens take one query token each.
        assert!(of("Luka Lukas") > 1.5, "{found:?}");
    }

    #[test]
    fn borrowed_keys_find_what_owned_keys_stored() {
        let index = Index::build(vec![person("1", "Abdul Rahman Yoogesh"), person("2", "俊")]);
        let mut cache = HashMap::new();
        for token in &index.vocabulary.tokens {
            let id = index.vocabulary.id(&token.folded, token.abjad);
            assert!(id.is_some(), "{token:?}");
            cache.insert(SimilarKey::of(token), id);
        }
        for token in &index.vocabulary.tokens {
            let id = index.vocabulary.id(&token.folded, token.abjad);
            assert_eq!(cache.get(&SimilarKeyRef::of(token)), Some(&id), "{token:?}");
        }
        assert_eq!(index.vocabulary.id("nobody", false), None);
    }

    #[test]
    fn the_similar_cache_keeps_query_words_but_not_joined_pairs() {
        let index = Index::build(vec![person("1", "Abdulrahman Yoogesh")]);
        let query = Query::name("Abdul Rahman");
        let prepared = index.prepare(&query);
        let mut scratch = Scratch::default();
        for _ in 0..2 {
            index.credit_names(&prepared, &mut scratch);
            // The joined pair found the listed compound, cached or not.
            assert_eq!(scratch.touched.len(), 1);
            for &name in &scratch.touched {
                let found = scratch.evidence.get(name as usize).map_or(0.0, |e| e.found);
                assert!(found > 0.5, "{found}");
            }
            // Ranking resets the evidence for the next query, as screening does.
            assert_eq!(index.rank_candidates(&prepared, &mut scratch).len(), 1);
            let mut cached = index.similar_cache.folded_keys();
            cached.sort_unstable();
            let mut words: Vec<&str> = prepared
                .all()
                .flat_map(|name| name.normalized.tokens.iter())
                .map(|token| &*token.folded)
                .collect();
            words.sort_unstable();
            words.dedup();
            assert_eq!(words.len(), 2, "{words:?}");
            assert_eq!(cached, words);
        }
    }

    /// Every vocabulary token whose trigram Dice coefficient with `token` reaches the
    /// minimum and whose similarity reaches the candidate floor, by comparing all of them
    /// (`vocabulary_trigrams` are theirs).
    fn trigram_candidates_by_brute_force(
        index: &Index,
        vocabulary_trigrams: &[Vec<[u8; 3]>],
        token: &Token,
    ) -> Vec<u32> {
        let own = token_trigrams(token);
        let (numerator, denominator) = TRIGRAM_MIN_DICE;
        (0u32..)
            .zip(index.vocabulary.tokens.iter().zip(vocabulary_trigrams))
            .filter(|(_, (candidate, theirs))| {
                let shared = own
                    .iter()
                    .filter(|t| theirs.binary_search(t).is_ok())
                    .count();
                2 * shared * denominator >= numerator * (own.len() + theirs.len())
                    && token_similarity(token, candidate) >= CANDIDATE_SIMILARITY
            })
            .map(|(id, _)| id)
            .collect()
    }

    #[test]
    fn trigram_candidates_include_every_token_a_full_comparison_finds() {
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
        let list = data.join("lists/un-consolidated-2026-02-27.xml");
        let bytes = std::fs::read(&list).expect("the shared UN list");
        let parsed = interdict_sources::parse(
            &[interdict_sources::SourceFile {
                name: "un.xml".to_owned(),
                bytes,
            }],
            None,
            None,
        )
        .expect("the UN list parses");
        let index = Index::build(parsed.entities.into_iter().map(Arc::new).collect());
        let customers = std::fs::read_to_string(data.join("eval/customers_us_50k.csv"))
            .expect("the shared customers file");
        let vocabulary_trigrams: Vec<Vec<[u8; 3]>> =
            index.vocabulary.tokens.iter().map(token_trigrams).collect();
        let mut scratch = TrigramScratch::default();
        let mut compared = 0;
        // Customers' words and pairs of them joined, as lookups make them, as written and
        // with one letter changed, so that some share only common trigrams with a listed
        // spelling.
        for line in customers.lines().skip(1).step_by(499).take(60) {
            let name = line.split(',').next().unwrap_or_default();
            for query in [name.to_owned(), name.replacen('a', "e", 1)] {
                let query = Query::name(query);
                let prepared = index.prepare(&query);
                for normalized in prepared.all().map(|p| &p.normalized) {
                    let joined = normalized.tokens.windows(2).filter_map(|pair| match pair {
                        [first, second] => Some(normalize_joined(first, second)),
                        _ => None,
                    });
                    let tokens: Vec<Token> =
                        normalized.tokens.iter().cloned().chain(joined).collect();
                    for token in tokens.iter().filter(|t| !t.abjad) {
                        let mut similar = Vec::new();
                        index.similar_tokens(token, &mut scratch, &mut similar);
                        for id in
                            trigram_candidates_by_brute_force(&index, &vocabulary_trigrams, token)
                        {
                            compared += 1;
                            assert!(
                                similar.iter().any(|&(found, _)| found == id),
                                "{:?} misses {:?}",
                                token.folded,
                                index.vocabulary.tokens.get(id as usize).map(|t| &t.folded)
                            );
                        }
                    }
                }
            }
        }
        // The brute force found enough for the comparison to mean something.
        assert!(compared > 100, "{compared}");
    }

    #[test]
    fn a_repeated_query_token_credits_a_repeated_listed_token_twice() {
        let index = Index::build(vec![
            person("1", "Mohamed Mohamed Ali"),
            person("2", "Mohamed Ali"),
        ]);
        let found = evidence(&index, "Mohamed Mohamed");
        assert_eq!(found.len(), 2);
        let (twice, once) = (found[1].1, found[0].1);
        assert!(twice > 1.5 * once, "{found:?}");
    }
}
