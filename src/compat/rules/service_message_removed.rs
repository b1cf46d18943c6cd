//! The `service-message-removed` rule (major): a service no longer lists a message it handled in the base.

use super::{Bump, Rule};

/// `service-message-removed`: a service no longer lists a message it handled in the base.
pub const RULE: Rule = Rule {
    code: "service-message-removed",
    name: "service no longer handles a message",
    description: "A service no longer lists a message it handled in the base",
    bump: Bump::Major,
    breaks: "Peers deployed with the base contracts keep sending the message to the service, which now drops it; the service's pool may lose the size class that message needed.",
    noun: "removal of a message from service",
};
