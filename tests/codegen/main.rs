//! Code generation: golden files, and the generated code compiled and exercised.
//!
//! The golden `expected.rs` files are compiled here as modules, so every test below runs the
//! code the generator actually writes. They are `#[rustfmt::skip]`: the generator formats them.

#[allow(dead_code)]
#[path = "fixtures/all_types/expected.rs"]
#[rustfmt::skip]
mod all_types;
#[allow(dead_code)]
#[path = "fixtures/awkward/expected.rs"]
#[rustfmt::skip]
mod awkward;
#[allow(dead_code)]
#[path = "fixtures/enums/expected.rs"]
#[rustfmt::skip]
mod enums;
#[allow(dead_code)]
#[path = "fixtures/evolution_v1/expected.rs"]
#[rustfmt::skip]
mod evolution_v1;
#[allow(dead_code)]
#[path = "fixtures/evolution_v2/expected.rs"]
#[rustfmt::skip]
mod evolution_v2;
/// Generated from the contracts of `seeded.rs`'s generator (`fixtures/seeded/contracts.json`).
#[allow(dead_code)]
#[path = "fixtures/seeded/expected.rs"]
#[rustfmt::skip]
mod seeded_contracts;
#[allow(dead_code)]
#[path = "fixtures/spec/expected.rs"]
#[rustfmt::skip]
mod spec;

/// The same generated file through `include!`, as a build script's output is used.
#[allow(dead_code)]
mod included {
    include!("fixtures/all_types/expected.rs");

    #[test]
    fn an_included_file_compiles_and_works() {
        use mycelium_contracts::runtime::Message;
        let v = <Scalars as ::core::default::Default>::default();
        let mut buf = vec![0; Scalars::MAX_SIZE];
        assert_eq!(v.encode(&mut buf).ok(), Some(Scalars::MAX_SIZE));
        assert!(Scalars::decode(&buf).is_ok_and(|d| d == v));
    }
}

mod alloc;
mod command;
mod committed;
#[path = "../support/alloc.rs"]
mod counting;
mod dynamic;
mod enum_types;
mod errors;
mod evolution;
mod fresh;
mod golden;
mod layout;
mod props;
mod random;
mod seeded;
mod views;
