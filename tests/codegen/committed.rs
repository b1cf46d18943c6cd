//! The committed generated module, `mycelium_contracts::generated`, as a service uses it.

use mycelium_contracts::generated::{self, BookUpdate, LargeMessage, PoolStateUpdate, PriceLevel, SwapEvent, services};
use mycelium_contracts::runtime::{Address, Hash, InlineString, InlineVec, Message, SizeClassConfig, U256, WireField};

#[test]
fn repository_messages_have_the_sizes_of_the_contracts() {
    assert_eq!((SwapEvent::TYPE_ID, SwapEvent::MAX_SIZE, SwapEvent::BUFFER_CLASS), (1, 84, 128));
    assert_eq!((PoolStateUpdate::TYPE_ID, PoolStateUpdate::MAX_SIZE, PoolStateUpdate::BUFFER_CLASS), (2, 152, 256));
    // 8 + 32 + 8 + (2 + 24 * 20) + 12 * 16 + (2 + 64)
    assert_eq!((LargeMessage::TYPE_ID, LargeMessage::MAX_SIZE, LargeMessage::BUFFER_CLASS), (3, 788, 1024));
    // 20 + 1 (Side) + (2 + 8 * 16): PriceLevel is embedded-only, 16 bytes, and has no frame limit.
    assert_eq!((BookUpdate::TYPE_ID, BookUpdate::MAX_SIZE, BookUpdate::BUFFER_CLASS), (4, 151, 256));
    assert_eq!(<PriceLevel as WireField>::SIZE, 16);
    // Frame limits are the buffer classes: a newer minor version may be longer within its class.
    assert_eq!(generated::MESSAGE_LIMITS, &[(1, 128), (2, 256), (3, 1024), (4, 256)]);
    assert_eq!(generated::CONTRACTS_VERSION, "1.1.0");
}

#[test]
fn large_message_round_trips() {
    let m = LargeMessage {
        block_number: 42,
        block_hash: Hash([9; 32]),
        timestamp_ns: 1_700_000_000_000_000_000,
        pools: InlineVec::try_from(&[Address([1; 20]), Address([2; 20])][..]).unwrap(),
        reserves: std::array::from_fn(|i| i as u128 * 1000),
        note: InlineString::try_from("snapshot").unwrap(),
    };
    let mut buf = [0u8; 1024];
    let n = m.encode(&mut buf).unwrap();
    assert_eq!(n, 788);
    assert_eq!(LargeMessage::decode(&buf[..n]).unwrap(), m);
    let swap = SwapEvent { amount_in: U256::from(1u8), ..Default::default() };
    let n = swap.encode(&mut buf).unwrap();
    assert_eq!(SwapEvent::decode(&buf[..n]).unwrap(), swap);
}

#[test]
fn service_configs_follow_the_pool_plan() {
    let p = &services::polygon_adapter::CONFIG;
    assert_eq!(p.name, "polygon-adapter");
    assert!(p.buffer_pool_enabled);
    assert_eq!(
        &*p.size_classes,
        &[SizeClassConfig { size: 128, capacity: 1024 }, SizeClassConfig { size: 256, capacity: 512 }]
    );
    let s = &services::strategy_engine::CONFIG;
    assert_eq!(
        s.size_classes.iter().map(|c| (c.size, c.capacity)).collect::<Vec<_>>(),
        [(128, 1024), (256, 512), (1024, 128)]
    );
    let names: Vec<(&str, usize)> = s.messages.iter().map(|m| (&*m.name, m.buffer_class)).collect();
    assert_eq!(names, [("SwapEvent", 128), ("PoolStateUpdate", 256), ("LargeMessage", 1024), ("BookUpdate", 256)]);
    let r = &services::snapshot_recorder::CONFIG;
    assert!(!r.buffer_pool_enabled);
    assert!(r.size_classes.is_empty());
    let all: Vec<&str> = services::ALL.iter().map(|c| &*c.name).collect();
    assert_eq!(all, ["polygon-adapter", "snapshot-recorder", "strategy-engine"]);
}

#[test]
fn committed_pools_json_matches_the_service_configs() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/generated/pools.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], generated::CONTRACTS_VERSION);
    for config in services::ALL {
        let s = &v["services"][&*config.name];
        assert_eq!(s["buffer_pool_enabled"], config.buffer_pool_enabled);
        let classes: Vec<(u64, u64)> = s["size_classes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["size"].as_u64().unwrap(), c["capacity"].as_u64().unwrap()))
            .collect();
        let expected: Vec<(u64, u64)> =
            config.size_classes.iter().map(|c| (c.size as u64, c.capacity as u64)).collect();
        assert_eq!(classes, expected, "{}", config.name);
        for m in config.messages.iter() {
            assert_eq!(s["messages"][&*m.name], m.buffer_class, "{}", config.name);
        }
    }
    assert_eq!(v["services"].as_object().unwrap().len(), services::ALL.len());
}

#[test]
fn a_service_builds_its_pool_from_the_generated_config() {
    let pool = services::polygon_adapter::buffer_pool();
    assert_eq!(pool.class_sizes().collect::<Vec<_>>(), [128, 256]);
    let buf = pool.acquire(SwapEvent::MAX_SIZE).unwrap();
    assert_eq!((buf.len(), buf.capacity()), (84, SwapEvent::BUFFER_CLASS));
    let buf = pool.acquire(PoolStateUpdate::MAX_SIZE).unwrap();
    assert_eq!(buf.capacity(), PoolStateUpdate::BUFFER_CLASS);
    assert!(pool.acquire(LargeMessage::MAX_SIZE).is_err(), "polygon-adapter does not handle LargeMessage");
    let engine = services::strategy_engine::buffer_pool();
    assert_eq!(engine.class_sizes().collect::<Vec<_>>(), [128, 256, 1024]);
}
