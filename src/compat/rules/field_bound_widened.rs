//! The `field-bound-widened` rule (minor): `max_len` or `max_count` is higher than in the base.

use super::{Bump, Rule};

/// `field-bound-widened`: `max_len` or `max_count` is higher than in the base.
pub const RULE: Rule = Rule {
    code: "field-bound-widened",
    name: "field bound widened",
    description: "`max_len` or `max_count` is higher than in the base",
    bump: Bump::Minor,
    breaks: "Values the base accepted stay valid, but a receiver deployed with the base contracts rejects the longer values a new sender may produce, and the message's size grows.",
    noun: "widened bound of field",
};
