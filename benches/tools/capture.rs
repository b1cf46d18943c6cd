//! Writes a capture of frames of the bundled messages (`SwapEvent`, `PoolStateUpdate`,
//! `LargeMessage`) with the runtime's frame writer, as a service writes them to a socket: the
//! input of `scripts/bench-decode.sh`.
//!
//! ```sh
//! cargo run --release --example capture -- OUT [MEGABYTES]
//! ```
//!
//! MEGABYTES defaults to 100. The output is deterministic: the same arguments always give the
//! same bytes. Values vary frame by frame (addresses, amounts up to 256 bits, symbols, tick
//! windows and pool lists of every length); about half the frames are `SwapEvent`s.

use std::io::Write;
use std::process::ExitCode;

use mycelium_contracts::generated::{LargeMessage, PoolStateUpdate, SwapEvent};
use mycelium_contracts::runtime::{Address, Hash, InlineString, InlineVec, Message, U256, write_frame};

/// xorshift64*: deterministic values without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        for chunk in out.chunks_mut(8) {
            let v = self.next().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        out
    }
}

const SYMBOLS: &[&str] = &["WETH/USDC", "WBTC/WETH", "MATIC/USDT", "DAI/USDC", "LINK/WETH", "AAVE/WETH"];

fn swap(rng: &mut Rng) -> SwapEvent {
    let mut amount = [0u8; 32];
    // Amounts of realistic size (up to 2^96), sometimes the full 256 bits.
    amount[..12].copy_from_slice(&rng.bytes::<12>());
    let amount_out =
        if rng.next().is_multiple_of(8) { U256::from_le_bytes(rng.bytes::<32>()) } else { U256::from(rng.next()) };
    SwapEvent { pool_address: Address(rng.bytes()), amount_in: U256::from_le_bytes(amount), amount_out }
}

fn pool(rng: &mut Rng) -> PoolStateUpdate {
    let ticks: Vec<i32> = (0..rng.next() % 17).map(|_| rng.next() as i32 >> 8).collect();
    PoolStateUpdate {
        pool_address: Address(rng.bytes()),
        reserves: [u128::from(rng.next()) << 20, u128::from(rng.next())],
        symbol: InlineString::try_from(SYMBOLS[(rng.next() % SYMBOLS.len() as u64) as usize]).unwrap_or_default(),
        ticks: InlineVec::try_from(&ticks[..]).unwrap_or_default(),
    }
}

fn large(rng: &mut Rng, block: u64) -> LargeMessage {
    let pools: Vec<Address> = (0..rng.next() % 25).map(|_| Address(rng.bytes())).collect();
    LargeMessage {
        block_number: block,
        block_hash: Hash(rng.bytes()),
        timestamp_ns: 1_700_000_000_000_000_000 + block * 2_000_000_000,
        pools: InlineVec::try_from(&pools[..]).unwrap_or_default(),
        reserves: std::array::from_fn(|_| u128::from(rng.next())),
        note: InlineString::try_from("block snapshot").unwrap_or_default(),
    }
}

fn encode<M: Message>(m: &M, buf: &mut [u8]) -> usize {
    m.encode(buf).unwrap_or(0)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: capture OUT [MEGABYTES]");
        return ExitCode::from(2);
    };
    let megabytes: u64 = match args.get(1).map(|s| s.parse()) {
        None => 100,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            eprintln!("error: MEGABYTES must be a number");
            return ExitCode::from(2);
        }
    };
    let target = megabytes * 1_000_000;
    let mut file = match std::fs::File::create(path) {
        Ok(f) => std::io::BufWriter::with_capacity(1 << 20, f),
        Err(e) => {
            eprintln!("error: cannot create `{path}`: {e}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut written, mut frames, mut block) = (0u64, 0u64, 19_000_000u64);
    let mut payload = [0u8; 1024];
    // Frames go through the runtime's writer into a chunk, then the chunk to the file.
    let mut chunk: Vec<u8> = Vec::with_capacity(1 << 20);
    let result = rt.block_on(async {
        while written < target {
            chunk.clear();
            while chunk.len() < (1 << 20) - 1024 {
                let (type_id, n) = match rng.next() % 16 {
                    0..8 => (SwapEvent::TYPE_ID, encode(&swap(&mut rng), &mut payload)),
                    8..15 => (PoolStateUpdate::TYPE_ID, encode(&pool(&mut rng), &mut payload)),
                    _ => {
                        block += 1;
                        (LargeMessage::TYPE_ID, encode(&large(&mut rng, block), &mut payload))
                    }
                };
                write_frame(&mut chunk, type_id, &payload[..n]).await?;
                frames += 1;
            }
            file.write_all(&chunk)?;
            written += chunk.len() as u64;
        }
        file.flush()
    });
    if let Err(e) = result {
        eprintln!("error: cannot write `{path}`: {e}");
        return ExitCode::from(2);
    }
    eprintln!("wrote {frames} frames, {written} bytes to {path}");
    ExitCode::SUCCESS
}
