//! The `message-type-id-changed` rule (major): a message keeps its name but has a new `type_id`.

use super::{Bump, Rule};

/// `message-type-id-changed`: a message keeps its name but has a new `type_id`.
pub const RULE: Rule = Rule {
    code: "message-type-id-changed",
    name: "message type_id changed",
    description: "A message keeps its name but has a new `type_id`",
    bump: Bump::Major,
    breaks: "The TLV type on the wire changed: a receiver deployed with the base contracts does not recognise frames with the new `type_id` and misreads any other message that now uses the old one.",
    noun: "type_id change of",
};
