//! Replays every committed fuzz seed (`fuzz/corpus/<target>/`) through the property the fuzz
//! target checks: a deterministic regression test of the fuzzers' findings in `cargo test`.

use std::path::Path;

use crate::props;

fn replay(target: &str, property: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{target}: only {} seeds in {}", files.len(), dir.display());
    for file in files {
        let data = std::fs::read(&file).unwrap();
        if let Err(panic) = std::panic::catch_unwind(|| property(&data)) {
            let msg =
                panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
            panic!("{target}: seed {} fails: {}", file.display(), msg.unwrap_or_default());
        }
    }
}

#[test]
fn load_check_corpus() {
    replay("load_check", props::load_check);
}

#[test]
fn compat_pair_corpus() {
    replay("compat_pair", props::compat_pair);
}

#[test]
fn frame_reader_corpus() {
    replay("frame_reader", props::frame_reader);
}

#[test]
fn views_corpus() {
    replay("views", props::views);
}

/// The payloads the `decode` fuzzer found, viewed: views accept what `decode` accepts.
#[test]
fn decode_corpus_through_views() {
    replay("decode", |data| {
        props::view_matches_decode::<mycelium_contracts::generated::SwapEvent>(data);
        props::view_matches_decode::<mycelium_contracts::generated::PoolStateUpdate>(data);
        props::view_matches_decode::<mycelium_contracts::generated::LargeMessage>(data);
        props::view_matches_decode::<mycelium_contracts::generated::BookUpdate>(data);
        props::view_matches_decode::<mycelium_contracts::generated::PriceLevel>(data);
    });
}

#[test]
fn decode_corpus() {
    replay("decode", props::decode);
}

/// The properties are not vacuous: the repository's contracts load clean, and a stream cut
/// inside a frame is seen as truncated by both readers.
#[test]
fn properties_see_what_they_check() {
    let text = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts/contracts.yaml")).unwrap();
    let analysis = props::check_one("contracts.yaml", &text);
    assert!(analysis.is_ok() && analysis.contracts.is_some(), "{:?}", analysis.diagnostics);
    let bad = props::check_one("bad.yaml", b"version: [1\n");
    assert!(bad.contracts_doc().is_none());
    let stream = [1u8, 0, 4, 0, 0, 0, 9, 9];
    let (frames, end) = props::reference_frames(&stream, 128, None);
    assert!(frames.is_empty() && end == props::End::Truncated);
    let mut input = vec![1u8, 1, 1, 1, 1, 1, 1, 1, 1];
    input.extend_from_slice(&stream);
    props::frame_reader(&input);
}
