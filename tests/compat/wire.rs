//! What the bytes do: verdicts against encoding with one version and decoding with the other.

use std::path::PathBuf;

use crate::support::repo;
use mycelium_contracts::command::check::{Base, CheckArgs, run};
use mycelium_contracts::dynamic::{Codec, Value};
use mycelium_contracts::report::OutputFormat;
use serde_json::Value as Json;

use crate::support::contracts;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from("tests/compat/fixtures").join(name)
}

/// Raising `max_len` of a field that is not the last moves every later field: a 2.0.0 reader
/// reads the price of a 2.1.0 trade from the wrong bytes, without an error. The check must call
/// it major, and show it.
#[test]
fn widening_a_field_that_is_not_last_is_major_and_the_witness_shows_the_misread() {
    let (old, new) = (contracts(&fixture("trade-2.0.0.yaml")), contracts(&fixture("trade-2.1.0.yaml")));
    let (ol, nl) = (mycelium_contracts::model::Layout::compute(&old), mycelium_contracts::model::Layout::compute(&new));
    let (oc, nc) = (Codec::new(&old, &ol).unwrap(), Codec::new(&new, &nl).unwrap());

    // The bytes: a 2.1.0 writer, a 2.0.0 reader.
    let trade = Value::Message(vec![
        Value::Str("BTC-USDT".into()),
        Value::UInt(7),
        Value::UInt(42),
        Value::Int(9_700_000_000_000),
        Value::Int(150_000_000),
        Value::UInt(1),
    ]);
    let payload = nc.encode_to_vec(0, &trade).unwrap();
    let read = oc.decode(0, &payload).expect("the old reader raises no error");
    let Value::Message(fields) = &read else { unreachable!() };
    assert_eq!(fields[0], Value::Str("BTC-USDT".into()));
    assert_ne!(fields[3], Value::Int(9_700_000_000_000), "the price is read from the wrong bytes");

    // The verdict, through the whole command.
    let out = run(
        &CheckArgs {
            contracts: Some(fixture("trade-2.1.0.yaml")),
            base: Some(Base::File(fixture("trade-2.0.0.yaml"))),
            format: OutputFormat::Json,
            ..CheckArgs::default()
        },
        &repo(),
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let v: Json = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["compat"]["required_bump"], "major");
    assert_eq!(v["diagnostics"][0]["code"], "version-bump-too-small");
    let change = &v["compat"]["changes"][0];
    assert_eq!(change["code"], "field-bound-widened");
    assert_eq!(change["bump"], "major");
    assert_eq!(
        change["witness"],
        "a 2.0.0 reader decodes a 2.1.0 Trade {symbol: \"BTC-USDT\", venue_id: 1002} as venue_id: 0"
    );
}

/// The same change in the human and Markdown reports: the witness is under the change.
#[test]
fn the_witness_is_in_the_human_and_markdown_reports() {
    for format in [OutputFormat::Human, OutputFormat::Markdown, OutputFormat::Github] {
        let out = run(
            &CheckArgs {
                contracts: Some(fixture("trade-2.1.0.yaml")),
                base: Some(Base::File(fixture("trade-2.0.0.yaml"))),
                format,
                ..CheckArgs::default()
            },
            &repo(),
        );
        assert!(
            out.stdout
                .contains("a 2.0.0 reader decodes a 2.1.0 Trade {symbol: \"BTC-USDT\", venue_id: 1002} as venue_id: 0"),
            "{format:?}: {}",
            out.stdout
        );
    }
}
