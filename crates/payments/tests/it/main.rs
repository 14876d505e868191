//! Integration tests of interdict-payments: the formats and screening on fixtures and the
//! development messages, and the replay of every saved fuzz input. One test binary for the
//! crate.

mod fuzz_replay;
mod payments;
