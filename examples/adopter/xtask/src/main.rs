//! `cargo xtask check-contracts`, `codegen` and `schema` for this repository.

fn main() -> std::process::ExitCode {
    mycelium_contracts::cli::main()
}
