//! The rule catalogue, as data (rendered as `docs/reference/rules.md`).
//!
//! Each rule is one unit in its own file (`rules/<code>.rs`, the code with `_` for `-`), in the
//! manner of cargo-semver-checks' lint files: its code, a human name, a description, the semver
//! bump it requires and what breaks for whom. [`RULES`] registers every one; a test fails when a
//! rule file exists that is not registered, or a registered rule has no old/new test pair under
//! `tests/compat/cases/<code>/`.

mod description_changed;
mod examples;
mod field_appended;
mod field_bound_narrowed;
mod field_bound_widened;
mod field_inserted;
mod field_moved;
mod field_removed;
mod field_renamed;
mod field_type_changed;
mod message_added;
mod message_removed;
mod message_renamed;
mod message_type_id_changed;
mod pool_setting_changed;
mod service_added;
mod service_message_added;
mod service_message_removed;
mod service_removed;
mod size_class_grew;

use std::fmt;

/// The semver bump a change requires, or a version change declares. Ordered: `None < Patch <
/// Minor < Major`, so the bump a set of changes requires is their maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    /// Nothing changed that needs a new version.
    None,
    /// Invisible on the wire and in the API (documentation, pool settings): a new patch version.
    Patch,
    /// Backward compatible: peers deployed with the base contracts keep working. A new minor
    /// version (a new patch version under `0.y.z`).
    Minor,
    /// Breaks peers deployed with the base contracts or code built from them: a new major
    /// version (a new minor version under `0.y.z`, a new patch version under `0.0.z`).
    Major,
}

impl Bump {
    /// `none`, `patch`, `minor` or `major`, as in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One compatibility rule.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// The stable kebab-case code (`size-class-grew`).
    pub code: &'static str,
    /// A short human name (`buffer class grew`).
    pub name: &'static str,
    /// When the rule fires, in one sentence.
    pub description: &'static str,
    /// The bump every change of this rule requires.
    pub bump: Bump,
    /// What breaks, and for whom, when such a change ships without that bump.
    pub breaks: &'static str,
    /// How the change is named in advice (`revert the size-class change of SwapEvent`): this
    /// text followed by the change's subject.
    pub noun: &'static str,
}

/// `message-removed` (major).
pub const MESSAGE_REMOVED: &Rule = &message_removed::RULE;
/// `message-renamed` (major).
pub const MESSAGE_RENAMED: &Rule = &message_renamed::RULE;
/// `message-type-id-changed` (major).
pub const MESSAGE_TYPE_ID_CHANGED: &Rule = &message_type_id_changed::RULE;
/// `field-removed` (major).
pub const FIELD_REMOVED: &Rule = &field_removed::RULE;
/// `field-renamed` (major).
pub const FIELD_RENAMED: &Rule = &field_renamed::RULE;
/// `field-type-changed` (major).
pub const FIELD_TYPE_CHANGED: &Rule = &field_type_changed::RULE;
/// `field-inserted` (major).
pub const FIELD_INSERTED: &Rule = &field_inserted::RULE;
/// `field-moved` (major).
pub const FIELD_MOVED: &Rule = &field_moved::RULE;
/// `field-bound-narrowed` (major).
pub const FIELD_BOUND_NARROWED: &Rule = &field_bound_narrowed::RULE;
/// `size-class-grew` (major).
pub const SIZE_CLASS_GREW: &Rule = &size_class_grew::RULE;
/// `service-removed` (major).
pub const SERVICE_REMOVED: &Rule = &service_removed::RULE;
/// `service-message-removed` (major).
pub const SERVICE_MESSAGE_REMOVED: &Rule = &service_message_removed::RULE;
/// `message-added` (minor).
pub const MESSAGE_ADDED: &Rule = &message_added::RULE;
/// `field-appended` (minor).
pub const FIELD_APPENDED: &Rule = &field_appended::RULE;
/// `field-bound-widened` (major).
pub const FIELD_BOUND_WIDENED: &Rule = &field_bound_widened::RULE;
/// `service-added` (minor).
pub const SERVICE_ADDED: &Rule = &service_added::RULE;
/// `service-message-added` (minor).
pub const SERVICE_MESSAGE_ADDED: &Rule = &service_message_added::RULE;
/// `description-changed` (patch).
pub const DESCRIPTION_CHANGED: &Rule = &description_changed::RULE;
/// `pool-setting-changed` (patch).
pub const POOL_SETTING_CHANGED: &Rule = &pool_setting_changed::RULE;

/// Every rule: the major ones first, then the minor, then the patch ones.
pub const RULES: &[&Rule] = &[
    MESSAGE_REMOVED,
    MESSAGE_RENAMED,
    MESSAGE_TYPE_ID_CHANGED,
    FIELD_REMOVED,
    FIELD_RENAMED,
    FIELD_TYPE_CHANGED,
    FIELD_INSERTED,
    FIELD_MOVED,
    FIELD_BOUND_NARROWED,
    FIELD_BOUND_WIDENED,
    SIZE_CLASS_GREW,
    SERVICE_REMOVED,
    SERVICE_MESSAGE_REMOVED,
    MESSAGE_ADDED,
    FIELD_APPENDED,
    SERVICE_ADDED,
    SERVICE_MESSAGE_ADDED,
    DESCRIPTION_CHANGED,
    POOL_SETTING_CHANGED,
];

