//! JSON pointers (RFC 6901): the one spelling of a place in a loaded document.
//!
//! The span index is keyed by pointers, and every finding is located through one, so every
//! pointer the checks and the compatibility check build goes through [`Pointer`]: a key is
//! escaped once, when it is pushed, by [`escape_pointer_token`].

use std::borrow::{Borrow, Cow};
use std::fmt;

/// Escapes one JSON-pointer reference token (`~` → `~0`, `/` → `~1`): the one spelling of a key
/// in every pointer the span index, the checks and the compatibility check build.
pub fn escape_pointer_token(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) { token.replace('~', "~0").replace('/', "~1").into() } else { token.into() }
}

/// A JSON pointer: `""` is the whole document, `/messages/0/name` the `name` of the first
/// message, `/services/a~1b` the service named `a/b`.
///
/// Built token by token with [`Pointer::push`] (or [`Pointer::with`]), which escapes mapping
/// keys, so a pointer is always well formed. A pointer also serves as a *relative* pointer (a
/// suffix such as `/fields/2/type`), appended to another with [`Pointer::join`].
///
/// ```
/// use mycelium_contracts::load::Pointer;
///
/// let field = Pointer::root().with("messages").with(0).with("fields").with(2);
/// assert_eq!(field.as_str(), "/messages/0/fields/2");
/// assert_eq!(Pointer::root().with("services").with("a/b").to_string(), "/services/a~1b");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

/// One reference token of a [`Pointer`]: a mapping key (`&str`, escaped when pushed) or a
/// sequence index (`usize`).
pub trait PointerToken {
    /// Appends `/` and the token, escaped, to `pointer`.
    fn push_onto(self, pointer: &mut String);
}

impl PointerToken for &str {
    fn push_onto(self, pointer: &mut String) {
        pointer.push('/');
        pointer.push_str(&escape_pointer_token(self));
    }
}

impl PointerToken for &String {
    fn push_onto(self, pointer: &mut String) {
        self.as_str().push_onto(pointer);
    }
}

impl PointerToken for usize {
    fn push_onto(self, pointer: &mut String) {
        use fmt::Write;
        // Writing to a `String` cannot fail.
        let _ = write!(pointer, "/{self}");
    }
}

impl Pointer {
    /// The pointer to the whole document (`""`); as a relative pointer, the empty suffix.
    pub fn root() -> Pointer {
        Pointer(String::new())
    }

    /// A pointer already spelled as RFC 6901 text (every `~` and `/` inside a token escaped),
    /// such as a JSON Schema validator's instance path. The text is taken as it is.
    pub fn from_escaped(text: &str) -> Pointer {
        debug_assert!(text.is_empty() || text.starts_with('/'), "not a JSON pointer: {text:?}");
        Pointer(text.to_string())
    }

    /// Appends one token: a key is escaped (`a/b` → `a~1b`), an index written in decimal.
    pub fn push(&mut self, token: impl PointerToken) -> &mut Pointer {
        token.push_onto(&mut self.0);
        self
    }

    /// This pointer with one more token (see [`Pointer::push`]).
    #[must_use]
    pub fn with(mut self, token: impl PointerToken) -> Pointer {
        self.push(token);
        self
    }

    /// This pointer followed by the relative pointer `suffix`.
    #[must_use]
    pub fn join(&self, suffix: &Pointer) -> Pointer {
        let mut text = String::with_capacity(self.0.len() + suffix.0.len());
        text.push_str(&self.0);
        text.push_str(&suffix.0);
        Pointer(text)
    }

    /// Whether this is the pointer to the whole document (or the empty suffix).
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The pointer as RFC 6901 text, as the span index takes it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The pointer as RFC 6901 text.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Pointer {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Pointer {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Pointer {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Pointer {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// A relative [`Pointer`] from its tokens: `pointer!["fields", j, "type"]` is `/fields/3/type`
/// for `j == 3`; `pointer![]` is the empty suffix. Keys are escaped.
macro_rules! pointer {
    ($($token:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut pointer = $crate::load::Pointer::root();
        $(pointer.push($token);)*
        pointer
    }};
}
pub(crate) use pointer;

#[cfg(test)]
mod tests {
    use super::Pointer;

    #[test]
    fn keys_are_escaped_and_indices_are_decimal() {
        let p = pointer!["services", "a/b~c", "messages", 12];
        assert_eq!(p.as_str(), "/services/a~1b~0c/messages/12");
        assert_eq!(pointer![], Pointer::root());
        assert_eq!(Pointer::root().with("messages").join(&pointer![3, "name"]), "/messages/3/name");
        assert_eq!(Pointer::from_escaped("/a~1b").with(&"x".to_string()), "/a~1b/x");
    }
}
