//! The verdict: required bump, declared bump read the Cargo way, version findings and advice.

use std::path::Path;

use mycelium_contracts::compat::{self, Bump, version::VersionChange};

use crate::support::diff_files;

fn verdict_for(case: &str, base_version: &str, version: &str) -> compat::Verdict {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compat/cases").join(case);
    let (_, _, changes) = diff_files(&dir.join("old.yaml"), &dir.join("new.yaml"));
    compat::verdict(base_version, version, &changes)
}

fn codes(v: &compat::Verdict) -> Vec<&'static str> {
    v.findings.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn a_major_change_needs_a_major_version() {
    let v = verdict_for("size-class-grew", "1.2.0", "1.3.0");
    assert_eq!(v.required, Bump::Major);
    assert_eq!(v.declared, Some(VersionChange::Bumped(Bump::Minor)));
    assert_eq!(codes(&v), ["version-bump-too-small"]);
    assert_eq!(v.advice.as_deref(), Some("bump `version` to 2.0.0, or revert the size-class change of Quote"));
    assert_eq!(v.counts, [0, 1, 1]);
    assert!(verdict_for("size-class-grew", "1.2.0", "2.0.0").is_ok());
    // A larger bump than needed is fine.
    assert!(verdict_for("field-appended", "1.2.0", "2.0.0").is_ok());
    assert!(verdict_for("description-changed", "1.2.0", "1.3.0").is_ok());
}

#[test]
fn unchanged_and_decreased_versions() {
    let v = verdict_for("field-appended", "1.2.0", "1.2.0");
    assert_eq!(codes(&v), ["version-not-bumped"]);
    assert_eq!(v.declared_bump(), Some(Bump::None));
    assert_eq!(v.advice.as_deref(), Some("bump `version` to 1.3.0, or revert the appended field Ping.origin"));
    let v = verdict_for("field-appended", "1.2.0", "1.1.9");
    assert_eq!(codes(&v), ["version-decreased"]);
    assert_eq!(v.declared_bump(), None);
    // Nothing changed: the same version is fine, a lower one is not.
    let v = verdict_for("no-changes", "1.2.0", "1.2.0");
    assert!(v.is_ok());
    assert_eq!(v.required, Bump::None);
    assert_eq!(codes(&verdict_for("no-changes", "1.2.0", "1.0.0")), ["version-decreased"]);
}

#[test]
fn pre_one_point_oh_versions_read_the_cargo_way() {
    // 0.y.z: a new y is major, a new z minor.
    assert!(verdict_for("field-removed", "0.3.1", "0.4.0").is_ok());
    let v = verdict_for("field-removed", "0.3.1", "0.3.2");
    assert_eq!(codes(&v), ["version-bump-too-small"]);
    assert_eq!(v.advice.as_deref(), Some("bump `version` to 0.4.0, or revert the removal of field Quote.ticks"));
    assert!(verdict_for("field-appended", "0.3.1", "0.3.2").is_ok());
    assert!(verdict_for("description-changed", "0.3.1", "0.3.2").is_ok());
    // 0.0.z: every new z is major.
    assert!(verdict_for("field-removed", "0.0.4", "0.0.5").is_ok());
    assert_eq!(verdict_for("field-removed", "0.0.4", "0.0.5").declared, Some(VersionChange::Bumped(Bump::Major)));
    assert!(verdict_for("field-removed", "0.0.4", "0.1.0").is_ok());
    // 0.y.z to 1.0.0 is major.
    assert!(verdict_for("message-removed", "0.9.3", "1.0.0").is_ok());
}

#[test]
fn unreadable_versions_give_no_version_finding() {
    let v = verdict_for("field-removed", "1.2", "2.0.0");
    assert!(v.is_ok());
    assert_eq!(v.declared, None);
    assert_eq!(v.required, Bump::Major);
}

#[test]
fn advice_lists_at_most_three_changes() {
    let v = verdict_for("embedded-layout-propagates", "1.0.0", "1.0.1");
    assert_eq!(
        v.advice.as_deref(),
        Some(
            "bump `version` to 2.0.0, or revert the size-class change of Order, the type change of field \
             Route.first, the type change of field Route.second and 3 more changes"
        )
    );
}
