//! The screening rules that need no name matcher: BICs, IMO numbers, digital-currency
//! addresses and other identifiers against what listed entities carry, and jurisdictions.
//!
//! A [`Screener`] is built once per set of active list versions (it indexes the identifiers
//! of every entity) and is immutable, so screening threads share it.

use std::collections::HashMap;

use chrono::NaiveDate;

use interdict_model::{CountryCode, Entity, EntityId, IdentifierKind};
use serde::Serialize;

use crate::bic::Bic;
use crate::crypto::{candidates, classify_crypto_address};
use crate::imo::find_imo_numbers;
use crate::jurisdiction::{JurisdictionRule, JurisdictionTable};
use crate::message::{Message, ScreenableValue, ValueKind};

/// What a hit is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    /// A party name or a name in free text, found by the name matcher (the app layer makes
    /// these; this crate does not match names).
    Name,
    /// A BIC of a listed entity (or of its head office or branch).
    Bic,
    /// A listed vessel's IMO number.
    Imo,
    /// A listed digital-currency address.
    CryptoAddress,
    /// Another listed identifier (passport, tax or registration number, ...).
    Identifier,
    /// A sanctioned country or region.
    Jurisdiction,
}

/// One reason to stop a payment: a value of a field, what it matched and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// The field path of the value ([`ScreenableValue::field`]).
    pub field: String,
    /// What kind of hit.
    pub kind: HitKind,
    /// The value as found in the message: the BIC, the IMO mention, the address, the place.
    pub value: String,
    /// The listed entity, for hits on lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<EntityId>,
    /// Its primary name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listed_name: Option<String>,
    /// The listed value matched (the BIC as listed, the wallet address), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listed_value: Option<String>,
    /// The jurisdiction rule, for jurisdiction hits (`OFAC-IR`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// 0 to 1: 1 for an exact identifier or a country; less where the match is indirect (a
    /// branch of a listed branch's institution, an unlabelled IMO-like number).
    pub score: f64,
    /// Why, in words for the analyst.
    pub explanation: String,
    /// The line of the input the value is on.
    pub line: usize,
}

/// A listed entity as a hit names it.
#[derive(Debug)]
struct Listed {
    id: EntityId,
    name: String,
}

/// A listed BIC: its entity and its branch (`None` for a BIC8 or primary office `XXX`).
#[derive(Debug)]
struct ListedBic {
    entity: usize,
    as_listed: String,
    branch: Option<String>,
}

/// A listed identifier with its entity and how the list wrote it.
#[derive(Debug)]
struct ListedValue {
    entity: usize,
    as_listed: String,
    label: String,
}

/// Identifiers shorter than this are not compared (short numbers collide by chance).
const MIN_IDENTIFIER_LEN: usize = 6;

/// Screens message values against listed identifiers and jurisdiction rules.
#[derive(Debug)]
pub struct Screener {
    entities: Vec<Listed>,
    /// By BIC8.
    bics: HashMap<String, Vec<ListedBic>>,
    /// By the seven digits.
    imos: HashMap<String, Vec<ListedValue>>,
    /// By the address as listed (Base58 is case-sensitive).
    crypto: HashMap<String, Vec<ListedValue>>,
    /// By the address in lower case, for hex and Bech32 addresses (case-free by definition)
    /// and for text that an MT system upper-cased.
    crypto_folded: HashMap<String, Vec<ListedValue>>,
    /// Other identifiers, letters and digits upper-cased.
    identifiers: HashMap<String, Vec<ListedValue>>,
    jurisdictions: JurisdictionTable,
}

