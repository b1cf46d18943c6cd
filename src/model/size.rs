//! Size rules (SPEC.md section 2): each field's maximum size, a message's `MAX_SIZE` and
//! `BUFFER_CLASS`, and a service's buffer-pool plan. Pure functions over the model, no I/O.
//!
//! Arithmetic saturates: a hostile `count` cannot overflow, it only makes a message too large.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Contracts, FieldDef, TypeRef};

/// Largest allowed `MAX_SIZE` of a message, in bytes.
pub const MAX_MESSAGE_SIZE: u64 = 65_536;
/// Smallest buffer class: messages below it share the 128-byte class.
pub const BUFFER_CLASS_MIN: u64 = 128;
/// Bytes of idle buffers each size class may keep: `capacity = max(1, budget / class)`.
pub const CLASS_BUDGET_BYTES: u64 = 131_072;

/// `BUFFER_CLASS` of a message: `next_power_of_two(max(MAX_SIZE, 128))`.
pub fn buffer_class(max_size: u64) -> u64 {
    max_size.max(BUFFER_CLASS_MIN).checked_next_power_of_two().unwrap_or(u64::MAX)
}

/// Idle buffers a class keeps: `max(1, 131072 / class)` (128 → 1024, 256 → 512, 1024 → 128).
pub fn class_capacity(class: u64) -> u64 {
    (CLASS_BUDGET_BYTES / class.max(1)).max(1)
}

/// Why a message has no computable size. Indices are positions in [`Contracts::messages`]
/// and in the message's `fields`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SizeError {
    /// The field's type is neither built-in nor a defined message.
    UnknownType {
        /// Index of the field.
        field: usize,
    },
    /// A `string` or `bytes` field without `max_len`.
    Unbounded {
        /// Index of the field.
        field: usize,
    },
    /// The message embeds itself, directly or through others.
    Recursive {
        /// Message indices on the cycle, in embedding order; one allocation shared by every
        /// message on the cycle (a ring of N messages costs N indices, not N²).
        cycle: Arc<[usize]>,
        /// This message's position in `cycle`.
        at: usize,
    },
    /// The field embeds a message that itself has no computable size.
    EmbedsInvalid {
        /// Index of the field.
        field: usize,
        /// Index of the embedded message.
        message: usize,
    },
}

/// Layout of one message: fixed offsets, as in SBE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageLayout {
    /// Sum of the fields' maximum sizes: the encoded size of every instance.
    pub max_size: u64,
    /// `next_power_of_two(max(max_size, 128))`.
    pub buffer_class: u64,
    /// `(offset, size)` of each field, in declaration order.
    pub fields: Vec<(u64, u64)>,
}

impl MessageLayout {
    /// Whether `MAX_SIZE` exceeds [`MAX_MESSAGE_SIZE`].
    pub fn is_too_large(&self) -> bool {
        self.max_size > MAX_MESSAGE_SIZE
    }
}

/// Layouts of every message of a contract set.
#[derive(Debug, Clone)]
pub struct Layout {
    messages: Vec<Result<MessageLayout, SizeError>>,
    /// First message of each name (duplicates are reported by the checks, not here).
    by_name: HashMap<String, usize>,
}

#[derive(Clone, Copy, PartialEq)]
enum Visit {
    New,
    OnStack,
    Done,
}

