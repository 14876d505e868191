//! The vocabulary of interdict: listed entities, their names, dates, countries and identifiers,
//! and the content hashing and diffing of list versions.
//!
//! This crate does no I/O and knows no other workspace crate. Every other crate speaks in these
//! types: `sources` produces [`Entity`] values from official list files, `matching` screens
//! against them, `store` keeps them per [`ListVersion`].
//!
//! Entities are serde-serialisable because their canonical JSON form is what a list version's
//! SHA-256 is computed over (see [`content_hash`]) and what the store keeps. The public JSON of
//! the HTTP API is defined separately in the server so that it stays stable when this changes.

#![deny(missing_docs)]

mod alert;
mod country;
mod date;
mod diff;
mod entity;
mod identifier;
mod name;
mod ownership;
mod version;

pub use alert::AlertReason;
pub use country::{CountryCode, country_code, country_name};
pub use date::{DateOfBirth, PartialDate};
pub use diff::{ChangedEntity, ListDiff, diff_entities};
pub use entity::{Address, Entity, EntityId, Gender, Link, Schema, SourceRecord};
pub use identifier::{Identifier, IdentifierKind};
pub use name::{Name, NameKind, NameParts};
pub use ownership::{Relation, RelationKind, Share, Stake, diff_relations, relation_hash};
pub use version::{ListVersion, canonical_hash, content_hash, content_hash_of, entity_hash};
