//! A market-data feed between two services over loopback TCP, with the generated types of the
//! repository's contracts (`contracts/contracts.yaml`).
//!
//! ```sh
//! cargo run --example feed_service -- [messages]
//! ```
//!
//! - The **publisher** sends swaps, pool updates, order-book updates (a `Side` enum and embedded
//!   `PriceLevel`s) and block snapshots through a `FrameWriter`:
//!   each message is encoded in place into the writer's buffer, and hundreds of frames go out
//!   per write system call.
//! - The **strategy engine** reads them with a `FrameReader` built from its service's generated
//!   pool and frame limits (`services::strategy_engine`), and dispatches each frame on its view
//!   (`Inbound`): fields are read in place, nothing is decoded or copied.
//! - Each block snapshot is frozen into a `SharedBuffer` and handed to two more consumers, a
//!   recorder and a risk check, without a copy or an allocation per frame.
//! - A `polygon-adapter` reader, whose service does not handle snapshots, refuses one before
//!   allocating anything.
//!
//! At the end the example prints what each consumer saw and the pool's statistics, and exits
//! (with status 1 if a count does not add up; after 60 s at most).

use std::error::Error;
use std::net::SocketAddr;
use std::time::Duration;

use mycelium_contracts::generated::services::{polygon_adapter, strategy_engine};
use mycelium_contracts::generated::{BookUpdate, LargeMessage, PoolStateUpdate, PriceLevel, Side, SwapEvent};
use mycelium_contracts::runtime::{
    Address, FrameError, FrameReader, FrameWriter, InlineString, InlineVec, Message, SharedBuffer, U256,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

/// Every 50th message is a block snapshot, every 5th a pool update, every 10th (the rest) a
/// book update, the rest swaps.
fn kind(i: u64) -> u16 {
    if i % 50 == 49 {
        LargeMessage::TYPE_ID
    } else if i % 10 == 7 {
        BookUpdate::TYPE_ID
    } else if i % 5 == 4 {
        PoolStateUpdate::TYPE_ID
    } else {
        SwapEvent::TYPE_ID
    }
}

async fn publish(addr: SocketAddr, messages: u64) -> Result<()> {
    let mut out = FrameWriter::new(TcpStream::connect(addr).await?);
    // The messages are reused: `send` encodes their current fields.
    let mut swap = SwapEvent { pool_address: Address([0xaa; 20]), ..SwapEvent::default() };
    let mut update = PoolStateUpdate {
        symbol: InlineString::try_from("WETH/USDC")?,
        ticks: InlineVec::try_from(&[-60, 0, 60][..])?,
        ..PoolStateUpdate::default()
    };
    let mut snapshot = LargeMessage {
        pools: InlineVec::try_from(&[Address([0xaa; 20]), Address([0xbb; 20])][..])?,
        note: InlineString::try_from("end of block")?,
        ..LargeMessage::default()
    };
    let mut book = BookUpdate { pool_address: Address([0xaa; 20]), ..BookUpdate::default() };
    for i in 0..messages {
        match kind(i) {
            BookUpdate::TYPE_ID => {
                book.side = if i % 20 == 7 { Side::Bid } else { Side::Ask };
                let level = |k: i64| PriceLevel { price_e8: 300_000_000_000 + k * 1_000_000, qty_e8: 100_000_000 };
                book.levels = InlineVec::try_from(&[level(0), level(1), level(2)][..])?;
                out.send(&book).await?;
            }
            SwapEvent::TYPE_ID => {
                swap.amount_in = U256::from(i);
                swap.amount_out = U256::from(i * 2);
                out.send(&swap).await?;
            }
            PoolStateUpdate::TYPE_ID => {
                update.reserves = [u128::from(i), u128::from(i) * 3];
                out.send(&update).await?;
            }
            _ => {
                snapshot.block_number = i / 50;
                snapshot.reserves[0] = u128::from(i);
                out.send(&snapshot).await?;
            }
        }
    }
    out.flush().await?;
    Ok(())
}

/// Consumer one: records each snapshot's block number.
async fn record(mut frames: mpsc::Receiver<SharedBuffer>) -> Result<(u64, u64)> {
    let (mut count, mut last_block) = (0, 0);
    while let Some(frame) = frames.recv().await {
        let snapshot = LargeMessage::view(&frame)?;
        last_block = snapshot.block_number();
        count += 1;
    }
    Ok((count, last_block))
}

/// Consumer two: sums the first reserve of every snapshot.
async fn check_risk(mut frames: mpsc::Receiver<SharedBuffer>) -> Result<u128> {
    let mut total = 0;
    while let Some(frame) = frames.recv().await {
        total += LargeMessage::view(&frame)?.reserves().get(0).unwrap_or(0);
    }
    Ok(total)
}

async fn run(messages: u64) -> Result<bool> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let publisher = tokio::spawn(publish(listener.local_addr()?, messages));
    let (socket, _) = listener.accept().await?;

    let pool = strategy_engine::buffer_pool();
    let mut reader = FrameReader::new(socket, pool.clone()).with_limits(strategy_engine::frame_limits());
    let (to_recorder, recorder_frames) = mpsc::channel(256);
    let (to_risk, risk_frames) = mpsc::channel(256);
    let recorder = tokio::spawn(record(recorder_frames));
    let risk = tokio::spawn(check_risk(risk_frames));

    let (mut swaps, mut updates, mut snapshots, mut volume_in, mut ticks) = (0u64, 0u64, 0u64, 0u128, 0usize);
    let (mut bids, mut asks, mut levels) = (0u64, 0u64, 0usize);
    while let Some((type_id, payload)) = reader.next_frame().await? {
        let share = match strategy_engine::Inbound::view(type_id, &payload)? {
            strategy_engine::Inbound::SwapEvent(swap) => {
                swaps += 1;
                volume_in += u128::try_from(swap.amount_in()).unwrap_or(0);
                false
            }
            strategy_engine::Inbound::PoolStateUpdate(update) => {
                updates += 1;
                ticks += update.ticks().len();
                assert_eq!(update.symbol(), "WETH/USDC");
                false
            }
            strategy_engine::Inbound::LargeMessage(_) => {
                snapshots += 1;
                true
            }
            strategy_engine::Inbound::BookUpdate(book) => {
                // The enum comes out of the view already checked: a number `Side` does not name
                // would have been a `DecodeError`.
                match book.side() {
                    Side::Bid => bids += 1,
                    Side::Ask => asks += 1,
                }
                levels += book.levels().len();
                false
            }
        };
        if share {
            // One frame, two consumers: freezing and cloning allocate nothing.
            let frame = payload.freeze();
            to_recorder.send(frame.clone()).await?;
            to_risk.send(frame).await?;
        }
    }
    drop((to_recorder, to_risk));
    publisher.await??;
    let (recorded, last_block) = recorder.await??;
    let risk_total = risk.await??;

    println!("publisher: {messages} messages through one FrameWriter");
    println!(
        "strategy-engine: {swaps} swaps (volume in {volume_in}), {updates} pool updates ({ticks} ticks), {snapshots} snapshots"
    );
    println!("strategy-engine: {} book updates ({bids} bid, {asks} ask, {levels} levels)", bids + asks);
    println!("recorder: {recorded} snapshots, last block {last_block}");
    println!("risk check: {snapshots} snapshots, reserves total {risk_total}");
    println!("strategy-engine pool:");
    for s in pool.stats() {
        println!(
            "  class {:>5} B: {:>6} hits, {:>3} misses, {:>6} returns, {} idle, {} out",
            s.size, s.hits, s.misses, s.returns, s.idle, s.buffers_out
        );
    }

    // A reader with polygon-adapter's limits refuses a snapshot frame before allocating.
    let mut wire = FrameWriter::new(Vec::new());
    wire.send(&LargeMessage::default()).await?;
    wire.flush().await?;
    let adapter_pool = polygon_adapter::buffer_pool();
    let wire = wire.into_inner();
    let mut adapter = FrameReader::new(&wire[..], adapter_pool.clone()).with_limits(polygon_adapter::frame_limits());
    let refused = match adapter.next_frame().await {
        Err(e) => FrameError::from_io(&e).copied(),
        Ok(_) => None,
    };
    let misses: u64 = adapter_pool.stats().iter().map(|s| s.misses).sum();
    println!(
        "polygon-adapter reader: {} ({misses} buffers allocated)",
        refused.map_or("accepted".into(), |e| e.to_string())
    );

    let expected_snapshots = (0..messages).filter(|&i| kind(i) == LargeMessage::TYPE_ID).count() as u64;
    let expected_books = (0..messages).filter(|&i| kind(i) == BookUpdate::TYPE_ID).count() as u64;
    Ok(swaps + updates + snapshots + bids + asks == messages
        && bids + asks == expected_books
        && levels == 3 * expected_books as usize
        && snapshots == expected_snapshots
        && recorded == snapshots
        && pool.stats().iter().all(|s| s.buffers_out == 0)
        && matches!(refused, Some(FrameError::UnknownType { .. }))
        && misses == 0)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let messages = match std::env::args().nth(1) {
        Some(n) => n.parse()?,
        None => 50_000,
    };
    let ok = tokio::time::timeout(Duration::from_secs(60), run(messages)).await??;
    if !ok {
        eprintln!("the counts do not add up");
        std::process::exit(1);
    }
    Ok(())
}
