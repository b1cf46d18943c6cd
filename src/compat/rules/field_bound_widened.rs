//! The `field-bound-widened` rule (major): `max_len` or `max_count` is higher than in the base.

use super::{Bump, Rule};

/// `field-bound-widened`: `max_len` or `max_count` is higher than in the base.
pub const RULE: Rule = Rule {
    code: "field-bound-widened",
    name: "field bound widened",
    description: "`max_len` or `max_count` is higher than in the base",
    bump: Bump::Major,
    breaks: "Every field occupies its full maximum size, so a wider field is a longer field: the fields after it move, and a reader deployed with the base contracts reads them from the wrong bytes, often without an error; the elements of an array of strings or bytes move too; and a new reader finds every older payload cut inside the widened field. Add a new field at the end instead.",
    noun: "widened bound of field",
};
