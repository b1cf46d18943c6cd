//! `decode` run in-process on captures written by the runtime's writer: the exact JSON lines,
//! error lines for frames that cannot be decoded (decoding goes on), truncated streams (exit 1),
//! and the command's own failures (exit 2).

use std::io::Cursor;
use std::path::PathBuf;

use mycelium_contracts::command::decode::{DecodeArgs, run};
use mycelium_contracts::generated::{BookUpdate, LargeMessage, PoolStateUpdate, PriceLevel, Side, SwapEvent};
use mycelium_contracts::runtime::{Address, Hash, InlineString, InlineVec, Message, U256, write_frame};

fn bundled() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/contracts/contracts.yaml"))
}

fn args() -> DecodeArgs {
    DecodeArgs { contracts: Some(bundled()), ..DecodeArgs::default() }
}

/// What one run printed: the exit status, stdout's lines (each parsed as JSON) and stderr.
struct Output {
    code: u8,
    lines: Vec<String>,
    json: Vec<serde_json::Value>,
    stderr: String,
}

fn decode_with(args: &DecodeArgs, input: &[u8]) -> Output {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let code = run(args, &crate::repo(), Cursor::new(input.to_vec()), &mut stdout, &mut stderr);
    let stdout = String::from_utf8(stdout).expect("stdout is UTF-8");
    assert!(stdout.is_empty() || stdout.ends_with('\n'), "{stdout:?}");
    let lines: Vec<String> = stdout.lines().map(str::to_string).collect();
    let json =
        lines.iter().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect();
    Output { code, lines, json, stderr: String::from_utf8(stderr).unwrap() }
}

fn decode(input: &[u8]) -> Output {
    decode_with(&args(), input)
}

/// Frames written by the runtime's `write_frame`, as a service writes them to a socket.
fn capture(frames: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let mut out: Vec<u8> = Vec::new();
        for (type_id, payload) in frames {
            write_frame(&mut out, *type_id, payload).await.unwrap();
        }
        out
    })
}

fn payload<M: Message>(m: &M) -> Vec<u8> {
    let mut buf = vec![0u8; M::MAX_SIZE];
    let n = m.encode(&mut buf).unwrap();
    buf.truncate(n);
    buf
}

fn frame<M: Message>(m: &M) -> (u16, Vec<u8>) {
    (M::TYPE_ID, payload(m))
}

fn swap() -> SwapEvent {
    SwapEvent { pool_address: Address([0x11; 20]), amount_in: U256::from(1_000_000u64), amount_out: U256::MAX }
}

fn pool() -> PoolStateUpdate {
    PoolStateUpdate {
        pool_address: Address([0xab; 20]),
        reserves: [5, u128::MAX],
        symbol: InlineString::try_from("WETH/USDC").unwrap(),
        ticks: InlineVec::try_from(&[-1, 2, 3][..]).unwrap(),
    }
}

fn large() -> LargeMessage {
    LargeMessage {
        block_number: 19_000_000,
        block_hash: Hash([0xcd; 32]),
        timestamp_ns: u64::MAX,
        pools: InlineVec::try_from(&[Address([1; 20]), Address([2; 20])][..]).unwrap(),
        reserves: [7; 12],
        note: InlineString::try_from("snapshot \"α\"\n\t\u{1}").unwrap(),
    }
}

fn hex(byte: &str, n: usize) -> String {
    format!("0x{}", byte.repeat(n))
}

const U256_MAX: &str = "115792089237316195423570985008687907853269984665640564039457584007913129639935";

fn swap_line(offset: u64) -> String {
    format!(
        r#"{{"offset": {offset}, "type_id": 1, "message": "SwapEvent", "fields": {{"pool_address": "{}", "amount_in": "1000000", "amount_out": "{U256_MAX}"}}}}"#,
        hex("11", 20)
    )
}

