//! interdict's application layer: each use case written once, under every front-end.
//!
//! The libraries below know one job each (`sources` parses, `matching` screens, `store`
//! keeps, `monitor` plans alerts); the front-ends above (`cli`, `server`) turn arguments
//! and HTTP requests into calls of this crate and map its [`Error`]s. Between them this
//! crate owns the use cases — list import ([`lists`]), screening with its audit record and
//! replay ([`screening`]), monitoring runs ([`monitoring`]) — and the JSON contracts they
//! answer in ([`contract`]), so the command line's `--json`, the API and webhook bodies
//! share one shape per concept.
//!
//! Invariant: front-ends hold no business rules. A rule about what may be screened,
//! imported, activated or recorded lives here (or below), never in `cli` or `server`.
//! This crate knows neither HTTP nor the command line (no axum, no clap).

#![deny(missing_docs)]

pub mod alert_queue;
pub mod alerts;
pub mod contract;
pub mod cross_list;
pub mod datasets;
pub mod entity_history;
mod error;
pub mod list_history;
pub mod lists;
pub mod monitoring;
pub mod ownership;
pub mod payments;
pub mod portfolio;
pub mod scan;
pub mod screening;
pub mod yente;

pub use cross_list::{CrossListParties, OtherListing, PartyMatch};
pub use error::Error;
pub use screening::{ActiveLists, IgnoredField, Limits, Screening};
