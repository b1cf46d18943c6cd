//! A schema-first IDL for fixed-layout TLV messages.
//!
//! One contracts document declares the messages of a system and the services that handle them.
//! From it, this crate checks the contracts (JSON Schema, located diagnostics, semver
//! compatibility with a base revision), generates Rust message types and per-service buffer-pool
//! plans, and runs them: a buffer pool and an async TLV frame codec with no heap allocation per
//! message in steady state.
//!
//! This is the API documentation. The user guide, the reference of the contract format, the
//! diagnostics, the compatibility rules and the command line are in the repository's `docs/`
//! directory.
//!
//! # What a service uses
//!
//! * [`runtime`]: [`BufferPool`](runtime::BufferPool), [`PooledBuffer`](runtime::PooledBuffer),
//!   [`SharedBuffer`](runtime::SharedBuffer), the frame codec ([`write_frame`](runtime::write_frame),
//!   [`read_frame_pooled`](runtime::read_frame_pooled), [`FrameReader`](runtime::FrameReader)),
//!   the [`Message`](runtime::Message) trait and the inline types generated code uses. Always
//!   compiled.
//! * Generated code: `cargo xtask codegen --out DIR`, or `build::Builder` in a build script,
//!   writes a module that depends only on [`runtime`]. The module generated from this
//!   repository's own example contracts is `generated` (feature `demo`); the examples below use
//!   it.
//!
//! A message encodes to exactly `MAX_SIZE` bytes and decodes without allocating:
//!
//! ```
//! # #[cfg(feature = "demo")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use mycelium_contracts::generated::SwapEvent;
//! use mycelium_contracts::runtime::{Address, Message, U256};
//!
//! let swap = SwapEvent {
//!     pool_address: Address([7; 20]),
//!     amount_in: U256::from(1_000_000_u64),
//!     amount_out: U256::from(999_000_u64),
//! };
//! let mut buf = [0u8; SwapEvent::MAX_SIZE];
//! let n = swap.encode(&mut buf)?;
//! assert_eq!((n, SwapEvent::TYPE_ID, SwapEvent::BUFFER_CLASS), (84, 1, 128));
//! assert_eq!(SwapEvent::decode(&buf[..n])?, swap);
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "demo"))]
//! # fn main() {}
//! ```
//!
//! Frames travel as `| type_id: u16 LE | length: u32 LE | payload |`. A service reads them into
//! buffers of its generated pool, with its per-type limits:
//!
//! ```
//! # #[cfg(feature = "demo")]
//! # fn main() {
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! use mycelium_contracts::generated::{MESSAGE_LIMITS, SwapEvent, services};
//! use mycelium_contracts::runtime::{FrameLimits, FrameReader, Message, write_frame};
//!
//! // The sending side: header and payload in one write.
//! let mut payload = [0u8; SwapEvent::MAX_SIZE];
//! let n = SwapEvent::default().encode(&mut payload)?;
//! let mut wire = Vec::new();
//! write_frame(&mut wire, SwapEvent::TYPE_ID, &payload[..n]).await?;
//!
//! // The receiving side: any `AsyncRead`, here the bytes written above.
//! let pool = services::polygon_adapter::buffer_pool();
//! let mut frames = FrameReader::new(&wire[..], pool).with_limits(FrameLimits::new(MESSAGE_LIMITS));
//! while let Some((type_id, payload)) = frames.next_frame().await? {
//!     assert_eq!(type_id, SwapEvent::TYPE_ID);
//!     assert_eq!(SwapEvent::decode(&payload)?, SwapEvent::default());
//! } // each payload returns to the pool when dropped
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! # }
//! # #[cfg(not(feature = "demo"))]
//! # fn main() {}
//! ```
//!
//! # The tooling
//!
//! The checker, the compatibility check, the code generator and `decode` are used through the
//! command line (`cli`, feature `cli`) and the build-script `build::Builder` (feature `build`).
//! A service never compiles them.
//!
//! # Cargo features
//!
//! * `pools-json` (default): read generated `pools.json` files
//!   (`ServiceConfig::from_pools_json`).
//! * `codec`: `FrameCodec`, tokio-util's `Decoder` and `Encoder`.
//! * `serde`: serde support of the runtime's inline types (and derives on `generated`).
//! * `cli`: the command line, `cli::main`, for the `mycelium-contracts` binary and a one-line
//!   xtask.
//! * `build`: `build::Builder`, code generation in a build script.
//! * `checker`: the tooling both of them run on; it adds no public item of its own.
//! * `internals`: makes the tooling's modules public, for this crate's own tests, fuzz targets
//!   and benchmarks. They carry no stability promise: do not depend on them.
//! * `demo`: `generated`, the types of this repository's own example contracts.
#![warn(missing_docs, missing_debug_implementations)]
// Without `cli` (`checker` alone, or `build`), parts of the tooling have no caller; the
// dead-code lint watches the tooling in the builds that use all of it (`cli`, `internals`).
#![cfg_attr(all(feature = "checker", not(any(feature = "cli", feature = "internals"))), allow(dead_code))]

// Lets generated code name `::mycelium_contracts::runtime` from inside this crate too.
extern crate self as mycelium_contracts;

pub mod runtime;

/// The message types and service pool configurations generated from this repository's example
/// contracts (`contracts/contracts.yaml`) by `cargo xtask codegen` (feature `demo`).
#[cfg(feature = "demo")]
#[path = "generated/contracts.rs"]
#[rustfmt::skip]
pub mod generated;

#[cfg(feature = "build")]
pub mod build;
#[cfg(feature = "cli")]
pub mod cli;

/// Declares the tooling's modules: crate-private, or public with the `internals` feature.
///
/// The tooling is used through [`cli`] and [`build`]; its modules are this crate's internals.
/// The `internals` feature makes them public for this crate's own tests, fuzz targets and
/// benchmarks, with no stability promise; what only those call is compiled with that feature
/// alone (`#[cfg(feature = "internals")]`), so the dead-code lint keeps watching the rest.
macro_rules! tooling {
    ($($(#[$attr:meta])* mod $name:ident;)*) => {$(
        #[cfg(all(feature = "checker", feature = "internals"))]
        $(#[$attr])*
        pub mod $name;
        #[cfg(all(feature = "checker", not(feature = "internals")))]
        #[allow(unused_imports)]
        $(#[$attr])*
        pub(crate) mod $name;
    )*};
}

tooling! {
    #[cfg(any(feature = "cli", feature = "internals"))]
    mod command;
    mod config;
    mod check;
    mod codegen;
    mod compat;
    mod diagnostic;
    mod dynamic;
    mod load;
    mod model;
    mod report;
    mod schema;
    mod source;
}
