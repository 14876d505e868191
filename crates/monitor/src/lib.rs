//! Continuous monitoring of a customer portfolio against sanctions lists.
//!
//! A bank screens its customers once, then only what changes: new or changed customers
//! against the whole of the active lists ([`screen_customers`], "full mode"), and, after a
//! list import, only the added or changed listed entities against the whole portfolio
//! ([`Portfolio::screen_entities`], "delta mode"). Delta mode turns the index around: the
//! portfolio is indexed as a pseudo-list (customer `C` becomes entity `portfolio:C`) and each
//! changed listed entity queries it with every one of its names, so a 400-entity update
//! against a million customers costs 400 small lookups, not a million screenings.
//!
//! Delta mode only *finds* candidates. Every candidate pair is then scored exactly as full
//! mode scores it (the customer as the query, against the index of the active lists), so the
//! two modes report the same pairs with the same scores and explanations; see
//! [`Portfolio::screen_entities`] for the one limit of the reverse lookup.
//!
//! [`plan`] then decides, against the alerts already raised, which hits are new alerts, which
//! repeat a decided pair and stay suppressed, which re-raise a decided pair because a side
//! changed in a way that matters to matching ([`match_fingerprint`]), and which open alerts
//! close because their entity left the list.
//!
//! The crate receives data and returns hits and plans; it does no I/O. The caller (the CLI,
//! the server) loads customers and entities from the store and saves what the plan says. It
//! knows `interdict-model` and `interdict-matching` and nothing else of the workspace.

#![deny(missing_docs)]

mod customer;
mod fingerprint;
mod plan;
mod screen;

pub use customer::{Customer, PORTFOLIO_LIST, query_for};
pub use fingerprint::match_fingerprint;
pub use interdict_model::AlertReason;
pub use plan::{Changes, Plan, Prior, PriorState, plan};
pub use screen::{DELTA_MARGIN, DeltaOutcome, Hit, Portfolio, screen_customers};
