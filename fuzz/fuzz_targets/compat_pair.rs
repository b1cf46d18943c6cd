//! cargo-fuzz target `compat_pair`: see `props::compat_pair` for the properties checked.
#![no_main]

#[path = "../props.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::compat_pair(data));
