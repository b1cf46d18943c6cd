//! The `service-added` rule (minor): a service that the base does not have.

use super::{Bump, Rule};

/// `service-added`: a service that the base does not have.
pub const RULE: Rule = Rule {
    code: "service-added",
    name: "service added",
    description: "A service that the base does not have",
    bump: Bump::Minor,
    breaks: "Nothing breaks: a new pool configuration and constructor are generated.",
    noun: "addition of service",
};
