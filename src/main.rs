//! `mycelium-contracts`: the contract checker, code generator and schema writer as an
//! installable binary (`cargo install mycelium-contracts --features cli`).

fn main() -> std::process::ExitCode {
    mycelium_contracts::cli::main()
}
