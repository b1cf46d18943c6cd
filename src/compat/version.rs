//! Reading the declared bump from two `version` values, the way Cargo reads compatibility
//! (`docs/reference/compatibility.md`).
//!
//! For `x.y.z` with `x ≥ 1` a new `x` is major, a new `y` minor, a new `z` patch. Below 1.0 the
//! leftmost non-zero component is the "major" one: for `0.y.z` (`y ≥ 1`) a new `y` is major and
//! a new `z` minor; for `0.0.z` a new `z` is major.
//!
//! A pre-release promises nothing to the pre-releases of its own `x.y.z` nor to that release
//! itself: between two versions with the same `x.y.z` where either is a pre-release
//! (`2.0.0-rc.1` → `2.0.0-rc.2`, `2.0.0-rc.2` → `2.0.0`), any change is allowed, so a higher one
//! declares [`Bump::Major`]. Otherwise a pre-release is compared by its `x.y.z`
//! (`1.2.0-rc.1` → `1.3.0` is minor). Build metadata (`+build.7`) is ignored, as semver orders
//! versions.

use std::cmp::Ordering;

use semver::Version;

use super::Bump;

/// How the `version` moved between the base and the new contracts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionChange {
    /// The new version is higher and declares this bump (never [`Bump::None`]).
    Bumped(Bump),
    /// Both versions are equal (build metadata aside).
    Unchanged,
    /// The new version is lower than the base's.
    Decreased,
}

/// Parses a contract `version` (leading/trailing blanks tolerated, as the checks accept them).
pub fn parse(version: &str) -> Option<Version> {
    Version::parse(version.trim()).ok()
}

/// The change from `base` to `new`, read the Cargo way.
pub fn declared(base: &Version, new: &Version) -> VersionChange {
    match cmp_precedence(base, new) {
        Ordering::Equal => return VersionChange::Unchanged,
        Ordering::Greater => return VersionChange::Decreased,
        Ordering::Less => {}
    }
    let same_release = (base.major, base.minor, base.patch) == (new.major, new.minor, new.patch);
    if same_release && (!base.pre.is_empty() || !new.pre.is_empty()) {
        return VersionChange::Bumped(Bump::Major);
    }
    let bump = if base.major != new.major {
        Bump::Major
    } else if base.major >= 1 {
        if base.minor != new.minor { Bump::Minor } else { Bump::Patch }
    } else if base.minor >= 1 {
        if base.minor != new.minor {
            Bump::Major
        } else if base.patch != new.patch {
            Bump::Minor
        } else {
            Bump::Patch
        }
    } else if base.minor != new.minor || base.patch != new.patch {
        Bump::Major
    } else {
        Bump::Patch
    };
    VersionChange::Bumped(bump)
}

/// Semver precedence: build metadata does not count.
fn cmp_precedence(a: &Version, b: &Version) -> Ordering {
    (a.major, a.minor, a.patch).cmp(&(b.major, b.minor, b.patch)).then_with(|| a.pre.cmp(&b.pre))
}

