//! Tests of the compatibility check: one old/new pair per rule (and pairs for what must not
//! fire), version readings, reports and the `--base` options of `check-contracts`.

mod cases;
mod cli;
mod oracle;
mod snapshots;
mod support;
mod verdicts;
mod wire;
