//! mycelium-contracts: a schema-first IDL for fixed-layout TLV messages.
//!
//! One file, `contracts/contracts.yaml`, declares the messages of a trading system and the
//! services that handle them. This crate
//!
//! * ships the plain [`runtime`]: a lock-free buffer pool and an async TLV frame codec that
//!   reach zero heap allocations per message in steady state (always compiled);
//! * holds the [`generated`] message types and pool configs of the repository's own contracts;
//! * behind the `checker` feature (enabled by the `xtask`, never needed by a service): the
//!   contract [`model`], the span-preserving loader, JSON Schema validation, located diagnostics,
//!   the semver compatibility check and the code generator.
//!
//! See `ARCHITECTURE` in the README for the module map and its invariants.
#![warn(missing_docs, missing_debug_implementations)]

// Lets generated code name `::mycelium_contracts::runtime` from inside this crate too.
extern crate self as mycelium_contracts;

pub mod runtime;

#[path = "generated/contracts.rs"]
pub mod generated;

#[cfg(feature = "checker")]
pub mod check;
#[cfg(feature = "checker")]
pub mod codegen;
#[cfg(feature = "checker")]
pub mod compat;
#[cfg(feature = "checker")]
pub mod diagnostic;
#[cfg(feature = "checker")]
pub mod dynamic;
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
