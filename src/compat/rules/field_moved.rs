//! The `field-moved` rule (major): fields present in both versions are in a different order.

use super::{Bump, Rule};

/// `field-moved`: fields present in both versions are in a different order.
pub const RULE: Rule = Rule {
    code: "field-moved",
    name: "field moved",
    description: "Fields present in both versions are in a different order",
    bump: Bump::Major,
    breaks: "Fields sit at fixed offsets in declaration order: reordering them makes a peer deployed with the base contracts read each moved field from another field's bytes.",
    noun: "move of field",
};
