//! Findings: a stable code, a severity, a message and a location in a source file.
//!
//! Every stage of the checker (loader, schema, semantic checks, compatibility) reports
//! [`Diagnostic`]s; the reporters (human, JSON, GitHub, Markdown) only render them.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use crate::source::SourceFile;

/// How bad a finding is. Only errors make `check-contracts` exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth a look; never fails the run.
    Warning,
    /// Fails the run.
    Error,
}

impl Severity {
    /// `error` or `warning`, as in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The stable code of a finding (`docs/reference/diagnostics.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Code {
    /// The file is not valid YAML / JSON / TOML, or not UTF-8.
    ParseError,
    /// The document does not match `schema/contracts.schema.json`.
    SchemaViolation,
    /// `version` is not a semver version.
    InvalidVersion,
    /// A service names a message that is not defined.
    UnknownMessage,
    /// A field's type is neither a built-in type, a message nor an enum.
    UnknownType,
    /// Two messages share a name.
    DuplicateMessage,
    /// Two messages share a `type_id`.
    DuplicateTypeId,
    /// Two fields of one message share a name.
    DuplicateField,
    /// A service is declared twice.
    DuplicateService,
    /// `string`/`bytes` without `max_len`.
    UnboundedField,
    /// A message embeds itself, directly or not.
    RecursiveMessage,
    /// `MAX_SIZE` over 65,536 bytes.
    MessageTooLarge,
    /// Two names of one enum share a number.
    DuplicateEnumValue,
    /// An enum value does not fit the enum's wire type.
    EnumValueOutOfRange,
    /// A service names a message that has no `type_id`.
    MessageNotFramed,
    /// Committed generated files differ from what `cargo xtask codegen` writes.
    GeneratedStale,
    /// The declared version bump is smaller than the change requires.
    VersionBumpTooSmall,
    /// Something changed but `version` did not.
    VersionNotBumped,
    /// `version` is lower than the base's.
    VersionDecreased,
}

impl Code {
    /// Every code, in the documented order.
    #[cfg(feature = "internals")]
    pub const ALL: &'static [Code] = &[
        Code::ParseError,
        Code::SchemaViolation,
        Code::InvalidVersion,
        Code::UnknownMessage,
        Code::UnknownType,
        Code::DuplicateMessage,
        Code::DuplicateTypeId,
        Code::DuplicateField,
        Code::DuplicateService,
        Code::UnboundedField,
        Code::RecursiveMessage,
        Code::MessageTooLarge,
        Code::DuplicateEnumValue,
        Code::EnumValueOutOfRange,
        Code::MessageNotFramed,
        Code::GeneratedStale,
        Code::VersionBumpTooSmall,
        Code::VersionNotBumped,
        Code::VersionDecreased,
    ];

    /// The kebab-case code, as printed and in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::ParseError => "parse-error",
            Code::SchemaViolation => "schema-violation",
            Code::InvalidVersion => "invalid-version",
            Code::UnknownMessage => "unknown-message",
            Code::UnknownType => "unknown-type",
            Code::DuplicateMessage => "duplicate-message",
            Code::DuplicateTypeId => "duplicate-type-id",
            Code::DuplicateField => "duplicate-field",
            Code::DuplicateService => "duplicate-service",
            Code::UnboundedField => "unbounded-field",
            Code::RecursiveMessage => "recursive-message",
            Code::MessageTooLarge => "message-too-large",
            Code::DuplicateEnumValue => "duplicate-enum-value",
            Code::EnumValueOutOfRange => "enum-value-out-of-range",
            Code::MessageNotFramed => "message-not-framed",
            Code::GeneratedStale => "generated-stale",
            Code::VersionBumpTooSmall => "version-bump-too-small",
            Code::VersionNotBumped => "version-not-bumped",
            Code::VersionDecreased => "version-decreased",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a finding points: a byte range in a source file, with its 1-based line and column.
#[derive(Debug, Clone)]
pub struct Location {
    /// The file.
    pub source: Arc<SourceFile>,
    /// Byte range of the offending value (or key).
    pub span: Range<usize>,
    /// 1-based line of `span.start`.
    pub line: usize,
    /// 1-based column (in characters) of `span.start`.
    pub column: usize,
}

impl Location {
    /// The location of `span` in `source`.
    pub fn new(source: &Arc<SourceFile>, span: Range<usize>) -> Self {
        let (line, column) = source.line_col(span.start);
        Location { source: Arc::clone(source), span, line, column }
    }
}

/// One finding.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Severity.
    pub severity: Severity,
    /// One sentence, no trailing period.
    pub message: String,
    /// Where it is; `None` only for findings about no particular place.
    pub location: Option<Location>,
    /// Short text shown under the offending value.
    pub label: Option<String>,
    /// What to do ("did you mean `SwapEvent`?").
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error with `code` and `message`, not yet located.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic { code, severity: Severity::Error, message: message.into(), location: None, label: None, help: None }
    }

    /// Sets the severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Locates the finding at `span` of `source`.
    pub fn at(mut self, source: &Arc<SourceFile>, span: Range<usize>) -> Self {
        self.location = Some(Location::new(source, span));
        self
    }

    /// Adds a label under the offending value.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sort key: file, then position, then code.
    pub fn sort_key(&self) -> (&str, usize, Code) {
        match &self.location {
            Some(l) => (l.source.name(), l.span.start, self.code),
            None => ("", 0, self.code),
        }
    }
}
