//! The match-relevant fingerprint of a party: a hash of exactly what screening compares.

use interdict_model::Entity;
use sha2::{Digest, Sha256};

/// Tags the hash input so that no other SHA-256 of interdict can be mistaken for it.
const DOMAIN: &str = "interdict-match-fingerprint-v1";

/// The SHA-256 (hex) of what matching compares on a party: its schema, names (with their
/// kinds), dates of birth, countries, gender and identifiers, each set sorted so that order
/// does not count. Programmes, remarks, addresses, titles and provenance are left out: a
/// change there does not make a decided alert worth deciding again.
///
/// A decision is recorded with the fingerprints of both sides; a later hit on the same pair
/// is suppressed while both fingerprints are unchanged.
pub fn match_fingerprint(entity: &Entity) -> String {
    let mut names: Vec<String> = entity
        .names
        .iter()
        .map(|n| format!("{}={}", label(&n.kind), n.full.trim()))
        .collect();
    let mut dates: Vec<String> = entity
        .dates_of_birth
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut countries: Vec<&str> = entity.countries.iter().map(|c| c.as_str()).collect();
    let mut identifiers: Vec<String> = entity
        .identifiers
        .iter()
        .map(|i| format!("{}={}", label(&i.kind), i.normalized_value()))
        .collect();
    for set in [&mut names, &mut dates, &mut identifiers] {
        set.sort();
        set.dedup();
    }
    countries.sort_unstable();
    countries.dedup();
    let gender = entity.gender.map(|g| label(&g)).unwrap_or_default();

    let mut hasher = Sha256::new();
    let mut field = |text: &str| {
        hasher.update(text.len().to_string().as_bytes());
        hasher.update(b":");
        hasher.update(text.as_bytes());
    };
    field(DOMAIN);
    field(entity.schema.as_str());
    field(&gender);
    for (tag, values) in [
        (
            "names",
            names.iter().map(String::as_str).collect::<Vec<_>>(),
        ),
        ("dates", dates.iter().map(String::as_str).collect()),
        ("countries", countries),
        (
            "identifiers",
            identifiers.iter().map(String::as_str).collect(),
        ),
    ] {
        field(tag);
        field(&values.len().to_string());
        for value in values {
            field(value);
        }
    }
    hex::encode(hasher.finalize())
}

/// The stored (serde) spelling of a value, e.g. `strong_aka` or `{"type":"passport"}`.
fn label<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use interdict_model::{
        DateOfBirth, EntityId, Identifier, IdentifierKind, Name, NameKind, Schema,
    };

    use super::*;

    fn person() -> Entity {
        let mut entity = Entity::new(
            EntityId::new("ofac-sdn", "16661"),
            Schema::Person,
            "MIZULINA, Yelena",
        );
        entity.add_name(Name::new("MIZULINA, Elena Borisovna", NameKind::StrongAka));
        entity
            .dates_of_birth
            .extend(DateOfBirth::parse("09 Dec 1954"));
        entity.add_country("RU".parse().expect("country"));
        entity
    }

    #[test]
    fn only_what_matching_compares_counts() {
        let base = person();
        let same = match_fingerprint(&base);
        assert_eq!(same.len(), 64);

        let mut reordered = base.clone();
        reordered.names.reverse();
        reordered.programs.push("RUSSIA-EO14024".into());
        reordered.titles.push("Member of the State Duma".into());
        reordered.remarks.push("anything".into());
        reordered.source.location = "line 9".into();
        assert_eq!(match_fingerprint(&reordered), same);

        let mut renamed = base.clone();
        renamed.add_name(Name::new("MIZULINA, Jelena", NameKind::WeakAka));
        assert_ne!(match_fingerprint(&renamed), same);

        let mut reborn = base.clone();
        reborn.dates_of_birth = DateOfBirth::parse("1955").into_iter().collect();
        assert_ne!(match_fingerprint(&reborn), same);

        let mut moved = base.clone();
        moved.add_country("UA".parse().expect("country"));
        assert_ne!(match_fingerprint(&moved), same);

        let mut identified = base.clone();
        identified.add_identifier(Identifier::new(IdentifierKind::Passport, "AB 123"));
        assert_ne!(match_fingerprint(&identified), same);
    }

    #[test]
    fn the_id_is_not_part_of_it() {
        let mut other = person();
        other.id = EntityId::new("portfolio", "C-1");
        assert_eq!(match_fingerprint(&other), match_fingerprint(&person()));
    }
}
