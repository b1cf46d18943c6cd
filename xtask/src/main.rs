//! `cargo xtask`: the contract checker, code generator and schema writer of this repository.

fn main() -> std::process::ExitCode {
    mycelium_contracts::cli::main()
}
