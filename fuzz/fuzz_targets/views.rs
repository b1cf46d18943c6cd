//! cargo-fuzz target `views`: see `props::views` for the properties checked.
#![no_main]

#[path = "../props.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::views(data));
