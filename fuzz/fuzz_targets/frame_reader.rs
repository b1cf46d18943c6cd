//! cargo-fuzz target `frame_reader`: see `props::frame_reader` for the properties checked.
#![no_main]

#[path = "../props.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::frame_reader(data));
