//! The `message-added` rule (minor): a message that the base does not have.

use super::{Bump, Rule};

/// `message-added`: a message that the base does not have.
pub const RULE: Rule = Rule {
    code: "message-added",
    name: "message added",
    description: "A message that the base does not have",
    bump: Bump::Minor,
    breaks: "Nothing breaks: peers deployed with the base contracts never send the new `type_id` and ignore it if they receive it.",
    noun: "addition of message",
};
