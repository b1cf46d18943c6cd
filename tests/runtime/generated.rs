//! End to end: the committed generated module drives the runtime. A service builds its pool from
//! its generated config, encodes generated messages into frames, and a `FrameReader` limited by
//! the generated per-type table reads them back; unknown types and over-long frames are refused.

use mycelium_contracts::generated::{self, LargeMessage, PoolStateUpdate, SwapEvent, services};
use mycelium_contracts::runtime::{
    Address, BufferPool, FrameError, FrameHeader, FrameLimits, FrameReader, InlineString, Message, U256,
};

fn swap(i: u64) -> SwapEvent {
    let mut pool_address: Address = "0x00000000000000000000000000000000000000ff".parse().unwrap();
    pool_address.0[0] = i as u8;
    SwapEvent { pool_address, amount_in: U256::from(i * 1_000), amount_out: U256::from(i * 999) }
}

fn update(i: u64) -> PoolStateUpdate {
    PoolStateUpdate {
        reserves: [u128::from(i), u128::from(i) << 64],
        symbol: InlineString::try_from(format!("POOL-{i}").as_str()).unwrap(),
        ..PoolStateUpdate::default()
    }
}

async fn frame_of<M: Message>(out: &mut Vec<u8>, message: &M) {
    let mut buf = [0u8; 1024];
    let n = message.encode(&mut buf).unwrap();
    assert_eq!(n, M::MAX_SIZE, "fixed layout: every encoded message is exactly MAX_SIZE");
    mycelium_contracts::runtime::write_frame(out, M::TYPE_ID, &buf[..n]).await.unwrap();
}

#[tokio::test]
async fn generated_messages_round_trip_through_a_service_pool_and_the_frame_reader() {
    let pool = services::polygon_adapter::buffer_pool();
    let mut stream = Vec::new();
    for i in 0..50 {
        frame_of(&mut stream, &swap(i)).await;
        frame_of(&mut stream, &update(i)).await;
    }
    let limits = FrameLimits::new(generated::MESSAGE_LIMITS);
    let mut reader = FrameReader::new(&stream[..], pool.clone()).with_limits(limits);
    let (mut swaps, mut updates) = (0u64, 0u64);
    while let Some((type_id, payload)) = reader.next_frame().await.unwrap() {
        match type_id {
            SwapEvent::TYPE_ID => {
                assert_eq!(payload.capacity(), SwapEvent::BUFFER_CLASS);
                assert_eq!(SwapEvent::decode(&payload).unwrap(), swap(swaps));
                swaps += 1;
            }
            PoolStateUpdate::TYPE_ID => {
                assert_eq!(payload.capacity(), PoolStateUpdate::BUFFER_CLASS);
                assert_eq!(PoolStateUpdate::decode(&payload).unwrap(), update(updates));
                updates += 1;
            }
            other => panic!("unexpected type {other}"),
        }
    }
    assert_eq!((swaps, updates), (50, 50));
    drop(reader);
    assert!(pool.stats().iter().all(|s| s.buffers_out == 0), "every buffer is back: {:?}", pool.stats());
}

#[tokio::test]
async fn the_generated_limits_refuse_unknown_types_and_over_long_frames() {
    let limits = || FrameLimits::new(generated::MESSAGE_LIMITS);
    let pool = BufferPool::from_service_config(&services::strategy_engine::CONFIG);

    // A type id no contract defines.
    let unknown = FrameHeader { type_id: 999, length: 8 }.encode();
    let mut reader = FrameReader::new(&unknown[..], pool.clone()).with_limits(limits());
    let err = reader.next_frame().await.unwrap_err();
    assert_eq!(FrameError::from_io(&err), Some(&FrameError::UnknownType { type_id: 999 }));

    // A SwapEvent longer than its BUFFER_CLASS, though it would fit the pool's largest class.
    let long = FrameHeader { type_id: SwapEvent::TYPE_ID, length: 129 }.encode();
    let mut reader = FrameReader::new(&long[..], pool.clone()).with_limits(limits());
    let err = reader.next_frame().await.unwrap_err();
    assert_eq!(
        FrameError::from_io(&err),
        Some(&FrameError::TooLong { type_id: SwapEvent::TYPE_ID, length: 129, limit: SwapEvent::BUFFER_CLASS })
    );

    // A newer SwapEvent, longer than this version's MAX_SIZE but within its class, is read.
    let mut stream = Vec::new();
    mycelium_contracts::runtime::write_frame(&mut stream, SwapEvent::TYPE_ID, &[7u8; 100]).await.unwrap();
    let mut reader = FrameReader::new(&stream[..], pool.clone()).with_limits(limits());
    let (_, payload) = reader.next_frame().await.unwrap().unwrap();
    assert_eq!(payload.len(), 100);

    // The largest message fits exactly.
    let mut stream = Vec::new();
    frame_of(&mut stream, &LargeMessage::default()).await;
    let mut reader = FrameReader::new(&stream[..], pool.clone()).with_limits(limits());
    let (type_id, payload) = reader.next_frame().await.unwrap().unwrap();
    assert_eq!((type_id, payload.len(), payload.capacity()), (LargeMessage::TYPE_ID, 788, 1024));
}

#[test]
fn the_generated_configs_match_the_committed_pools_json() {
    let json = include_str!("../../src/generated/pools.json");
    for config in services::ALL {
        let from_json = mycelium_contracts::runtime::ServiceConfig::from_pools_json(json, &config.name).unwrap();
        assert_eq!(&from_json, *config);
    }
}
