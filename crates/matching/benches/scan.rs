//! Free-text scanning throughput (placeholder until the scanner lands).
fn main() {}
