//! The rule catalogue, as data (rendered as `docs/reference/rules.md`).
//!
//! One table, the `catalogue!` invocation below, gives every rule once: its constant, code, bump,
//! human name, the noun used in advice, when it fires and what breaks for whom. The constants
//! (`rules::FIELD_APPENDED`), [`RULES`] and the rule table of the documentation all come from
//! it, so a rule cannot exist without being registered. Detection is in the diff (`diff.rs`), which
//! computes the matching of messages and fields once and raises these rules; a test fails when a
//! rule has no old/new test pair under `tests/compat/cases/<code>/`.

mod examples;

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

/// Declares every rule once: a constant per rule and [`RULES`] in table order.
macro_rules! catalogue {
    ($($ident:ident: $code:literal => $bump:ident, name: $name:literal, noun: $noun:literal,
        when: $when:literal,
        breaks: $breaks:literal;)*) => {
        $(
            #[doc = concat!("`", $code, "` (", stringify!($bump), "): ", $when, ".")]
            pub const $ident: &Rule = &Rule {
                code: $code,
                name: $name,
                description: $when,
                bump: Bump::$bump,
                breaks: $breaks,
                noun: $noun,
            };
        )*
        /// Every rule, majors first, then minors, then patches.
        pub const RULES: &[&Rule] = &[$($ident),*];
    };
}

