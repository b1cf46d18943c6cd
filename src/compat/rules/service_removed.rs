//! The `service-removed` rule (major): a service of the base is gone.

use super::{Bump, Rule};

/// `service-removed`: a service of the base is gone.
pub const RULE: Rule = Rule {
    code: "service-removed",
    name: "service removed",
    description: "A service of the base is gone",
    bump: Bump::Major,
    breaks: "The service's generated pool configuration and constructor disappear: its deployment no longer builds, and peers that route messages to it find no handler.",
    noun: "removal of service",
};
