//! The `message-renamed` rule (major): a message keeps its `type_id` and layout but has a new name.

use super::{Bump, Rule};

/// `message-renamed`: a message keeps its `type_id` and layout but has a new name.
pub const RULE: Rule = Rule {
    code: "message-renamed",
    name: "message renamed",
    description: "A message keeps its `type_id` but has a new name (its fields are still compared)",
    bump: Bump::Major,
    breaks: "The wire format is unchanged, but the generated Rust type is renamed: every crate that names the old type stops compiling, and JSON forms keyed by the message name no longer match.",
    noun: "rename of message",
};