catalogue! {
    MESSAGE_REMOVED: "message-removed" => Major, name: "message removed", noun: "removal of message",
        when: "A message of the base is gone (matched by name, and by `type_id` for renames)",
        breaks: "Services deployed with the base contracts still send and expect this `type_id`; a receiver built from the new contracts no longer knows it and drops or rejects those frames, and code that names the generated type stops compiling.";
    MESSAGE_RENAMED: "message-renamed" => Major, name: "message renamed", noun: "rename of message",
        when: "A message keeps its `type_id` but has a new name (its fields are still compared)",
        breaks: "The wire format is unchanged, but the generated Rust type is renamed: every crate that names the old type stops compiling, and JSON forms keyed by the message name no longer match.";
    MESSAGE_TYPE_ID_CHANGED: "message-type-id-changed" => Major, name: "message type_id changed", noun: "type_id change of",
        when: "A message keeps its name but has a new `type_id`",
        breaks: "The TLV type on the wire changed: a receiver deployed with the base contracts does not recognise frames with the new `type_id` and misreads any other message that now uses the old one.";
    FIELD_REMOVED: "field-removed" => Major, name: "field removed", noun: "removal of field",
        when: "A field of the base is gone",
        breaks: "Every later field moves to a lower offset: a receiver deployed with the base contracts reads the following bytes as the wrong fields, and code that names the field stops compiling.";
    FIELD_RENAMED: "field-renamed" => Major, name: "field renamed", noun: "rename of field",
        when: "A field keeps its position and type but has a new name",
        breaks: "The bytes on the wire are the same, but the generated struct field and the JSON form are renamed: code and JSON consumers that use the old name break.";
    FIELD_TYPE_CHANGED: "field-type-changed" => Major, name: "field type changed", noun: "type change of field",
        when: "A field has a new type or a changed fixed `count`, or embeds a message whose layout changed",
        breaks: "The field's bytes mean something else or have another size, so every later field moves: a peer deployed with the base contracts decodes garbage or rejects the payload.";
    FIELD_INSERTED: "field-inserted" => Major, name: "field inserted", noun: "insertion of field",
        when: "A new field appears anywhere but after the last field",
        breaks: "Every field after the insertion point moves to a higher offset: a receiver deployed with the base contracts reads them from the wrong place.";
    FIELD_MOVED: "field-moved" => Major, name: "field moved", noun: "move of field",
        when: "Fields present in both versions are in a different order",
        breaks: "Fields sit at fixed offsets in declaration order: reordering them makes a peer deployed with the base contracts read each moved field from another field's bytes.";
    FIELD_BOUND_NARROWED: "field-bound-narrowed" => Major, name: "field bound narrowed", noun: "narrowed bound of field",
        when: "`max_len` or `max_count` is lower than in the base",
        breaks: "A sender deployed with the base contracts may send values longer than the new bound, which a receiver built from the new contracts rejects; the fields after it also move to lower offsets.";
    FIELD_BOUND_WIDENED: "field-bound-widened" => Major, name: "field bound widened", noun: "widened bound of field",
        when: "`max_len` or `max_count` is higher than in the base",
        breaks: "Every field occupies its full maximum size, so a wider field is a longer field: the fields after it move, and a reader deployed with the base contracts reads them from the wrong bytes, often without an error; the elements of an array of strings or bytes move too; and a new reader finds every older payload cut inside the widened field. Add a new field at the end instead.";
    ENUM_REMOVED: "enum-removed" => Major, name: "enum removed", noun: "removal of enum",
        when: "An enum of the base is gone (the fields that use it change type too)",
        breaks: "Code that names the generated enum stops compiling, and every field that used it now has another type: its bytes mean something else, and the fields after it may move.";
    ENUM_VALUE_REMOVED: "enum-value-removed" => Major, name: "enum value removed", noun: "removal of enum value",
        when: "A name of the base is gone from an enum",
        breaks: "A sender deployed with the base contracts still sends the value, and a receiver built from the new contracts rejects every payload that holds it; code that names the variant stops compiling.";
    ENUM_VALUE_CHANGED: "enum-value-changed" => Major, name: "enum value changed", noun: "change of enum value",
        when: "An enum name keeps its place but has a new number, or a number has a new name",
        breaks: "The same number means another thing on each side: a peer deployed with the base contracts reads the value under another name, or rejects it, without knowing the sender meant something else.";
    ENUM_TYPE_CHANGED: "enum-type-changed" => Major, name: "enum wire type changed", noun: "wire-type change of enum",
        when: "An enum has a new wire type (every field using it changes layout too)",
        breaks: "Every field of the enum takes another number of bytes, so the fields after it move: a peer deployed with the base contracts reads them from the wrong bytes.";
    MESSAGE_FRAMING_CHANGED: "message-framing-changed" => Major, name: "message no longer framed", noun: "removal of the type_id of",
        when: "A message lost its `type_id`: it can no longer travel as a frame of its own",
        breaks: "Senders deployed with the base contracts still send frames of this `type_id`, which a receiver built from the new contracts no longer knows; services can no longer handle the message, and the generated `Message` impl, frame limit and dispatch variant disappear.";
    SIZE_CLASS_GREW: "size-class-grew" => Major, name: "buffer class grew", noun: "size-class change of",
        when: "A message's `BUFFER_CLASS` is larger than in the base",
        breaks: "A receiver deployed with the old contracts rejects payloads larger than its buffer class, and its pool has no buffers of the new size: new senders cannot reach old receivers.";
    SERVICE_REMOVED: "service-removed" => Major, name: "service removed", noun: "removal of service",
        when: "A service of the base is gone",
        breaks: "The service's generated pool configuration and constructor disappear: its deployment no longer builds, and peers that route messages to it find no handler.";
    SERVICE_MESSAGE_REMOVED: "service-message-removed" => Major, name: "service no longer handles a message", noun: "removal of a message from service",
        when: "A service no longer lists a message it handled in the base",
        breaks: "Peers deployed with the base contracts keep sending the message to the service, which now drops it; the service's pool may lose the size class that message needed.";
    MESSAGE_ADDED: "message-added" => Minor, name: "message added", noun: "addition of message",
        when: "A message that the base does not have",
        breaks: "Nothing breaks on the wire: peers deployed with the base contracts never send the new `type_id` and ignore it if they receive it. In Rust, a `match` on the generated `AnyMessage` (or on the `Inbound` of a service that now handles it) that lists every variant stops compiling: give it a wildcard arm.";
    FIELD_APPENDED: "field-appended" => Minor, name: "field appended", noun: "appended field",
        when: "New field(s) after the last field of the base",
        breaks: "On the wire nothing breaks: a reader deployed with the base contracts ignores the trailing bytes (the payload stays within its per-type limit, the message's buffer class, unless `size-class-grew` says otherwise), and a new reader gives the fields missing from an older payload their default value. In Rust, struct literals of the generated type that list every field stop compiling: write them with `..Default::default()`.";
    ENUM_ADDED: "enum-added" => Minor, name: "enum added", noun: "addition of enum",
        when: "An enum that the base does not have",
        breaks: "Nothing breaks: a new Rust enum is generated; fields that start using it change type, which is reported on those fields.";
    ENUM_VALUE_ADDED: "enum-value-added" => Minor, name: "enum value added", noun: "addition of enum value",
        when: "A new name with a new number in an enum",
        breaks: "A reader deployed with the base contracts rejects a payload holding the new value with a `DecodeError` naming the enum and the number (it never invents a variant); every other value reads as before. `match` expressions on the generated enum that list every variant stop compiling: add a wildcard arm.";
    MESSAGE_FRAMED: "message-framed" => Minor, name: "message framed", noun: "new type_id of",
        when: "An embedded-only message was given a `type_id`",
        breaks: "Nothing breaks: the message can now travel as a frame of its own, which peers deployed with the base contracts do not know and ignore or reject as any new `type_id`; its layout, and so every message that embeds it, is unchanged.";
    SERVICE_ADDED: "service-added" => Minor, name: "service added", noun: "addition of service",
        when: "A service that the base does not have",
        breaks: "Nothing breaks: a new pool configuration and constructor are generated.";
    SERVICE_MESSAGE_ADDED: "service-message-added" => Minor, name: "service handles a new message", noun: "addition of a message to service",
        when: "A service lists a message it did not handle in the base",
        breaks: "Nothing breaks for existing peers; the service's pool may gain a size class, which changes its memory budget. In Rust, a `match` on the service's generated `Inbound` that lists every variant stops compiling: give it a wildcard arm.";
    DESCRIPTION_CHANGED: "description-changed" => Patch, name: "description changed", noun: "description change of",
        when: "A message's or field's `description` changed",
        breaks: "Only the doc comments of the generated code change; the wire format and the API are the same.";
    POOL_SETTING_CHANGED: "pool-setting-changed" => Patch, name: "pool setting changed", noun: "pool-setting change of",
        when: "`buffer_pool_enabled` of a service was toggled",
        breaks: "The wire format is unchanged; the service allocates per message (pool disabled) or keeps a pool of idle buffers (pool enabled), which changes its memory use and allocation profile.";
}

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
        assert_eq!((majors, minors, patches), (18, 7, 2));
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