impl Layout {
    /// Computes every message's layout. Iterative, so a chain of 100,000 embedded messages
    /// cannot overflow the stack; linear in the number of fields.
    pub fn compute(contracts: &Contracts) -> Self {
        let n = contracts.messages.len();
        let mut by_name = HashMap::with_capacity(n);
        for (i, m) in contracts.messages.iter().enumerate() {
            by_name.entry(m.name.clone()).or_insert(i);
        }
        let mut out: Vec<Option<Result<MessageLayout, SizeError>>> = vec![None; n];
        let mut visit = vec![Visit::New; n];
        // Explicit DFS stack: (message, next field to look at).
        let mut stack: Vec<(usize, usize)> = Vec::new();
        for root in 0..n {
            if visit[root] != Visit::New {
                continue;
            }
            visit[root] = Visit::OnStack;
            stack.push((root, 0));
            while let Some(&(m, mut next)) = stack.last() {
                let fields = &contracts.messages[m].fields;
                // Descend into the first embedded message not yet visited.
                let mut descend = None;
                while next < fields.len() {
                    if let TypeRef::Message(name) = fields[next].type_ref()
                        && let Some(&j) = by_name.get(name)
                    {
                        match visit[j] {
                            Visit::New => {
                                descend = Some(j);
                                next += 1;
                                break;
                            }
                            Visit::OnStack => {
                                // A cycle: every message on the stack from `j` up is on it.
                                let start = stack.iter().position(|&(s, _)| s == j).unwrap_or(0);
                                let cycle: Arc<[usize]> = stack[start..].iter().map(|&(s, _)| s).collect();
                                for (at, &s) in cycle.iter().enumerate() {
                                    if out[s].is_none() {
                                        out[s] = Some(Err(SizeError::Recursive { cycle: Arc::clone(&cycle), at }));
                                    }
                                }
                            }
                            Visit::Done => {}
                        }
                    }
                    next += 1;
                }
                stack.last_mut().expect("non-empty").1 = next;
                if let Some(j) = descend {
                    visit[j] = Visit::OnStack;
                    stack.push((j, 0));
                    continue;
                }
                stack.pop();
                visit[m] = Visit::Done;
                if out[m].is_none() {
                    out[m] = Some(layout_of(contracts, &by_name, &out, m));
                }
            }
        }
        Layout { messages: out.into_iter().map(|r| r.expect("every message visited")).collect(), by_name }
    }

    /// Layout of the message at `index` in [`Contracts::messages`].
    pub fn get(&self, index: usize) -> Option<&Result<MessageLayout, SizeError>> {
        self.messages.get(index)
    }

    /// Layout of the (first) message named `name`.
    pub fn by_name(&self, name: &str) -> Option<&Result<MessageLayout, SizeError>> {
        self.by_name.get(name).map(|&i| &self.messages[i])
    }

    /// Index of the (first) message named `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// The buffer-pool plan of the service `name`: one class per distinct `BUFFER_CLASS`
    /// among its messages (ascending), each with its capacity. Messages that do not exist or
    /// have no valid size are left out (the checks report them). `None` for an unknown service.
    pub fn pool_plan(&self, contracts: &Contracts, service: &str) -> Option<PoolPlan> {
        let svc = contracts.services.get(service)?;
        let mut messages = Vec::new();
        for name in &svc.messages {
            if let Some(Ok(l)) = self.by_name(name)
                && !l.is_too_large()
                && !messages.iter().any(|(n, _)| n == name)
            {
                messages.push((name.clone(), l.buffer_class));
            }
        }
        let mut sizes: Vec<u64> = messages.iter().map(|&(_, c)| c).collect();
        sizes.sort_unstable();
        sizes.dedup();
        let classes = if svc.buffer_pool_enabled {
            sizes.into_iter().map(|size| PoolClass { size, capacity: class_capacity(size) }).collect()
        } else {
            Vec::new()
        };
        Some(PoolPlan { enabled: svc.buffer_pool_enabled, classes, messages })
    }
}

fn layout_of(
    contracts: &Contracts,
    by_name: &HashMap<String, usize>,
    done: &[Option<Result<MessageLayout, SizeError>>],
    m: usize,
) -> Result<MessageLayout, SizeError> {
    let mut fields = Vec::with_capacity(contracts.messages[m].fields.len());
    let mut offset: u64 = 0;
    for (fi, f) in contracts.messages[m].fields.iter().enumerate() {
        let size = field_size(f, fi, by_name, done)?;
        fields.push((offset, size));
        offset = offset.saturating_add(size);
    }
    Ok(MessageLayout { max_size: offset, buffer_class: buffer_class(offset), fields })
}

