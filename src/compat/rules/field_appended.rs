//! The `field-appended` rule (minor): new field(s) after the last field of the base.

use super::{Bump, Rule};

/// `field-appended`: new field(s) after the last field of the base.
pub const RULE: Rule = Rule {
    code: "field-appended",
    name: "field appended",
    description: "New field(s) after the last field of the base",
    bump: Bump::Minor,
    breaks: "Old readers ignore trailing bytes within the class and new readers give missing trailing fields their default, so peers interoperate; the message's size grows (see `size-class-grew` when it leaves its class). In Rust, the generated struct gains a field, so struct literals of it stop compiling: build messages as `Trade { price_e8, ..Default::default() }` and they keep compiling across minor versions.",
    noun: "appended field",
};
