//! The `field-renamed` rule (major): a field keeps its position and type but has a new name.

use super::{Bump, Rule};

/// `field-renamed`: a field keeps its position and type but has a new name.
pub const RULE: Rule = Rule {
    code: "field-renamed",
    name: "field renamed",
    description: "A field keeps its position and type but has a new name",
    bump: Bump::Major,
    breaks: "The bytes on the wire are the same, but the generated struct field and the JSON form are renamed: code and JSON consumers that use the old name break.",
    noun: "rename of field",
};
