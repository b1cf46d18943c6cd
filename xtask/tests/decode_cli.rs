//! `cargo xtask decode` as a user runs it: a capture file, the same bytes on standard input,
//! and a stream that ends inside a frame.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use mycelium_contracts::generated::{PoolStateUpdate, SwapEvent};
use mycelium_contracts::runtime::{Address, InlineString, Message, U256};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn xtask(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xtask runs");
    // The command may exit before reading everything (an unknown service): ignore a closed pipe.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn frame<M: Message>(m: &M, out: &mut Vec<u8>) {
    let mut payload = vec![0u8; M::MAX_SIZE];
    let n = m.encode(&mut payload).unwrap();
    out.extend_from_slice(&M::TYPE_ID.to_le_bytes());
    out.extend_from_slice(&(n as u32).to_le_bytes());
    out.extend_from_slice(&payload[..n]);
}

fn capture() -> Vec<u8> {
    let mut out = Vec::new();
    frame(
        &SwapEvent { pool_address: Address([0x42; 20]), amount_in: U256::from(3u8), amount_out: U256::ZERO },
        &mut out,
    );
    frame(&PoolStateUpdate { symbol: InlineString::try_from("WBTC").unwrap(), ..Default::default() }, &mut out);
    out
}

fn lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[test]
fn decode_reads_a_file_or_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("capture.bin");
    std::fs::write(&path, capture()).unwrap();
    let from_file = xtask(&["decode", "--contracts", "contracts/contracts.yaml", path.to_str().unwrap()], b"");
    assert_eq!(from_file.status.code(), Some(0), "{}", String::from_utf8_lossy(&from_file.stderr));
    let json = lines(&from_file);
    assert_eq!(json.len(), 2);
    assert_eq!(json[0]["message"], "SwapEvent");
    assert_eq!(json[0]["fields"]["pool_address"], format!("0x{}", "42".repeat(20)));
    assert_eq!(json[0]["fields"]["amount_in"], "3");
    assert_eq!(json[1]["offset"], 90);
    assert_eq!(json[1]["fields"]["symbol"], "WBTC");

    let from_stdin = xtask(&["decode", "--service", "polygon-adapter"], &capture());
    assert_eq!(from_stdin.status.code(), Some(0), "{}", String::from_utf8_lossy(&from_stdin.stderr));
    assert_eq!(from_stdin.stdout, from_file.stdout);
}

#[test]
fn a_cut_stream_exits_1_and_an_unknown_service_exits_2() {
    let mut cut = capture();
    cut.truncate(cut.len() - 1);
    let out = xtask(&["decode"], &cut);
    assert_eq!(out.status.code(), Some(1));
    let json = lines(&out);
    assert_eq!(json.len(), 2);
    assert!(json[1]["error"].as_str().unwrap().contains("the stream ends inside the payload"), "{}", json[1]);

    let out = xtask(&["decode", "--service", "strategy-engin"], &capture());
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `strategy-engine`?"));
}
