//! The human and Markdown reports as a user sees them (insta snapshots under
//! `tests/compat/snapshots/`).

use std::path::PathBuf;

use crate::support::repo;
use mycelium_contracts::command::check::{Base, CheckArgs, run};
use mycelium_contracts::report::{HumanStyle, OutputFormat};

fn pr(format: OutputFormat) -> String {
    let out = run(
        &CheckArgs {
            contracts: Some(PathBuf::from("tests/compat/fixtures/pr-new.yaml")),
            base: Some(Base::File(PathBuf::from("tests/compat/fixtures/pr-base.yaml"))),
            format,
            style: HumanStyle::PLAIN,
            ..CheckArgs::default()
        },
        &repo(),
    );
    assert_eq!(out.code, 1);
    out.stdout
}

#[test]
fn human_report() {
    insta::assert_snapshot!("human_report", pr(OutputFormat::Human));
}

#[test]
fn markdown_report() {
    insta::assert_snapshot!("markdown_report", pr(OutputFormat::Markdown));
}

#[test]
fn github_annotations() {
    insta::assert_snapshot!("github_annotations", pr(OutputFormat::Github));
}

/// Enum changes: a value added, a value renumbered, an enum added, an embedded-only message
/// framed; their own table in both reports.
fn enums(format: OutputFormat) -> String {
    let out = run(
        &CheckArgs {
            contracts: Some(PathBuf::from("tests/compat/fixtures/enums-new.yaml")),
            base: Some(Base::File(PathBuf::from("tests/compat/fixtures/enums-base.yaml"))),
            format,
            style: HumanStyle::PLAIN,
            ..CheckArgs::default()
        },
        &repo(),
    );
    assert_eq!(out.code, 1, "Venue.Ice renumbered is major, 1.4.0 -> 1.5.0 declares minor");
    out.stdout
}

#[test]
fn enum_changes_human_report() {
    insta::assert_snapshot!("enums_human_report", enums(OutputFormat::Human));
}

#[test]
fn enum_changes_markdown_report() {
    insta::assert_snapshot!("enums_markdown_report", enums(OutputFormat::Markdown));
}

#[test]
fn enum_changes_json_report() {
    insta::assert_snapshot!("enums_json_report", enums(OutputFormat::Json));
}
