//! cargo-fuzz target `load_check`: see `props::load_check` for the properties checked.
#![no_main]

#[path = "../props.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::load_check(data));
