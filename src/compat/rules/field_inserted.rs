//! The `field-inserted` rule (major): a new field appears anywhere but after the last field.

use super::{Bump, Rule};

/// `field-inserted`: a new field appears anywhere but after the last field.
pub const RULE: Rule = Rule {
    code: "field-inserted",
    name: "field inserted",
    description: "A new field appears anywhere but after the last field",
    bump: Bump::Major,
    breaks: "Every field after the insertion point moves to a higher offset: a receiver deployed with the base contracts reads them from the wrong place.",
    noun: "insertion of field",
};
