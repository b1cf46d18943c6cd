//! The `field-appended` rule (minor): new field(s) after the last field of the base.

use super::{Bump, Rule};

/// `field-appended`: new field(s) after the last field of the base.
pub const RULE: Rule = Rule {
    code: "field-appended",
    name: "field appended",
    description: "New field(s) after the last field of the base",
    bump: Bump::Minor,
    breaks: "On the wire nothing breaks: a reader deployed with the base contracts ignores the trailing bytes (the payload stays within its per-type limit, the message's buffer class, unless `size-class-grew` says otherwise), and a new reader gives the fields missing from an older payload their default value. In Rust, struct literals of the generated type that list every field stop compiling: write them with `..Default::default()`.",
    noun: "appended field",
};
