//! The ownership graph: which entities are blocked without being listed, because blocked
//! parties own or control them, under each regime's rule (OFAC's 50 percent rule, the EU's and
//! the UK's ownership and control tests).
//!
//! The caller builds an [`OwnershipGraph`] from the [`interdict_model::Relation`]s that hold
//! on a screening date ([`GraphBuilder`] drops ended and future ones), names the blocked
//! [`Seed`]s (entities of the active lists, per regime, or registry parties the matcher
//! resolved to listed ones, with the score), and [`Propagation::compute`]s the least fixed
//! point over chains and cycles. [`Propagation::report`] gives an entity's verdict per regime
//! with the paths that explain it, in the JSON of [`OwnershipReport`];
//! [`Propagation::update_seeds`] touches only what changed seeds can change (a new seed
//! propagates from where the fixed point stood; a removed one recomputes what it reached
//! through blocked entities) and returns the entities whose status changed, for monitoring.
//!
//! Stakes are ranges ([`interdict_model::Stake`]): every regime is propagated twice, on the
//! upper ends (the conservative verdict, `blocked`) and on the lower ends (`certain`).
//!
//! This crate does no I/O and knows only `interdict-model`: it never touches the store, the
//! matcher, files or the network.

#![deny(missing_docs)]

mod error;
mod graph;
mod propagate;
mod regime;
mod report;
mod state;

pub use error::Error;
pub use graph::{GraphBuilder, OwnershipGraph};
pub use regime::{EU_HALF_COUNTS_FROM, Regime, RegimeRule};
pub use report::{
    BlockedEntity, OwnershipPath, OwnershipReport, PathStep, RegimeVerdict, RegimeVerdicts,
    StatusChange, StepLink,
};
pub use state::{MAX_PATH_LENGTH, MAX_PATHS, Propagation, Seed, SeedLink};
