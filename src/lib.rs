//! mycelium-contracts: a schema-first IDL for fixed-layout TLV messages.
//!
//! One file, `contracts/contracts.yaml`, declares the messages of a trading system and the
//! services that handle them. This crate
//!
//! * ships the plain [`runtime`]: a lock-free buffer pool and an async TLV frame codec that
//!   reach zero heap allocations per message in steady state (always compiled);
//! * behind the `checker` feature (never needed by a service): the contract `model`, the
//!   span-preserving loader, JSON Schema validation, located diagnostics, the semver
//!   compatibility check, the code generator and the repository's `config`uration;
//! * behind the `cli` feature: the command line (`cli::main`), for the `mycelium-contracts`
//!   binary and a one-line xtask;
//! * behind the `build` feature: `build::Builder`, code generation in a build script;
//! * behind the `demo` feature: `generated`, the message types and pool configs of this
//!   repository's own example contracts.
//!
//! See `ARCHITECTURE` in the README for the module map and its invariants.
#![warn(missing_docs, missing_debug_implementations)]

// Lets generated code name `::mycelium_contracts::runtime` from inside this crate too.
extern crate self as mycelium_contracts;

pub mod runtime;

/// The message types and service pool configurations generated from this repository's example
/// contracts (`contracts/contracts.yaml`) by `cargo xtask codegen` (feature `demo`).
#[cfg(feature = "demo")]
#[path = "generated/contracts.rs"]
pub mod generated;

#[cfg(feature = "build")]
pub mod build;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "checker")]
pub mod config;

#[cfg(feature = "checker")]
pub mod check;
#[cfg(feature = "checker")]
pub mod codegen;
#[cfg(feature = "checker")]
pub mod compat;
#[cfg(feature = "checker")]
pub mod diagnostic;
#[cfg(feature = "checker")]
pub mod load;
#[cfg(feature = "checker")]
pub mod model;
#[cfg(feature = "checker")]
pub mod report;
#[cfg(feature = "checker")]
pub mod schema;
#[cfg(feature = "checker")]
pub mod source;
