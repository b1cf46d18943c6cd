//! The trading services' shared code: the message types generated from `contracts/` (committed
//! under `src/contracts/`, kept fresh by `cargo xtask check-contracts`) and the loopback pair.

#[path = "contracts/contracts.rs"]
#[rustfmt::skip]
pub mod contracts;

/// How many orders the trader sends by default.
pub const DEFAULT_ORDERS: u64 = 10_000;

/// The price the matcher accepts at or below, in units of 1e-8.
pub const LIMIT_E8: i64 = 100_000_000_000;
