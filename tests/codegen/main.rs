//! Code generation: golden files, and the generated code compiled and exercised.
//!
//! The golden `expected.rs` files are compiled here as modules, so every test below runs the
//! code the generator actually writes.

#[allow(dead_code)]
#[path = "fixtures/all_types/expected.rs"]
mod all_types;
#[allow(dead_code)]
#[path = "fixtures/awkward/expected.rs"]
mod awkward;
#[allow(dead_code)]
#[path = "fixtures/evolution_v1/expected.rs"]
mod evolution_v1;
#[allow(dead_code)]
#[path = "fixtures/evolution_v2/expected.rs"]
mod evolution_v2;
#[allow(dead_code)]
#[path = "fixtures/spec/expected.rs"]
mod spec;

mod alloc;
mod command;
mod committed;
mod errors;
mod evolution;
mod fresh;
mod golden;
mod layout;
mod props;
mod random;
mod views;
