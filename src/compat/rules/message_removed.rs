//! The `message-removed` rule (major): a message of the base is gone (matched by name, and by `type_id` for renames).

use super::{Bump, Rule};

/// `message-removed`: a message of the base is gone (matched by name, and by `type_id` for renames).
pub const RULE: Rule = Rule {
    code: "message-removed",
    name: "message removed",
    description: "A message of the base is gone (matched by name, and by `type_id` for renames)",
    bump: Bump::Major,
    breaks: "Services deployed with the base contracts still send and expect this `type_id`; a receiver built from the new contracts no longer knows it and drops or rejects those frames, and code that names the generated type stops compiling.",
    noun: "removal of message",
};
