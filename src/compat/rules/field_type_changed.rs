//! The `field-type-changed` rule (major): a field has a new type or a changed fixed `count`, or embeds a message whose layout changed.

use super::{Bump, Rule};

/// `field-type-changed`: a field has a new type or a changed fixed `count`, or embeds a message whose layout changed.
pub const RULE: Rule = Rule {
    code: "field-type-changed",
    name: "field type changed",
    description: "A field has a new type or a changed fixed `count`, or embeds a message whose layout changed",
    bump: Bump::Major,
    breaks: "The field's bytes mean something else or have another size, so every later field moves: a peer deployed with the base contracts decodes garbage or rejects the payload.",
    noun: "type change of field",
};