impl Screener {
    /// Indexes the BICs, IMO numbers, wallet addresses and other identifiers of `entities`
    /// (all active lists together), with `jurisdictions` for the country and place rules.
    pub fn new<'a>(
        entities: impl IntoIterator<Item = &'a Entity>,
        jurisdictions: JurisdictionTable,
    ) -> Screener {
        let mut screener = Screener {
            entities: Vec::new(),
            bics: HashMap::new(),
            imos: HashMap::new(),
            crypto: HashMap::new(),
            crypto_folded: HashMap::new(),
            identifiers: HashMap::new(),
            jurisdictions,
        };
        for entity in entities {
            let index = screener.entities.len();
            let mut used = false;
            for identifier in &entity.identifiers {
                let listed = |as_listed: &str| ListedValue {
                    entity: index,
                    as_listed: as_listed.to_owned(),
                    label: identifier.kind.label(),
                };
                match &identifier.kind {
                    IdentifierKind::SwiftBic => {
                        let Ok(bic) = Bic::parse(&identifier.normalized_value()) else {
                            continue;
                        };
                        screener
                            .bics
                            .entry(bic.bic8().to_owned())
                            .or_default()
                            .push(ListedBic {
                                entity: index,
                                as_listed: identifier.value.clone(),
                                branch: bic.branch().map(str::to_owned),
                            });
                    }
                    IdentifierKind::Imo => {
                        let digits: String = identifier
                            .value
                            .chars()
                            .filter(char::is_ascii_digit)
                            .collect();
                        if digits.len() != 7 {
                            continue;
                        }
                        screener
                            .imos
                            .entry(digits)
                            .or_default()
                            .push(listed(&identifier.value));
                    }
                    IdentifierKind::CryptoAddress { .. } => {
                        let address = identifier.normalized_value();
                        if address.len() < 20 {
                            continue;
                        }
                        screener
                            .crypto_folded
                            .entry(address.to_ascii_lowercase())
                            .or_default()
                            .push(listed(&address));
                        screener
                            .crypto
                            .entry(address.clone())
                            .or_default()
                            .push(listed(&address));
                    }
                    kind if kind.is_decisive() => {
                        let key = identifier.normalized_value();
                        if key.len() < MIN_IDENTIFIER_LEN {
                            continue;
                        }
                        screener
                            .identifiers
                            .entry(key)
                            .or_default()
                            .push(listed(&identifier.value));
                    }
                    _ => continue,
                }
                used = true;
            }
            // Only entities with an indexed identifier are kept; hits name them by index.
            if used {
                screener.entities.push(Listed {
                    id: entity.id.clone(),
                    name: entity.name.clone(),
                });
            }
        }
        screener
    }

    /// The jurisdiction rules in use.
    pub fn jurisdictions(&self) -> &JurisdictionTable {
        &self.jurisdictions
    }

    /// The number of listed BICs, IMO numbers, wallet addresses and other identifiers indexed.
    pub fn indexed_identifiers(&self) -> usize {
        self.bics.values().map(Vec::len).sum::<usize>()
            + self.imos.values().map(Vec::len).sum::<usize>()
            + self.crypto.values().map(Vec::len).sum::<usize>()
            + self.identifiers.values().map(Vec::len).sum::<usize>()
    }

    /// Every hit on the values of `message`, one per field, kind, entity and rule (the
    /// strongest where several values of a field give the same one), in message order, with
    /// the jurisdiction rules in force on `date` (the screening date).
    pub fn screen(&self, message: &Message, date: NaiveDate) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        for value in &message.values {
            for hit in self.screen_value(value, date) {
                let same = hits.iter_mut().find(|h| {
                    h.field == hit.field
                        && h.kind == hit.kind
                        && h.entity_id == hit.entity_id
                        && h.rule == hit.rule
                });
                match same {
                    Some(existing) if existing.score < hit.score => *existing = hit,
                    Some(_) => {}
                    None => hits.push(hit),
                }
            }
        }
        hits
    }

    /// The hits on one value, with the jurisdiction rules in force on `date`.
    pub fn screen_value(&self, value: &ScreenableValue, date: NaiveDate) -> Vec<Hit> {
        let mut hits = Vec::new();
        match &value.kind {
            ValueKind::Bic => self.screen_bic(value, date, &mut hits),
            ValueKind::Iban { country } => {
                self.country_hits(value, *country, "IBAN country", date, &mut hits);
                self.screen_identifier(value, &mut hits);
            }
            ValueKind::Country { country, role } if role.locates_party() => {
                self.country_hits(value, *country, "country code", date, &mut hits);
            }
            ValueKind::Country { .. } => {}
            ValueKind::Address => self.place_hits(value, date, &mut hits),
            ValueKind::FreeText => {
                self.screen_imo(value, &mut hits);
                self.screen_crypto(value, &mut hits);
            }
            ValueKind::Account | ValueKind::Identifier { .. } => {
                self.screen_crypto(value, &mut hits);
                self.screen_identifier(value, &mut hits);
            }
            // A vessel paid as a party is often named with its IMO number.
            ValueKind::PartyName { .. } => self.screen_imo(value, &mut hits),
        }
        hits
    }

    fn hit(&self, value: &ScreenableValue, kind: HitKind, entity: usize) -> Hit {
        let listed = self.entities.get(entity);
        Hit {
            field: value.field.clone(),
            kind,
            value: value.value.clone(),
            entity_id: listed.map(|l| l.id.clone()),
            listed_name: listed.map(|l| l.name.clone()),
            listed_value: None,
            rule: None,
            score: 1.0,
            explanation: String::new(),
            line: value.line,
        }
    }

    fn name_of(&self, entity: usize) -> &str {
        self.entities.get(entity).map_or("", |l| l.name.as_str())
    }

    fn screen_bic(&self, value: &ScreenableValue, date: NaiveDate, hits: &mut Vec<Hit>) {
        let Ok(bic) = Bic::parse(&value.value) else {
            return;
        };
        let mut best: HashMap<usize, Hit> = HashMap::new();
        for listed in self.bics.get(bic.bic8()).into_iter().flatten() {
            let name = self.name_of(listed.entity);
            let (score, explanation) = match (&listed.branch, bic.branch()) {
                (None, None) if bic.as_str() == listed.as_listed => {
                    (1.0, format!("BIC {bic} is listed for {name}"))
                }
                (None, None) => (
                    1.0,
                    format!(
                        "BIC {bic} is the primary office of {}, listed for {name}",
                        listed.as_listed
                    ),
                ),
                (None, Some(branch)) => (
                    1.0,
                    format!(
                        "BIC {bic} is branch {branch} of {}, listed for {name}; a listed BIC8 covers every branch",
                        listed.as_listed
                    ),
                ),
                (Some(listed_branch), Some(branch)) if listed_branch == branch => {
                    (1.0, format!("BIC {bic} is listed for {name}"))
                }
                (Some(_), None) => (
                    0.8,
                    format!(
                        "BIC {bic} is the head office of the institution whose branch {} is listed for {name}",
                        listed.as_listed
                    ),
                ),
                (Some(_), Some(_)) => (
                    0.8,
                    format!(
                        "BIC {bic} is another branch of the institution whose branch {} is listed for {name}",
                        listed.as_listed
                    ),
                ),
            };
            let mut hit = self.hit(value, HitKind::Bic, listed.entity);
            hit.value = bic.as_str().to_owned();
            hit.listed_value = Some(listed.as_listed.clone());
            hit.score = score;
            hit.explanation = explanation;
            match best.get(&listed.entity) {
                Some(existing) if existing.score >= score => {}
                _ => {
                    best.insert(listed.entity, hit);
                }
            }
        }
        let mut found: Vec<Hit> = best.into_values().collect();
        found.sort_by(|a, b| a.entity_id.cmp(&b.entity_id));
        hits.extend(found);
        self.country_hits(value, bic.country(), "BIC country", date, hits);
    }

    fn screen_imo(&self, value: &ScreenableValue, hits: &mut Vec<Hit>) {
        for found in find_imo_numbers(&value.value) {
            for listed in self.imos.get(&found.number).into_iter().flatten() {
                let name = self.name_of(listed.entity);
                let mut hit = self.hit(value, HitKind::Imo, listed.entity);
                hit.value = found.mention.replace('\n', " ");
                hit.listed_value = Some(listed.as_listed.clone());
                if found.labelled {
                    hit.explanation = format!("IMO number {} is listed for {name}", found.number);
                } else {
                    hit.score = 0.9;
                    hit.explanation = format!(
                        "{} has a valid IMO check digit and is the listed IMO number of {name}, though the text does not label it IMO",
                        found.number
                    );
                }
                hits.push(hit);
            }
        }
    }

    fn screen_crypto(&self, value: &ScreenableValue, hits: &mut Vec<Hit>) {
        for candidate in candidates(&value.value) {
            let exact = self.crypto.get(&candidate.text);
            let folded = match exact {
                Some(_) => None,
                None => self.crypto_folded.get(&candidate.text.to_ascii_lowercase()),
            };
            for listed in exact.into_iter().chain(folded).flatten() {
                let name = self.name_of(listed.entity);
                let kind = classify_crypto_address(&listed.as_listed)
                    .map_or("digital-currency address", |k| k.name());
                let case_free = listed.as_listed.starts_with("0x")
                    || listed.as_listed.to_ascii_lowercase().starts_with("bc1");
                let mut hit = self.hit(value, HitKind::CryptoAddress, listed.entity);
                hit.value = candidate.text.clone();
                hit.listed_value = Some(listed.as_listed.clone());
                let mut explanation = format!(
                    "{kind} {} is listed for {name} ({})",
                    listed.as_listed, listed.label
                );
                if exact.is_none() && !case_free {
                    hit.score = 0.95;
                    explanation.push_str("; the message writes it in another case");
                }
                if candidate.rejoined {
                    explanation.push_str("; the message wraps it over two lines");
                }
                hit.explanation = explanation;
                hits.push(hit);
            }
        }
    }

    fn screen_identifier(&self, value: &ScreenableValue, hits: &mut Vec<Hit>) {
        let key: String = value
            .value
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_uppercase)
            .collect();
        if key.len() < MIN_IDENTIFIER_LEN {
            return;
        }
        for listed in self.identifiers.get(&key).into_iter().flatten() {
            let name = self.name_of(listed.entity);
            let mut hit = self.hit(value, HitKind::Identifier, listed.entity);
            hit.listed_value = Some(listed.as_listed.clone());
            hit.score = 0.9;
            hit.explanation = format!(
                "{} equals the listed {} of {name}",
                value.value,
                listed.label.replace('_', " ")
            );
            hits.push(hit);
        }
    }

    fn country_hits(
        &self,
        value: &ScreenableValue,
        country: CountryCode,
        what: &str,
        date: NaiveDate,
        hits: &mut Vec<Hit>,
    ) {
        for rule in self.jurisdictions.rules_for_country(country, date) {
            hits.push(jurisdiction_hit(
                value,
                rule,
                country.as_str(),
                format!("{what} {country}: {}", rule.description),
            ));
        }
    }

    fn place_hits(&self, value: &ScreenableValue, date: NaiveDate, hits: &mut Vec<Hit>) {
        for (rule, place) in self.jurisdictions.rules_for_address(&value.value, date) {
            let mut hit = jurisdiction_hit(
                value,
                rule,
                place,
                format!("the address names {place}: {}", rule.description),
            );
            hit.score = 0.9;
            hits.push(hit);
        }
    }
}

fn jurisdiction_hit(
    value: &ScreenableValue,
    rule: &JurisdictionRule,
    found: &str,
    explanation: String,
) -> Hit {
    Hit {
        field: value.field.clone(),
        kind: HitKind::Jurisdiction,
        value: found.to_owned(),
        entity_id: None,
        listed_name: None,
        listed_value: None,
        rule: Some(rule.id.clone()),
        score: 1.0,
        explanation,
        line: value.line,
    }
}
