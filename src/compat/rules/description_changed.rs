//! The `description-changed` rule (patch): a message's or field's `description` changed.

use super::{Bump, Rule};

/// `description-changed`: a message's or field's `description` changed.
pub const RULE: Rule = Rule {
    code: "description-changed",
    name: "description changed",
    description: "A message's or field's `description` changed",
    bump: Bump::Patch,
    breaks: "Only the doc comments of the generated code change; the wire format and the API are the same.",
    noun: "description change of",
};
