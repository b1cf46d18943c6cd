//! The `size-class-grew` rule (major): a message's `BUFFER_CLASS` is larger than in the base.

use super::{Bump, Rule};

/// `size-class-grew`: a message's `BUFFER_CLASS` is larger than in the base.
pub const RULE: Rule = Rule {
    code: "size-class-grew",
    name: "buffer class grew",
    description: "A message's `BUFFER_CLASS` is larger than in the base",
    bump: Bump::Major,
    breaks: "A receiver deployed with the old contracts rejects payloads larger than its buffer class, and its pool has no buffers of the new size: new senders cannot reach old receivers.",
    noun: "size-class change of",
};
