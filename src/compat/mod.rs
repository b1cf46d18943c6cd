//! The compatibility check (`docs/reference/compatibility.md`): compares the contracts with a base revision,
//! lists the changes under the rules of the catalogue, and decides whether the declared
//! `version` covers them.
//!
//! The pipeline is pure up to the rendering:
//!
//! 1. [`diff`] compares two [`Contracts`](crate::model::Contracts) with their
//!    [`Layout`](crate::model::Layout)s and yields [`Change`]s, each under a [`Rule`] of
//!    [`rules::RULES`] and located by a [`Place`] in the base or the new document;
//! 2. [`verdict()`] takes the maximum bump over the changes and reads the declared bump from the
//!    two `version` values the Cargo way ([`version`]), producing the version findings;
//! 3. the caller resolves the places to positions ([`ChangeLocation`]) into a [`Comparison`]: data
//!    that [`crate::report`] renders as the `compat` JSON object, human text, GitHub annotations
//!    or a Markdown comment.
//!
//! ```
//! use mycelium_contracts::compat::{self, Side};
//! use mycelium_contracts::model::{Contracts, Layout};
//!
//! let base: Contracts = serde_json::from_str(r#"{"version": "1.0.0", "messages": [
//!     {"name": "Ping", "type_id": 1, "fields": [{"name": "seq", "type": "u64"}]}]}"#).unwrap();
//! let mut new = base.clone();
//! new.version = "1.1.0".into();
//! new.messages[0].fields[0].ty = "u128".into();
//! let (bl, nl) = (Layout::compute(&base), Layout::compute(&new));
//! let changes = compat::diff(Side::new(&base, &bl), Side::new(&new, &nl));
//! assert_eq!(changes[0].rule.code, "field-type-changed");
//! assert_eq!(changes[0].text, "Ping.seq: type u64 -> u128");
//! // What it does on the wire, computed by encoding with one version and decoding with the other.
//! assert_eq!(
//!     changes[0].witness.as_deref(),
//!     Some("a 1.0.0 reader decodes a 1.1.0 Ping {seq: 1000000000000000000000000000001} as seq: 5076944270305263617")
//! );
//! let verdict = compat::verdict(&base.version, &new.version, &changes);
//! assert_eq!(verdict.required, compat::Bump::Major);
//! assert_eq!(verdict.findings[0].code.as_str(), "version-bump-too-small");
//! assert_eq!(verdict.advice.as_deref(), Some("bump `version` to 2.0.0, or revert the type change of field Ping.seq"));
//! ```

mod comparison;
mod diff;
pub mod git;
pub mod rules;
mod run;
mod verdict;
pub mod version;
pub mod witness;

pub use comparison::{ChangeLocation, Comparison, MessageSizes, PoolChange};
pub use diff::{Change, DocSide, Place, ServiceKey, Side, Subject, diff};
pub use rules::{Bump, RULES, Rule};
pub use run::{Base, PreparedBase, compare_with_base, locate_place, prepare_base};
pub use verdict::{Verdict, VersionFinding, verdict};
