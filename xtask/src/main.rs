//! `cargo xtask`: the contract checker, code generator and schema writer.

fn main() {
    println!("xtask: skeleton");
}
