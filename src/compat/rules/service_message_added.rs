//! The `service-message-added` rule (minor): a service lists a message it did not handle in the base.

use super::{Bump, Rule};

/// `service-message-added`: a service lists a message it did not handle in the base.
pub const RULE: Rule = Rule {
    code: "service-message-added",
    name: "service handles a new message",
    description: "A service lists a message it did not handle in the base",
    bump: Bump::Minor,
    breaks: "Nothing breaks for existing peers; the service's pool may gain a size class, which changes its memory budget.",
    noun: "addition of a message to service",
};