/// The smallest version after `base` that declares `bump` (`1.2.3` + major = `2.0.0`, `0.3.1` +
/// major = `0.4.0`, `0.0.4` + minor = `0.0.5`). After a pre-release, its release allows any
/// change (`2.0.0-rc.1` + major = `2.0.0`). `None` for [`Bump::None`].
pub fn next(base: &Version, bump: Bump) -> Option<Version> {
    let (major, minor, patch) = (base.major, base.minor, base.patch);
    if bump != Bump::None && !base.pre.is_empty() {
        return Some(Version::new(major, minor, patch));
    }
    // Which component a bump of each kind moves: 0 = major, 1 = minor, 2 = patch.
    let component = if bump == Bump::None {
        return None;
    } else if major >= 1 {
        match bump {
            Bump::Major => 0,
            Bump::Minor => 1,
            _ => 2,
        }
    } else if minor >= 1 && bump == Bump::Major {
        1
    } else {
        2
    };
    Some(match component {
        0 => Version::new(major + 1, 0, 0),
        1 => Version::new(major, minor + 1, 0),
        _ => Version::new(major, minor, patch + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str) -> VersionChange {
        declared(&parse(a).unwrap(), &parse(b).unwrap())
    }

    #[test]
    fn one_point_oh_and_later() {
        assert_eq!(d("1.2.3", "2.0.0"), VersionChange::Bumped(Bump::Major));
        assert_eq!(d("1.2.3", "1.3.0"), VersionChange::Bumped(Bump::Minor));
        assert_eq!(d("1.2.3", "1.2.4"), VersionChange::Bumped(Bump::Patch));
        assert_eq!(d("1.2.3", "1.2.3"), VersionChange::Unchanged);
        assert_eq!(d("1.2.3", "1.2.3+build.5"), VersionChange::Unchanged);
        assert_eq!(d("1.2.3", "1.2.2"), VersionChange::Decreased);
        assert_eq!(d("2.0.0", "1.9.9"), VersionChange::Decreased);
        assert_eq!(d("1.3.0", "1.3.0-rc.1"), VersionChange::Decreased);
    }

    #[test]
    fn a_pre_release_promises_nothing_within_its_release() {
        // Same x.y.z with a pre-release on either side: any change is allowed.
        assert_eq!(d("2.0.0-rc.1", "2.0.0-rc.2"), VersionChange::Bumped(Bump::Major));
        assert_eq!(d("1.3.0-rc.1", "1.3.0"), VersionChange::Bumped(Bump::Major));
        assert_eq!(d("2.0.0-rc.1", "2.0.0-rc.1"), VersionChange::Unchanged);
        assert_eq!(d("2.0.0-rc.2", "2.0.0-rc.1"), VersionChange::Decreased);
        // Otherwise the pre-release is compared by its x.y.z.
        assert_eq!(d("1.2.0-rc.1", "1.3.0"), VersionChange::Bumped(Bump::Minor));
        assert_eq!(d("1.2.0", "1.3.0-rc.1"), VersionChange::Bumped(Bump::Minor));
        assert_eq!(d("1.2.0-rc.1", "1.2.1"), VersionChange::Bumped(Bump::Patch));
        assert_eq!(d("1.9.0", "2.0.0-rc.1"), VersionChange::Bumped(Bump::Major));
        // Build metadata is ignored.
        assert_eq!(d("1.2.3+build.7", "1.2.3+build.8"), VersionChange::Unchanged);
        assert_eq!(d("1.2.3+build.7", "1.2.4"), VersionChange::Bumped(Bump::Patch));
    }

    #[test]
    fn zero_y_z_shifts_one_place() {
        assert_eq!(d("0.3.1", "0.4.0"), VersionChange::Bumped(Bump::Major));
        assert_eq!(d("0.3.1", "0.3.2"), VersionChange::Bumped(Bump::Minor));
        assert_eq!(d("0.3.1", "1.0.0"), VersionChange::Bumped(Bump::Major));
        assert_eq!(d("0.3.1", "0.2.9"), VersionChange::Decreased);
    }

    #[test]
    fn zero_zero_z_is_always_major() {
        assert_eq!(d("0.0.4", "0.0.5"), VersionChange::Bumped(Bump::Major));
        assert_eq!(d("0.0.4", "0.1.0"), VersionChange::Bumped(Bump::Major));
        assert_eq!(d("0.0.4", "0.0.4"), VersionChange::Unchanged);
    }

    #[test]
    fn next_versions_declare_exactly_the_bump() {
        let n = |v: &str, b| next(&parse(v).unwrap(), b).map(|v| v.to_string());
        assert_eq!(n("1.2.3", Bump::Major).as_deref(), Some("2.0.0"));
        assert_eq!(n("1.2.3", Bump::Minor).as_deref(), Some("1.3.0"));
        assert_eq!(n("1.2.3", Bump::Patch).as_deref(), Some("1.2.4"));
        assert_eq!(n("0.3.1", Bump::Major).as_deref(), Some("0.4.0"));
        assert_eq!(n("0.3.1", Bump::Minor).as_deref(), Some("0.3.2"));
        assert_eq!(n("0.0.4", Bump::Major).as_deref(), Some("0.0.5"));
        assert_eq!(n("2.0.0-rc.1", Bump::Major).as_deref(), Some("2.0.0"));
        assert_eq!(n("2.0.0-rc.1", Bump::Patch).as_deref(), Some("2.0.0"));
        assert_eq!(n("1.2.3", Bump::None), None);
        for base in ["1.2.3", "0.3.1", "0.0.4", "2.0.0-rc.1", "1.4.0-alpha"] {
            for bump in [Bump::Patch, Bump::Minor, Bump::Major] {
                let b = parse(base).unwrap();
                let v = next(&b, bump).unwrap();
                match declared(&b, &v) {
                    VersionChange::Bumped(got) => assert!(got >= bump, "{base} -> {v}: {got:?} < {bump:?}"),
                    other => panic!("{base} -> {v}: {other:?}"),
                }
            }
        }
    }
}
