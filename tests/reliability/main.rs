//! Reliability tests: the fuzz seed corpora replayed through the fuzz properties, the
//! hostile-document suite, the loopback soak test with injected faults (pool exhaustion under load is in
//! `tests/runtime/limit.rs`).
//!
//! The binary counts heap bytes (the counting allocator of `tests/support/alloc.rs`): per thread,
//! and for the whole process with its peak. The tests that move a lot of memory hold [`HEAVY`], so a process-wide
//! peak taken under it counts the threads a check spawns and little else.

#[path = "../../fuzz/props.rs"]
mod props;

mod corpus;
#[path = "../support/alloc.rs"]
mod counting;
mod hostile;
mod soak;
mod soak_engine;

/// Serializes the tests that move a lot of memory, so process-wide heap figures mean something.
pub static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());
