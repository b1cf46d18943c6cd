//! The plain runtime: a buffer pool and an async TLV frame codec.
//!
//! Always compiled; depends on `tokio` (io-util) and `bytes` only (plus `serde_json` for
//! reading `pools.json`, behind the default `pools-json` feature).

mod config;
mod inline;
mod message;

pub use config::{MessageClass, ServiceConfig, SizeClassConfig};
#[cfg(feature = "serde")]
pub use inline::serde_array;
pub use inline::{Address, CapacityError, Hash, I256, InlineBytes, InlineString, InlineVec, ParseValueError, U256};
pub use message::{DecodeError, DecodeErrorKind, EncodeError, FieldReader, FieldWriter, Message, WireField};
