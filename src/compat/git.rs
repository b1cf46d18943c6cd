//! Reading a base revision with git: the same files, `git show REV:PATH`, in the repository
//! that holds each file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A file of the base revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseFile {
    /// The file's contents at the revision, shown as `REV:PATH` (`origin/main:contracts/contracts.yaml`).
    Found {
        /// `REV:PATH`, the path relative to the repository root.
        name: String,
        /// The contents.
        bytes: Vec<u8>,
    },
    /// The file did not exist at the revision.
    Absent {
        /// `REV:PATH`.
        name: String,
    },
}

/// Why the base could not be read (the command exits with 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitError(pub String);

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GitError {}

fn git(dir: &Path, args: &[&str]) -> Result<Output, GitError> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| GitError(format!("cannot run git to read the base revision: {e}")))
}

/// The repository root that holds `path` and `path` relative to it, with `/` separators.
fn locate_in_repo(path: &Path) -> Result<(PathBuf, String), GitError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let out = git(dir, &["rev-parse", "--show-toplevel"])?;
    if !out.status.success() {
        return Err(GitError(format!(
            "`{}` is not inside a git repository, so --base cannot read it at another revision",
            path.display()
        )));
    }
    let top = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim_end_matches(['\n', '\r']));
    let canon_top = top.canonicalize().unwrap_or_else(|_| top.clone());
    let canon = path.canonicalize().map_err(|e| GitError(format!("cannot read `{}`: {e}", path.display())))?;
    let rel = canon
        .strip_prefix(&canon_top)
        .map_err(|_| GitError(format!("`{}` is outside the git repository at `{}`", path.display(), top.display())))?;
    let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
    Ok((canon_top, rel))
}

/// Reads `path` as it was at revision `rev`, in the repository that holds `path`.
///
/// Errors: git is missing, `path` is not in a repository, or `rev` is not a revision the
/// repository knows. A file that did not exist at `rev` is [`BaseFile::Absent`].
pub fn read_at(rev: &str, path: &Path) -> Result<BaseFile, GitError> {
    let (top, rel) = locate_in_repo(path)?;
    // A revision starting with `-` would be read as an option.
    let known = !rev.starts_with('-')
        && git(&top, &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])?.status.success();
    if !known {
        return Err(GitError(format!(
            "unknown git revision `{rev}` in the repository at `{}` (for a pull request, fetch the base branch: `git fetch origin <branch>`, or check out with `fetch-depth: 0`)",
            top.display()
        )));
    }
    let name = format!("{rev}:{rel}");
    let spec = format!("{rev}:{rel}");
    if !git(&top, &["cat-file", "-e", &spec])?.status.success() {
        return Ok(BaseFile::Absent { name });
    }
    let out = git(&top, &["show", &spec])?;
    if !out.status.success() {
        return Err(GitError(format!("git show {spec} failed: {}", String::from_utf8_lossy(&out.stderr).trim_end())));
    }
    Ok(BaseFile::Found { name, bytes: out.stdout })
}
