//! `decode`: a frame stream (a file or standard input) to JSON lines, with the contracts read
//! at run time.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use crate::check::{Inputs, analyze};
use crate::config::Config;
use crate::dynamic::Codec;
use crate::dynamic::stream::{Accept, decode_stream};
use crate::report::{HumanStyle, OutputFormat, Report};

/// The arguments of `decode`.
#[derive(Debug, Clone, Default)]
pub struct DecodeArgs {
    /// The contracts document [default: `contracts/contracts.yaml`].
    pub contracts: Option<PathBuf>,
    /// Service-config files [default: `contracts/services.toml` when it exists].
    pub services: Vec<PathBuf>,
    /// Accept only the frame types this service handles.
    pub service: Option<String>,
    /// The frame stream [default: standard input].
    pub file: Option<PathBuf>,
}

/// Runs `decode` in the repository configured by `config` (its contracts and service files
/// are the defaults), reading `stdin` when no file is named; returns the exit status: 0 when the
/// stream ended between frames, 1 when it ended inside one, 2 when the command could not run
/// (contracts with errors, an unknown service, an unreadable file). Every frame that cannot be
/// decoded is an error line on `stdout`, and decoding goes on.
pub fn run<I: BufRead, O: Write, E: Write>(
    args: &DecodeArgs,
    config: &Config,
    stdin: I,
    stdout: &mut O,
    stderr: &mut E,
) -> u8 {
    let inputs = Inputs::configured(config, args.contracts.as_deref(), &args.services);
    let analysis = match analyze(&inputs) {
        Ok(a) => a,
        Err(e) => {
            let _ = writeln!(stderr, "error: {e}");
            return 2;
        }
    };
    let Some((contracts, layout)) = analysis.valid_contracts() else {
        let report = Report::from_analysis(&analysis);
        let _ = write!(stderr, "{}", report.render(OutputFormat::Human, HumanStyle::detect(false)));
        let _ = writeln!(stderr, "error: the contracts have errors: nothing decoded");
        return 2;
    };
    let codec = match Codec::new(contracts, layout) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(stderr, "error: {e}");
            return 2;
        }
    };
    let accept = match &args.service {
        None => Accept::all(&codec),
        Some(name) => match contracts.services.get(name) {
            Some(s) => Accept::service(&codec, name, &s.messages),
            None => {
                let names = contracts.services.keys().map(String::as_str);
                let help = crate::check::suggest::suggestion_help(name, names, "services");
                let _ = writeln!(stderr, "error: no service `{name}` in the contracts; {help}");
                return 2;
            }
        },
    };
    let result = match &args.file {
        Some(path) => match std::fs::File::open(path) {
            Ok(f) => decode_stream(&codec, &accept, f, stdout),
            Err(e) => {
                let _ = writeln!(stderr, "error: cannot read `{}`: {e}", path.display());
                return 2;
            }
        },
        None => decode_stream(&codec, &accept, stdin, stdout),
    };
    match result {
        Ok(summary) if summary.truncated => {
            let _ = writeln!(stderr, "error: the stream ends inside a frame");
            1
        }
        Ok(_) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(stderr, "error: {e}");
            2
        }
    }
}
