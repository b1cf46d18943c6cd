//! Integration tests of the runtime: pool, buffers, shared frames, codec, interop.
//!
//! The binary installs a counting global allocator (counts per thread, so tests running in
//! parallel do not disturb each other) to assert zero allocations per frame in steady state.

mod alloc;
mod codec;
#[path = "../support/alloc.rs"]
mod counting;
#[cfg(feature = "demo")]
mod generated;
mod interop;
mod limit;
mod mock;
mod pool;
mod typed;