#[test]
fn runtime_frames_print_as_exact_json_lines() {
    let input = capture(&[frame(&swap()), frame(&pool()), frame(&large())]);
    let out = decode(&input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    let reserves = ["\"7\""; 12].join(", ");
    let expected = [
        swap_line(0),
        format!(
            r#"{{"offset": 90, "type_id": 2, "message": "PoolStateUpdate", "fields": {{"pool_address": "{}", "reserves": ["5", "{}"], "symbol": "WETH/USDC", "ticks": [-1, 2, 3]}}}}"#,
            hex("ab", 20),
            u128::MAX
        ),
        format!(
            r#"{{"offset": 248, "type_id": 3, "message": "LargeMessage", "fields": {{"block_number": 19000000, "block_hash": "{}", "timestamp_ns": 18446744073709551615, "pools": ["{}", "{}"], "reserves": [{reserves}], "note": "snapshot \"α\"\n\t\u0001"}}}}"#,
            hex("cd", 32),
            hex("01", 20),
            hex("02", 20)
        ),
    ];
    assert_eq!(out.lines, expected);
    // The JSON reads back to the values written.
    assert_eq!(out.json[2]["fields"]["note"], "snapshot \"α\"\n\t\u{1}");
    assert_eq!(out.json[2]["fields"]["timestamp_ns"].as_u64(), Some(u64::MAX));
    assert_eq!(out.json[1]["fields"]["ticks"], serde_json::json!([-1, 2, 3]));
}

#[test]
fn an_empty_stream_prints_nothing_and_exits_0() {
    let out = decode(&[]);
    assert_eq!(out.code, 0);
    assert!(out.lines.is_empty());
    assert!(out.stderr.is_empty());
}

#[test]
fn an_unknown_type_id_is_an_error_line_and_decoding_goes_on() {
    let input = capture(&[(99, vec![1, 2, 3, 4, 5]), frame(&swap())]);
    let out = decode(&input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.lines[0], r#"{"offset": 0, "type_id": 99, "length": 5, "error": "unknown type_id 99"}"#);
    assert_eq!(out.lines[1], swap_line(11));
    assert_eq!(out.lines.len(), 2);
}

#[test]
fn a_type_outside_the_service_is_an_error_line() {
    let input = capture(&[frame(&large()), frame(&swap()), (77, vec![])]);
    let out = decode_with(&DecodeArgs { service: Some("polygon-adapter".into()), ..args() }, &input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let large_len = LargeMessage::MAX_SIZE;
    assert_eq!(
        out.lines[0],
        format!(
            r#"{{"offset": 0, "type_id": 3, "length": {large_len}, "error": "`LargeMessage` (type_id 3) is not handled by service `polygon-adapter`"}}"#
        )
    );
    assert_eq!(out.lines[1], swap_line(6 + large_len as u64));
    assert_eq!(out.json[2]["error"], "unknown type_id 77 (service `polygon-adapter`)");
    assert_eq!(out.json[2]["length"], 0);
    // The service that handles it decodes the same frame.
    let out = decode_with(&DecodeArgs { service: Some("snapshot-recorder".into()), ..args() }, &input);
    assert_eq!(out.json[0]["message"], "LargeMessage");
    assert!(out.json[1]["error"].as_str().unwrap().contains("not handled by service `snapshot-recorder`"));
}

#[test]
fn lengths_up_to_the_buffer_class_decode_and_longer_ones_are_error_lines() {
    // A newer payload, longer than MAX_SIZE but within the class: trailing bytes are ignored.
    let mut newer = payload(&swap());
    newer.resize(SwapEvent::BUFFER_CLASS, 0xee);
    let over = vec![0u8; SwapEvent::BUFFER_CLASS + 1];
    let input = capture(&[(1, newer), (1, over), frame(&swap())]);
    let out = decode(&input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.lines[0], swap_line(0));
    assert_eq!(
        out.lines[1],
        r#"{"offset": 134, "type_id": 1, "length": 129, "error": "`SwapEvent`: 129 payload bytes, over the limit of 128"}"#
    );
    assert_eq!(out.lines[2], swap_line(134 + 6 + 129));
}

#[test]
fn a_hostile_4_gib_length_is_an_error_line_and_ends_truncated() {
    let mut input = capture(&[frame(&swap())]);
    input.extend_from_slice(&1u16.to_le_bytes());
    input.extend_from_slice(&u32::MAX.to_le_bytes());
    input.extend_from_slice(&[0u8; 100]);
    let out = decode(&input);
    assert_eq!(out.code, 1);
    assert_eq!(out.lines.len(), 2);
    assert_eq!(out.lines[0], swap_line(0));
    assert_eq!(
        out.lines[1],
        r#"{"offset": 90, "type_id": 1, "length": 4294967295, "error": "`SwapEvent`: 4294967295 payload bytes, over the limit of 128; the stream ends inside its payload (100 of 4294967295 bytes)"}"#
    );
    assert!(out.stderr.contains("the stream ends inside a frame"), "{}", out.stderr);
}

#[test]
fn payloads_the_codec_rejects_are_error_lines_naming_the_field() {
    let swap_bytes = payload(&swap());
    let mut over_bound = payload(&pool());
    over_bound[52..54].copy_from_slice(&33u16.to_le_bytes()); // symbol: length 33 of 32
    let mut not_utf8 = payload(&pool());
    not_utf8[54] = 0xff;
    let input = capture(&[(1, swap_bytes[..30].to_vec()), (2, over_bound), (2, not_utf8), frame(&swap())]);
    let out = decode(&input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let pool_len = PoolStateUpdate::MAX_SIZE;
    assert_eq!(
        out.lines[0],
        r#"{"offset": 0, "type_id": 1, "length": 30, "error": "SwapEvent.amount_in: payload ends inside the field (32 bytes needed, 10 available)"}"#
    );
    assert_eq!(
        out.lines[1],
        format!(
            r#"{{"offset": 36, "type_id": 2, "length": {pool_len}, "error": "PoolStateUpdate.symbol: length 33 is above the bound 32"}}"#
        )
    );
    assert_eq!(out.json[2]["error"], "PoolStateUpdate.symbol: string is not UTF-8 (invalid byte at 0)");
    assert_eq!(out.lines[3], swap_line(36 + 2 * (6 + pool_len as u64)));
    // An older payload that ends at a field boundary is not an error: the rest is default.
    let out = decode(&capture(&[(1, swap_bytes[..20].to_vec())]));
    assert_eq!(out.json[0]["fields"]["amount_in"], "0");
    assert_eq!(out.json[0]["fields"]["amount_out"], "0");
}

#[test]
fn enums_print_as_names_and_a_number_no_name_has_is_an_error_line() {
    let book = BookUpdate {
        pool_address: Address([0x22; 20]),
        side: Side::Ask,
        levels: InlineVec::try_from(&[PriceLevel { price_e8: -5, qty_e8: 7 }][..]).unwrap(),
    };
    let mut unnamed = payload(&book);
    unnamed[20] = 9; // side: no value of Side is 9
    // An older payload that ends before `side` reads it as the enum's first value, not as 0.
    let older = payload(&book)[..20].to_vec();
    let out = decode(&capture(&[frame(&book), (4, unnamed), (4, older)]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let len = BookUpdate::MAX_SIZE;
    assert_eq!(
        out.lines,
        [
            format!(
                r#"{{"offset": 0, "type_id": 4, "message": "BookUpdate", "fields": {{"pool_address": "{}", "side": "Ask", "levels": [{{"price_e8": -5, "qty_e8": 7}}]}}}}"#,
                hex("22", 20)
            ),
            format!(
                r#"{{"offset": {}, "type_id": 4, "length": {len}, "error": "BookUpdate.side: 9 is not a value of enum `Side`"}}"#,
                6 + len
            ),
            format!(
                r#"{{"offset": {}, "type_id": 4, "message": "BookUpdate", "fields": {{"pool_address": "{}", "side": "Bid", "levels": []}}}}"#,
                2 * (6 + len),
                hex("22", 20)
            ),
        ]
    );
    // The generated code agrees on all three.
    assert_eq!(BookUpdate::decode(&payload(&book)).unwrap(), book);
    let mut bad = payload(&book);
    bad[20] = 9;
    assert_eq!(BookUpdate::decode(&bad).unwrap_err().to_string(), "BookUpdate.side: 9 is not a value of enum `Side`");
    assert_eq!(BookUpdate::decode(&payload(&book)[..20]).unwrap().side, Side::Bid);
}

#[test]
fn a_stream_ending_inside_a_header_ends_with_an_error_line_and_exit_1() {
    let mut input = capture(&[frame(&swap())]);
    input.extend_from_slice(&[2, 0, 9]);
    let out = decode(&input);
    assert_eq!(out.code, 1);
    assert_eq!(out.lines[0], swap_line(0));
    assert_eq!(
        out.lines[1],
        r#"{"offset": 90, "type_id": null, "length": null, "error": "the stream ends inside a frame header (3 of 6 bytes)"}"#
    );
    assert_eq!(out.lines.len(), 2);
}

#[test]
fn a_stream_ending_inside_a_payload_ends_with_an_error_line_and_exit_1() {
    let mut input = capture(&[frame(&swap()), frame(&swap())]);
    input.truncate(90 + 6 + 40);
    let out = decode(&input);
    assert_eq!(out.code, 1);
    assert_eq!(out.lines.len(), 2);
    assert_eq!(
        out.lines[1],
        r#"{"offset": 90, "type_id": 1, "length": 84, "error": "`SwapEvent`: the stream ends inside the payload (40 of 84 bytes)"}"#
    );
    assert!(out.stderr.contains("the stream ends inside a frame"), "{}", out.stderr);
    // An unknown type cut short ends the same way.
    let mut input = capture(&[(500, vec![0; 64])]);
    input.truncate(20);
    let out = decode(&input);
    assert_eq!(out.code, 1);
    assert_eq!(out.json[0]["error"], "unknown type_id 500; the stream ends inside its payload (14 of 64 bytes)");
}

#[test]
fn a_file_and_standard_input_give_the_same_lines() {
    let input = capture(&[frame(&pool()), (42, vec![1]), frame(&swap())]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("capture.bin");
    std::fs::write(&path, &input).unwrap();
    let from_stdin = decode(&input);
    // With a file, standard input is not read.
    let from_file = decode_with(&DecodeArgs { file: Some(path), ..args() }, b"not frames");
    assert_eq!(from_file.code, 0, "{}", from_file.stderr);
    assert_eq!(from_file.lines, from_stdin.lines);
    assert_eq!(from_file.lines.len(), 3);
    let missing = decode_with(&DecodeArgs { file: Some(dir.path().join("nope.bin")), ..args() }, &input);
    assert_eq!(missing.code, 2);
    assert!(missing.lines.is_empty());
    assert!(missing.stderr.contains("cannot read"), "{}", missing.stderr);
}

#[test]
fn contracts_with_errors_exit_2_without_decoding() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    std::fs::write(
        &path,
        r#"{"version": "1.0.0", "messages": [{"name": "A", "type_id": 1, "fields": [{"name": "s", "type": "string"}]}]}"#,
    )
    .unwrap();
    let out = decode_with(&DecodeArgs { contracts: Some(path), ..args() }, &capture(&[(1, vec![0, 0])]));
    assert_eq!(out.code, 2);
    assert!(out.lines.is_empty());
    assert!(out.stderr.contains("the contracts have errors: nothing decoded"), "{}", out.stderr);
    let missing = decode_with(&DecodeArgs { contracts: Some(dir.path().join("nope.yaml")), ..args() }, &[]);
    assert_eq!(missing.code, 2);
}

#[test]
fn an_unknown_service_exits_2_with_a_suggestion() {
    let out =
        decode_with(&DecodeArgs { service: Some("polygon-adaptor".into()), ..args() }, &capture(&[frame(&swap())]));
    assert_eq!(out.code, 2);
    assert!(out.lines.is_empty());
    assert!(
        out.stderr.contains("no service `polygon-adaptor` in the contracts; did you mean `polygon-adapter`?"),
        "{}",
        out.stderr
    );
}

/// Every frame of a long random capture gives exactly one line that parses, at the right
/// offset, whatever the bytes (a random mix of valid, cut, unknown and oversize frames).
#[test]
fn every_frame_is_one_json_line_at_its_offset() {
    let mut state = 0x1234_5678_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut frames = Vec::new();
    for _ in 0..400 {
        let r = next();
        let (type_id, mut bytes) = match r % 4 {
            0 => frame(&swap()),
            1 => frame(&pool()),
            2 => frame(&large()),
            _ => ((r >> 8) as u16 % 6, vec![0xa5; (r >> 24) as usize % 300]),
        };
        if r >> 40 & 3 == 0 {
            bytes.truncate((r >> 42) as usize % (bytes.len() + 1));
        }
        if r >> 50 & 7 == 0 {
            bytes.resize(bytes.len() + 700, 0);
        }
        frames.push((type_id, bytes));
    }
    let input = capture(&frames);
    let out = decode(&input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json.len(), frames.len());
    let mut offset = 0u64;
    for ((type_id, bytes), line) in frames.iter().zip(&out.json) {
        assert_eq!(line["offset"], offset);
        assert_eq!(line["type_id"], *type_id);
        assert!(line.get("fields").is_some() != line.get("error").is_some(), "{line}");
        offset += 6 + bytes.len() as u64;
    }
}

#[test]
fn a_service_from_a_service_config_file_selects_its_frames() {
    let dir = tempfile::tempdir().unwrap();
    let services = dir.path().join("services.toml");
    std::fs::write(&services, "[service.tape-reader]\nmessages = [\"PoolStateUpdate\"]\nthreads = 4\n").unwrap();
    let input = capture(&[frame(&swap()), frame(&pool())]);
    let with = |service: &str| DecodeArgs { services: vec![services.clone()], service: Some(service.into()), ..args() };
    let out = decode_with(&with("tape-reader"), &input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json[0]["error"], "`SwapEvent` (type_id 1) is not handled by service `tape-reader`");
    assert_eq!(out.json[1]["message"], "PoolStateUpdate");
    // The document's own services are still there.
    let out = decode_with(&with("polygon-adapter"), &input);
    assert_eq!(out.json.iter().filter(|l| l.get("fields").is_some()).count(), 2);
}

/// On a live stream each line is out (flushed) as soon as its frame has arrived: the output is
/// flushed before every read that may wait.
#[test]
fn lines_are_flushed_before_waiting_for_more_input() {
    use std::cell::RefCell;
    use std::collections::VecDeque;
    use std::rc::Rc;

    use mycelium_contracts::dynamic::Codec;
    use mycelium_contracts::dynamic::stream::{Accept, decode_stream};
    use mycelium_contracts::model::{Contracts, Layout};

    /// Holds what is written until `flush`.
    struct Pending {
        pending: Vec<u8>,
        delivered: Rc<RefCell<Vec<u8>>>,
    }
    impl std::io::Write for Pending {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.pending.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.delivered.borrow_mut().append(&mut self.pending);
            Ok(())
        }
    }
    /// Hands out one chunk per read, and checks that every frame of the earlier chunks is out.
    struct Arrivals {
        chunks: VecDeque<(Vec<u8>, usize)>,
        delivered: Rc<RefCell<Vec<u8>>>,
    }
    impl std::io::Read for Arrivals {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let out_lines = self.delivered.borrow().iter().filter(|&&b| b == b'\n').count();
            let Some((chunk, lines_before)) = self.chunks.pop_front() else {
                return Ok(0);
            };
            assert_eq!(out_lines, lines_before, "lines out before this read");
            buf[..chunk.len()].copy_from_slice(&chunk);
            Ok(chunk.len())
        }
    }

    let doc = mycelium_contracts::load::load_file(&bundled()).unwrap_or_else(|d| panic!("{}", d.message));
    let contracts: Contracts = serde_json::from_value(doc.value).unwrap();
    let codec = Codec::new(&contracts, &Layout::compute(&contracts)).unwrap();
    let (one, two) = (capture(&[frame(&swap())]), capture(&[frame(&pool()), frame(&swap())]));
    let delivered = Rc::new(RefCell::new(Vec::new()));
    // The second frame arrives in two pieces: its first part alone decodes nothing.
    let chunks = VecDeque::from([(one, 0), (two[..50].to_vec(), 1), (two[50..].to_vec(), 1)]);
    let input = Arrivals { chunks, delivered: delivered.clone() };
    let mut out = Pending { pending: Vec::new(), delivered: delivered.clone() };
    let summary = decode_stream(&codec, &Accept::all(&codec), input, &mut out).unwrap();
    assert_eq!(summary.decoded, 3);
    assert_eq!(delivered.borrow().iter().filter(|&&b| b == b'\n').count(), 3);
}