/// The registered rule with `code`.
pub fn find(code: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.code == code)
}

/// The registered code closest to `code` (for "did you mean"), if any is reasonably close.
pub fn closest(code: &str) -> Option<&'static str> {
    RULES
        .iter()
        .map(|r| (strsim::damerau_levenshtein(code, r.code), r.code))
        .filter(|&(d, c)| d <= (c.len() / 3).max(2))
        .min()
        .map(|(_, c)| c)
}

/// The catalogue as a table (`check-contracts --list-rules`): code, bump and description of
/// every rule, in the order of [`RULES`].
pub fn list() -> String {
    let width = RULES.iter().map(|r| r.code.len()).max().unwrap_or(0);
    let mut out = format!("{:width$}  {:5}  {}\n", "CODE", "BUMP", "WHEN");
    for r in RULES {
        out.push_str(&format!("{:width$}  {:5}  {}\n", r.code, r.bump.as_str(), r.description));
    }
    out.push_str("\nRun `cargo xtask check-contracts --explain CODE` for what each change breaks.\n");
    out
}

/// One rule in full (`check-contracts --explain CODE`), or, for an unknown code, an error
/// message with the closest code.
pub fn explain(code: &str) -> Result<String, String> {
    let Some(r) = find(code) else {
        let hint = match closest(code) {
            Some(c) => format!("; did you mean `{c}`?"),
            None => "; `--list-rules` lists them".to_string(),
        };
        return Err(format!("unknown compatibility rule `{code}`{hint}"));
    };
    let version = match r.bump {
        Bump::Major => "a new major version: x.0.0 (0.y.z: a new y; 0.0.z: a new z)",
        Bump::Minor => "a new minor version: x.y.0 (0.y.z: a new z)",
        Bump::Patch => "a new patch version: x.y.z+1",
        Bump::None => "no new version",
    };
    let example = match examples::witness(r.code) {
        Some((change, witness)) => format!(
            "\nOn the wire, for example ({change}, computed by encoding with one version and decoding with the other):\n  {witness}\n"
        ),
        None => {
            "\nOn the wire: nothing changes; what breaks is the generated API, the JSON form, or a service's setup.\n"
                .to_string()
        }
    };
    Ok(format!(
        "{code} ({bump}): {name}\n\nWhen: {desc}.\n\nWhat breaks: {breaks}\n{example}\nRequires: {version}.\n",
        code = r.code,
        bump = r.bump,
        name = r.name,
        desc = r.description,
        breaks = r.breaks,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_bumps_follow_the_spec() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.code), "{} registered twice", r.code);
            assert!(r.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{}", r.code);
            assert!(!r.name.is_empty() && !r.description.is_empty() && !r.breaks.is_empty());
            assert_ne!(r.bump, Bump::None, "{} requires no bump", r.code);
        }
        let majors = RULES.iter().filter(|r| r.bump == Bump::Major).count();
        let minors = RULES.iter().filter(|r| r.bump == Bump::Minor).count();
        let patches = RULES.iter().filter(|r| r.bump == Bump::Patch).count();
        assert_eq!((majors, minors, patches), (13, 4, 2));
    }

    #[test]
    fn every_rule_file_is_registered() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/compat/rules");
        let mut files = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let Some(stem) = name.strip_suffix(".rs") else { continue };
            if stem == "mod" || stem == "examples" {
                continue;
            }
            files += 1;
            let code = stem.replace('_', "-");
            assert!(find(&code).is_some(), "rule file {name} is not registered in RULES");
            let text = std::fs::read_to_string(dir.join(&name)).unwrap();
            assert!(text.contains(&format!("code: \"{code}\"")), "{name} does not define the code {code}");
        }
        assert_eq!(files, RULES.len(), "RULES lists a rule without a file");
    }

    #[test]
    fn every_rule_has_a_test_pair() {
        let cases = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compat/cases");
        for r in RULES {
            let dir = cases.join(r.code);
            for f in ["old.yaml", "new.yaml", "expected.txt"] {
                assert!(dir.join(f).is_file(), "rule {} has no tests/compat/cases/{}/{f}", r.code, r.code);
            }
        }
    }

    #[test]
    fn bumps_are_ordered_and_did_you_mean_finds_codes() {
        assert!(Bump::None < Bump::Patch && Bump::Patch < Bump::Minor && Bump::Minor < Bump::Major);
        assert_eq!(closest("size-class-grow"), Some("size-class-grew"));
        assert_eq!(closest("feld-removed"), Some("field-removed"));
        assert_eq!(closest("zzzz"), None);
    }

    #[test]
    fn list_and_explain() {
        let list = list();
        for r in RULES {
            assert!(list.contains(r.code), "{}", r.code);
        }
        let text = explain("size-class-grew").unwrap();
        assert!(text.starts_with("size-class-grew (major): buffer class grew\n"), "{text}");
        assert!(text.contains("rejects payloads larger than its buffer class"), "{text}");
        assert_eq!(
            explain("size-class-grow").unwrap_err(),
            "unknown compatibility rule `size-class-grow`; did you mean `size-class-grew`?"
        );
        assert!(explain("zzzz").unwrap_err().contains("--list-rules"));
    }
}
