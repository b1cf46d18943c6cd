//! The report of a `check-contracts` run and its renderers, one file per format, each rendering
//! the findings and the comparison alike: human (miette), JSON (`docs/reference/json-report.md`,
//! derive-serialized structs whose declaration order is the key order), GitHub Actions workflow
//! commands, and a Markdown pull-request comment.
//!
//! A [`Report`] is plain data built from an [`Analysis`] by [`Report::from_analysis`]. The
//! compatibility check adds to it before it is rendered: its version findings go onto
//! [`Report::diagnostics`], the comparison into [`Report::compat`], and notes ("no base")
//! into [`Report::notes`].

mod github;
mod human;
mod json;
mod markdown;
mod verdict;

use std::fmt;
use std::str::FromStr;

pub use github::render_github;
pub use human::{HumanStyle, render_human};
pub use json::render_json;
#[cfg(feature = "internals")]
pub use json::to_json;
pub use markdown::render_markdown;
pub use verdict::summary_line;

use crate::check::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::PoolClass;

/// Output format of `check-contracts` (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// miette-rendered findings, the pool plan and a summary line.
    #[default]
    Human,
    /// One JSON document (`docs/reference/json-report.md`).
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=CODE::message`).
    Github,
    /// Markdown for a pull-request comment: the compatibility verdict and tables (with a base),
    /// then the findings.
    Markdown,
}

impl OutputFormat {
    /// `human`, `json` or `github`.
    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Human => "human",
            OutputFormat::Json => "json",
            OutputFormat::Github => "github",
            OutputFormat::Markdown => "markdown",
        }
    }
}

impl FromStr for OutputFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "human" => Ok(OutputFormat::Human),
            "json" => Ok(OutputFormat::Json),
            "github" => Ok(OutputFormat::Github),
            "markdown" => Ok(OutputFormat::Markdown),
            other => Err(format!("unknown format `{other}`: expected human, json, github or markdown")),
        }
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One message a service handles, with its sizes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMessage {
    /// Message name.
    pub name: String,
    /// `MAX_SIZE` in bytes.
    pub max_size: u64,
    /// `BUFFER_CLASS` in bytes.
    pub buffer_class: u64,
}

/// What a service will allocate: its messages and its pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePlan {
    /// Service name.
    pub name: String,
    /// `buffer_pool_enabled`.
    pub enabled: bool,
    /// Handled messages, in the service's order.
    pub messages: Vec<PlannedMessage>,
    /// Pool size classes, ascending (empty when the pool is disabled).
    pub classes: Vec<PoolClass>,
}

impl ServicePlan {
    /// Bytes the pool holds when every class is full.
    pub fn memory_bytes(&self) -> u64 {
        self.classes.iter().map(|c| c.size.saturating_mul(c.capacity)).sum()
    }
}

/// Everything a renderer shows.
#[derive(Debug, Clone)]
pub struct Report {
    /// Display name of the contracts document.
    pub contracts_file: String,
    /// The contract `version`, when the document has one.
    pub version: Option<String>,
    /// Every finding, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Number of messages in the model.
    pub message_count: usize,
    /// Per-service plans (shown by the human renderer when there is no error).
    pub services: Vec<ServicePlan>,
    /// The comparison with a base; `None` (JSON `null`) without one.
    pub compat: Option<crate::compat::Comparison>,
    /// Notes about the run (`the base has no contracts file: no compatibility check`): in the
    /// human output after the findings, on standard error for the other formats.
    pub notes: Vec<String>,
}

impl Report {
    /// The report of `analysis` (no compatibility section).
    pub fn from_analysis(analysis: &Analysis) -> Self {
        let contracts_file = analysis
            .contracts_source()
            .map(|s| s.name().to_string())
            .unwrap_or_else(|| crate::config::DEFAULT_CONTRACTS.to_string());
        let mut services = Vec::new();
        let mut message_count = 0;
        if let (Some(c), Some(l)) = (&analysis.contracts, &analysis.layout) {
            message_count = c.messages.len();
            for name in c.services.keys() {
                let Some(plan) = l.pool_plan(c, name) else { continue };
                let messages = plan
                    .messages
                    .iter()
                    .filter_map(|(m, class)| {
                        let layout = l.by_name(m)?.as_ref().ok()?;
                        Some(PlannedMessage { name: m.clone(), max_size: layout.max_size, buffer_class: *class })
                    })
                    .collect();
                services.push(ServicePlan {
                    name: name.clone(),
                    enabled: plan.enabled,
                    messages,
                    classes: plan.classes,
                });
            }
        }
        Report {
            contracts_file,
            version: analysis.version().map(str::to_string),
            diagnostics: analysis.diagnostics.clone(),
            message_count,
            services,
            compat: None,
            notes: Vec::new(),
        }
    }

    /// Whether no finding is an error.
    pub fn ok(&self) -> bool {
        self.count(Severity::Error) == 0
    }

    /// Number of findings of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    /// The exit status: 0 when no finding is an error, 1 when one is.
    pub fn exit_code(&self) -> u8 {
        if self.ok() { 0 } else { 1 }
    }

    /// Renders the report in `format` (human output with `style`).
    pub fn render(&self, format: OutputFormat, style: HumanStyle) -> String {
        match format {
            OutputFormat::Human => render_human(self, style),
            OutputFormat::Json => render_json(self),
            OutputFormat::Github => render_github(self),
            OutputFormat::Markdown => render_markdown(self),
        }
    }
}