/// Maximum size of one field: element size × `count`, or 2 + element size × `max_count`.
fn field_size(
    f: &FieldDef,
    fi: usize,
    by_name: &HashMap<String, usize>,
    done: &[Option<Result<MessageLayout, SizeError>>],
) -> Result<u64, SizeError> {
    let elem = match f.type_ref() {
        TypeRef::Builtin(t) => match t.fixed_size() {
            Some(s) => s,
            None => match f.max_len {
                Some(len) => 2 + u64::from(len),
                None => return Err(SizeError::Unbounded { field: fi }),
            },
        },
        TypeRef::Message(name) => {
            let j = *by_name.get(name).ok_or(SizeError::UnknownType { field: fi })?;
            match done[j].as_ref() {
                Some(Ok(l)) => l.max_size,
                _ => return Err(SizeError::EmbedsInvalid { field: fi, message: j }),
            }
        }
    };
    Ok(match (f.count, f.max_count) {
        (Some(n), _) => elem.saturating_mul(u64::from(n)),
        (None, Some(n)) => 2u64.saturating_add(elem.saturating_mul(u64::from(n))),
        (None, None) => elem,
    })
}

/// One size class of a service's pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolClass {
    /// Buffer size in bytes (a power of two, at least 128).
    pub size: u64,
    /// Idle buffers the class keeps at most.
    pub capacity: u64,
}

/// A service's buffer-pool plan, derived from the messages it handles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolPlan {
    /// `buffer_pool_enabled` of the service; when false, `classes` is empty.
    pub enabled: bool,
    /// Size classes, ascending.
    pub classes: Vec<PoolClass>,
    /// Each handled message with its `BUFFER_CLASS`, in the service's order.
    pub messages: Vec<(String, u64)>,
}

impl PoolPlan {
    /// Bytes the pool holds when every class is full: the sum of `size × capacity`.
    pub fn memory_bytes(&self) -> u64 {
        self.classes.iter().map(|c| c.size * c.capacity).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FieldDef, MessageDef, ServiceDef};

    fn field(name: &str, ty: &str) -> FieldDef {
        FieldDef { name: name.into(), ty: ty.into(), count: None, max_count: None, max_len: None, description: None }
    }

    fn message(name: &str, type_id: u16, fields: Vec<FieldDef>) -> MessageDef {
        MessageDef { name: name.into(), type_id, description: None, fields }
    }

    fn spec_contracts() -> Contracts {
        let swap = message(
            "SwapEvent",
            1,
            vec![field("pool_address", "Address"), field("amount_in", "uint256"), field("amount_out", "uint256")],
        );
        let pool = message(
            "PoolStateUpdate",
            2,
            vec![
                field("pool_address", "Address"),
                FieldDef { count: Some(2), ..field("reserves", "uint128") },
                FieldDef { max_len: Some(32), ..field("symbol", "string") },
                FieldDef { max_count: Some(16), ..field("ticks", "i32") },
            ],
        );
        let mut services = std::collections::BTreeMap::new();
        services.insert(
            "polygon-adapter".to_string(),
            ServiceDef { messages: vec!["SwapEvent".into(), "PoolStateUpdate".into()], buffer_pool_enabled: true },
        );
        Contracts { version: "1.2.0".into(), messages: vec![swap, pool], services }
    }

    #[test]
    fn swap_event_is_84_bytes_in_class_128() {
        let c = spec_contracts();
        let l = Layout::compute(&c);
        let swap = l.by_name("SwapEvent").unwrap().as_ref().unwrap();
        assert_eq!(swap.max_size, 84);
        assert_eq!(swap.buffer_class, 128);
        assert_eq!(swap.fields, vec![(0, 20), (20, 32), (52, 32)]);
    }

    #[test]
    fn bounded_and_array_fields_add_their_prefixes() {
        let c = spec_contracts();
        let l = Layout::compute(&c);
        let p = l.by_name("PoolStateUpdate").unwrap().as_ref().unwrap();
        // 20 + 2*16 + (2+32) + (2+16*4) = 152
        assert_eq!(p.max_size, 152);
        assert_eq!(p.buffer_class, 256);
    }

    #[test]
    fn capacities_follow_the_128_kib_budget() {
        assert_eq!(class_capacity(128), 1024);
        assert_eq!(class_capacity(256), 512);
        assert_eq!(class_capacity(1024), 128);
        assert_eq!(class_capacity(65_536), 2);
        assert_eq!(class_capacity(262_144), 1);
        assert_eq!(buffer_class(0), 128);
        assert_eq!(buffer_class(128), 128);
        assert_eq!(buffer_class(129), 256);
        assert_eq!(buffer_class(800), 1024);
    }

