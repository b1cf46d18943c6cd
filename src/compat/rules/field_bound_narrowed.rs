//! The `field-bound-narrowed` rule (major): `max_len` or `max_count` is lower than in the base.

use super::{Bump, Rule};

/// `field-bound-narrowed`: `max_len` or `max_count` is lower than in the base.
pub const RULE: Rule = Rule {
    code: "field-bound-narrowed",
    name: "field bound narrowed",
    description: "`max_len` or `max_count` is lower than in the base",
    bump: Bump::Major,
    breaks: "A sender deployed with the base contracts may send values longer than the new bound, which a receiver built from the new contracts rejects; the fields after it also move to lower offsets.",
    noun: "narrowed bound of field",
};
