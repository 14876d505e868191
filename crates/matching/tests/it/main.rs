//! Behaviour tests of matching on real lists (OFAC SDN, UN): evasions, false alerts on a
//! synthetic portfolio, name pairs, free-text scanning and screening. One test binary, so
//! the lists are parsed and indexed once for all of them (`common`'s shared indexes) and
//! linked once. `behaviour.rs` keeps a binary of its own: its insta snapshots are named
//! after it.

#[path = "../common/mod.rs"]
mod common;

mod evasion;
mod false_alerts;
mod name_pairs;
mod scan;
mod screening;