    #[test]
    fn pool_plan_has_one_class_per_distinct_buffer_class() {
        let c = spec_contracts();
        let l = Layout::compute(&c);
        let plan = l.pool_plan(&c, "polygon-adapter").unwrap();
        assert_eq!(plan.classes, vec![PoolClass { size: 128, capacity: 1024 }, PoolClass { size: 256, capacity: 512 }]);
        assert_eq!(plan.messages, vec![("SwapEvent".to_string(), 128), ("PoolStateUpdate".to_string(), 256)]);
        assert_eq!(plan.memory_bytes(), 2 * 131_072);
        assert!(l.pool_plan(&c, "nope").is_none());
    }

    #[test]
    fn embedded_messages_carry_their_size() {
        let mut c = spec_contracts();
        c.messages.push(message("Batch", 3, vec![FieldDef { max_count: Some(10), ..field("swaps", "SwapEvent") }]));
        let l = Layout::compute(&c);
        assert_eq!(l.by_name("Batch").unwrap().as_ref().unwrap().max_size, 2 + 840);
    }

    #[test]
    fn recursion_is_detected_directly_and_through_others() {
        let mut c = spec_contracts();
        c.messages.push(message("Selfish", 3, vec![field("me", "Selfish")]));
        c.messages.push(message("A", 4, vec![field("b", "B")]));
        c.messages.push(message("B", 5, vec![field("a", "A")]));
        c.messages.push(message("UsesA", 6, vec![field("a", "A")]));
        let l = Layout::compute(&c);
        assert_eq!(l.by_name("Selfish").unwrap(), &Err(SizeError::Recursive { cycle: Arc::from([2]), at: 0 }));
        assert_eq!(l.by_name("A").unwrap(), &Err(SizeError::Recursive { cycle: Arc::from([3, 4]), at: 0 }));
        assert_eq!(l.by_name("B").unwrap(), &Err(SizeError::Recursive { cycle: Arc::from([3, 4]), at: 1 }));
        let (Err(SizeError::Recursive { cycle: a, .. }), Err(SizeError::Recursive { cycle: b, .. })) =
            (l.by_name("A").unwrap(), l.by_name("B").unwrap())
        else {
            unreachable!()
        };
        assert!(Arc::ptr_eq(a, b), "one allocation per cycle");
        assert_eq!(l.by_name("UsesA").unwrap(), &Err(SizeError::EmbedsInvalid { field: 0, message: 3 }));
        assert!(l.by_name("SwapEvent").unwrap().is_ok());
    }

    #[test]
    fn a_long_embedding_chain_does_not_overflow_the_stack() {
        let n = 100_000;
        let messages = (0..n)
            .map(|i| {
                let fields =
                    if i + 1 < n { vec![field("next", &format!("M{}", i + 1))] } else { vec![field("x", "u8")] };
                message(&format!("M{i}"), (i % 65_535 + 1) as u16, fields)
            })
            .collect();
        let c = Contracts { version: "1.0.0".into(), messages, services: Default::default() };
        let l = Layout::compute(&c);
        assert_eq!(l.by_name("M0").unwrap().as_ref().unwrap().max_size, 1);
    }

    #[test]
    fn unbounded_unknown_and_huge_fields() {
        let mut c = spec_contracts();
        c.messages.push(message("Unb", 3, vec![field("s", "string")]));
        c.messages.push(message("Unk", 4, vec![field("x", "Nope")]));
        c.messages.push(message("Huge", 5, vec![FieldDef { count: Some(u32::MAX), ..field("h", "Hash") }]));
        let l = Layout::compute(&c);
        assert_eq!(l.by_name("Unb").unwrap(), &Err(SizeError::Unbounded { field: 0 }));
        assert_eq!(l.by_name("Unk").unwrap(), &Err(SizeError::UnknownType { field: 0 }));
        assert!(l.by_name("Huge").unwrap().as_ref().unwrap().is_too_large());
    }
}
