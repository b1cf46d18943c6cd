//! The plain runtime: a buffer pool and an async TLV frame codec.
//!
//! Always compiled; depends on `tokio` (io-util) and `bytes` only (plus `serde_json` for
//! reading `pools.json`, behind the default `pools-json` feature).

mod config;

pub use config::{MessageClass, ServiceConfig, SizeClassConfig};
