//! The `field-removed` rule (major): a field of the base is gone.

use super::{Bump, Rule};

/// `field-removed`: a field of the base is gone.
pub const RULE: Rule = Rule {
    code: "field-removed",
    name: "field removed",
    description: "A field of the base is gone",
    bump: Bump::Major,
    breaks: "Every later field moves to a lower offset: a receiver deployed with the base contracts reads the following bytes as the wrong fields, and code that names the field stops compiling.",
    noun: "removal of field",
};
