//! Size rules (`docs/reference/contract-format.md`): each field's maximum size, a message's `MAX_SIZE` and
//! `BUFFER_CLASS`, and a service's buffer-pool plan. Pure functions over the model, no I/O.
//!
//! Arithmetic saturates: a hostile `count` cannot overflow, it only makes a message too large.

use std::collections::HashMap;
use std::sync::Arc;

use super::shape::Names;
use super::{Contracts, Elem, EnumDef, FieldShape, Repetition, ShapeError};

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
    /// The field's type is neither built-in nor a defined message or enum.
    UnknownType {
        /// Index of the field.
        field: usize,
    },
    /// A `string` or `bytes` field without `max_len`.
    Unbounded {
        /// Index of the field.
        field: usize,
    },
    /// The message embeds itself, directly or through others: it is in a strongly connected
    /// component of the "embeds" graph.
    Recursive {
        /// A cycle of embeddings through the component's first message (the lowest index), in
        /// embedding order, starting with it: one allocation shared by every message of the
        /// component, which need not all be on this cycle.
        cycle: Arc<[usize]>,
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
    /// Where each field is, in declaration order.
    pub fields: Vec<FieldLayout>,
}

/// Where one field of a message is: its offset in the payload and its maximum size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldLayout {
    /// Bytes before the field.
    pub offset: u64,
    /// Bytes it takes on the wire (its full maximum size).
    pub size: u64,
}

impl MessageLayout {
    /// Whether `MAX_SIZE` exceeds [`MAX_MESSAGE_SIZE`].
    pub fn is_too_large(&self) -> bool {
        self.max_size > MAX_MESSAGE_SIZE
    }
}

/// Layouts of every message of a contract set, and the shape of every field.
#[derive(Debug, Clone)]
pub struct Layout {
    messages: Vec<Result<MessageLayout, SizeError>>,
    /// Per message, each field's shape (or why it has none), in declaration order.
    shapes: Vec<Box<[Result<FieldShape, ShapeError>]>>,
    /// First message of each name (duplicates are reported by the checks, not here).
    by_name: HashMap<String, usize>,
}

impl Layout {
    /// Computes every message's layout, after resolving every field's shape once. Iterative, so a chain of 100,000 embedded messages
    /// cannot overflow the stack; linear in the number of fields, cycles included.
    ///
    /// The messages that embed themselves are the strongly connected components of the
    /// "embeds" graph with more than one message or a self-embedding one (Tarjan's algorithm,
    /// which also hands out the components sinks first, so every other message's layout is
    /// computed after those of the messages it embeds). Each component gets one cycle, through
    /// its first message, shared by all its messages.
    pub fn compute(contracts: &Contracts) -> Self {
        const UNSEEN: usize = usize::MAX;
        let n = contracts.messages.len();
        let mut by_name = HashMap::with_capacity(n);
        for (i, m) in contracts.messages.iter().enumerate() {
            by_name.entry(m.name.clone()).or_insert(i);
        }
        let names = Names::new(&by_name, &contracts.enums);
        let shapes: Vec<Box<[Result<FieldShape, ShapeError>]>> =
            contracts.messages.iter().map(|m| m.fields.iter().map(|f| names.resolve(f)).collect()).collect();
        // The message the field embeds, if it embeds a defined one.
        let target = |m: usize, fi: usize| match shapes[m][fi] {
            Ok(FieldShape { elem: Elem::Message(k), .. }) => Some(k),
            _ => None,
        };
        let mut out: Vec<Option<Result<MessageLayout, SizeError>>> = vec![None; n];
        let mut t = Tarjan {
            index: vec![UNSEEN; n],
            low: vec![0; n],
            on_stack: vec![false; n],
            next_index: 0,
            component: Vec::new(),
            frames: Vec::new(),
        };
        let mut scratch = CycleScratch { mark: vec![0; n], parent: vec![0; n], stamp: 0 };
        for root in 0..n {
            if t.index[root] != UNSEEN {
                continue;
            }
            t.enter(root);
            while let Some(&(v, mut next)) = t.frames.last() {
                let mut descend = None;
                while next < contracts.messages[v].fields.len() {
                    let fi = next;
                    next += 1;
                    if let Some(w) = target(v, fi) {
                        if t.index[w] == UNSEEN {
                            descend = Some(w);
                            break;
                        }
                        if t.on_stack[w] {
                            t.low[v] = t.low[v].min(t.index[w]);
                        }
                    }
                }
                t.frames.last_mut().expect("non-empty").1 = next;
                if let Some(w) = descend {
                    t.enter(w);
                    continue;
                }
                t.frames.pop();
                if let Some(&(parent, _)) = t.frames.last() {
                    t.low[parent] = t.low[parent].min(t.low[v]);
                }
                if t.low[v] != t.index[v] {
                    continue;
                }
                // `v` roots a component: everything above it on the stack.
                let from = t.component.iter().rposition(|&m| m == v).expect("v is on the stack");
                let members: Vec<usize> = t.component.drain(from..).collect();
                for &m in &members {
                    t.on_stack[m] = false;
                }
                let embeds_itself = (0..contracts.messages[v].fields.len()).any(|fi| target(v, fi) == Some(v));
                if members.len() == 1 && !embeds_itself {
                    out[v] = Some(layout_of(&contracts.enums, &shapes[v], &out));
                    continue;
                }
                let cycle = scratch.cycle(&members, &target, |m| contracts.messages[m].fields.len());
                for &m in &members {
                    out[m] = Some(Err(SizeError::Recursive { cycle: Arc::clone(&cycle) }));
                }
            }
        }
        Layout { messages: out.into_iter().map(|r| r.expect("every message visited")).collect(), shapes, by_name }
    }

    /// The shape of each field of the message at `index` in [`Contracts::messages`], in
    /// declaration order, or why a field has none; empty for an index out of range. Every
    /// field is resolved, also in messages with no valid size.
    pub fn shapes(&self, index: usize) -> &[Result<FieldShape, ShapeError>] {
        self.shapes.get(index).map_or(&[], |s| s)
    }

    /// Bytes of one element of a field: `None` for a message with no valid size (or out of
    /// range), or an enum out of range of `contracts`.
    pub fn elem_size(&self, contracts: &Contracts, elem: Elem) -> Option<u64> {
        match elem {
            Elem::Message(k) => self.get(k)?.as_ref().ok().map(|l| l.max_size),
            _ => unembedded_elem_size(&contracts.enums, elem),
        }
    }

    /// Layout of the message at `index` in [`Contracts::messages`].
    pub fn get(&self, index: usize) -> Option<&Result<MessageLayout, SizeError>> {
        self.messages.get(index)
    }

    /// Layout of the (first) message named `name`.
    pub fn by_name(&self, name: &str) -> Option<&Result<MessageLayout, SizeError>> {
        self.by_name.get(name).map(|&i| &self.messages[i])
    }

    /// The buffer-pool plan of the service `name`: one class per distinct `BUFFER_CLASS`
    /// among its messages (ascending), each with its capacity. Messages that do not exist or
    /// have no valid size, and embedded-only ones, are left out (the checks report them). `None`
    /// for an unknown service.
    pub fn pool_plan(&self, contracts: &Contracts, service: &str) -> Option<PoolPlan> {
        let svc = contracts.services.get(service)?;
        let mut messages = Vec::new();
        for name in &svc.messages {
            if let Some(Ok(l)) = self.by_name(name)
                && !l.is_too_large()
                && contracts.message(name).is_some_and(|m| m.is_framed())
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

/// The state of Tarjan's strongly-connected-components search.
struct Tarjan {
    index: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    next_index: usize,
    /// Messages of the components not yet complete.
    component: Vec<usize>,
    /// Depth-first search frames: (message, next field to look at).
    frames: Vec<(usize, usize)>,
}

impl Tarjan {
    fn enter(&mut self, v: usize) {
        self.index[v] = self.next_index;
        self.low[v] = self.next_index;
        self.next_index += 1;
        self.on_stack[v] = true;
        self.component.push(v);
        self.frames.push((v, 0));
    }
}

/// Reusable buffers for finding one cycle per component (a stamp per component, so nothing is
/// cleared between components).
struct CycleScratch {
    mark: Vec<usize>,
    parent: Vec<usize>,
    stamp: usize,
}

impl CycleScratch {
    /// A shortest cycle through the first (lowest-index) message of a strongly connected
    /// component, by breadth-first search inside it: linear in the component's fields.
    fn cycle(
        &mut self,
        members: &[usize],
        target: &impl Fn(usize, usize) -> Option<usize>,
        fields: impl Fn(usize) -> usize,
    ) -> Arc<[usize]> {
        // Two stamps per component: `inside` marks members, `seen` marks visited ones.
        self.stamp += 2;
        let (inside, seen) = (self.stamp - 1, self.stamp);
        for &m in members {
            self.mark[m] = inside;
        }
        let first = *members.iter().min().expect("a component is never empty");
        self.mark[first] = seen;
        let mut queue = std::collections::VecDeque::from([first]);
        while let Some(v) = queue.pop_front() {
            for fi in 0..fields(v) {
                let Some(w) = target(v, fi) else { continue };
                if w == first {
                    // Back at the start: the path first -> ... -> v closes the cycle.
                    let mut path = vec![v];
                    while *path.last().expect("non-empty") != first {
                        path.push(self.parent[*path.last().expect("non-empty")]);
                    }
                    path.reverse();
                    return path.into();
                }
                if self.mark[w] == inside {
                    self.mark[w] = seen;
                    self.parent[w] = v;
                    queue.push_back(w);
                }
            }
        }
        unreachable!("every message of a strongly connected component is on a cycle through the first")
    }
}

fn layout_of(
    enums: &[EnumDef],
    shapes: &[Result<FieldShape, ShapeError>],
    done: &[Option<Result<MessageLayout, SizeError>>],
) -> Result<MessageLayout, SizeError> {
    let mut fields = Vec::with_capacity(shapes.len());
    let mut offset: u64 = 0;
    for (fi, shape) in shapes.iter().enumerate() {
        let size = field_size(shape, fi, enums, done)?;
        fields.push(FieldLayout { offset, size });
        offset = offset.saturating_add(size);
    }
    Ok(MessageLayout { max_size: offset, buffer_class: buffer_class(offset), fields })
}

/// Maximum size of one field: element size × `count`, or 2 + element size × `max_count`.
fn field_size(
    shape: &Result<FieldShape, ShapeError>,
    fi: usize,
    enums: &[EnumDef],
    done: &[Option<Result<MessageLayout, SizeError>>],
) -> Result<u64, SizeError> {
    let shape = match shape {
        Ok(shape) => shape,
        Err(ShapeError::UnknownType) => return Err(SizeError::UnknownType { field: fi }),
        Err(ShapeError::Unbounded(_)) => return Err(SizeError::Unbounded { field: fi }),
    };
    let elem = match shape.elem {
        Elem::Message(j) => match done[j].as_ref() {
            Some(Ok(l)) => l.max_size,
            _ => return Err(SizeError::EmbedsInvalid { field: fi, message: j }),
        },
        elem => unembedded_elem_size(enums, elem).unwrap_or(0),
    };
    Ok(match shape.repetition {
        Repetition::One => elem,
        Repetition::Fixed(n) => elem.saturating_mul(n as u64),
        Repetition::Var(n) => 2u64.saturating_add(elem.saturating_mul(n as u64)),
    })
}

/// Bytes of an element that is not an embedded message (`None` for one, or for an enum out of
/// range of `enums`).
fn unembedded_elem_size(enums: &[EnumDef], elem: Elem) -> Option<u64> {
    match elem {
        Elem::Scalar(t) => t.fixed_size(),
        Elem::Str(n) | Elem::Bytes(n) => Some(2 + n as u64),
        Elem::Enum(e) => enums.get(e).map(EnumDef::wire_size),
        Elem::Message(_) => None,
    }
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
    use crate::model::{BuiltinType, FieldDef, MessageDef, ServiceDef};

    fn field(name: &str, ty: &str) -> FieldDef {
        FieldDef { name: name.into(), ty: ty.into(), count: None, max_count: None, max_len: None, description: None }
    }

    fn message(name: &str, type_id: u16, fields: Vec<FieldDef>) -> MessageDef {
        MessageDef { name: name.into(), type_id: Some(type_id), description: None, fields }
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
        Contracts { version: "1.2.0".into(), enums: Vec::new(), messages: vec![swap, pool], services }
    }

    #[test]
    fn swap_event_is_84_bytes_in_class_128() {
        let c = spec_contracts();
        let l = Layout::compute(&c);
        let swap = l.by_name("SwapEvent").unwrap().as_ref().unwrap();
        assert_eq!(swap.max_size, 84);
        assert_eq!(swap.buffer_class, 128);
        let fields: Vec<(u64, u64)> = swap.fields.iter().map(|f| (f.offset, f.size)).collect();
        assert_eq!(fields, vec![(0, 20), (20, 32), (52, 32)]);
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
    fn a_component_shares_one_shortest_cycle_through_its_first_message() {
        // M0 -> M1 -> ... -> M(n-1), and every one of them also embeds M0: one component of
        // n messages, whose cycles (n of them, of every length) used to be copied one by one
        // (n²/2 indices). Now one cycle, the shortest through M0: M0 embeds itself.
        let n = 3_000;
        let mut c = Contracts {
            version: "1.0.0".into(),
            enums: Vec::new(),
            messages: Vec::new(),
            services: Default::default(),
        };
        for i in 0..n {
            let mut fields = vec![field("back", "M0")];
            if i + 1 < n {
                fields.push(field("next", &format!("M{}", i + 1)));
            }
            c.messages.push(message(&format!("M{i}"), i as u16 + 1, fields));
        }
        c.messages.push(message("Outside", 9_999, vec![field("m", "M5")]));
        let l = Layout::compute(&c);
        let first = match l.get(0).unwrap() {
            Err(SizeError::Recursive { cycle }) => cycle.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(&*first, &[0]);
        for i in 0..n {
            match l.get(i).unwrap() {
                Err(SizeError::Recursive { cycle }) => assert!(Arc::ptr_eq(cycle, &first), "M{i}"),
                other => panic!("M{i}: {other:?}"),
            }
        }
        assert_eq!(l.by_name("Outside").unwrap(), &Err(SizeError::EmbedsInvalid { field: 0, message: 5 }));

        // A ring whose first message is not where the search starts: the cycle still starts
        // with the lowest index and follows the embeddings.
        let mut c = Contracts {
            version: "1.0.0".into(),
            enums: Vec::new(),
            messages: Vec::new(),
            services: Default::default(),
        };
        c.messages.push(message("Entry", 1, vec![field("r", "R2")]));
        c.messages.push(message("R1", 2, vec![field("n", "R2")]));
        c.messages.push(message("R2", 3, vec![field("n", "R3")]));
        c.messages.push(message("R3", 4, vec![field("n", "R1"), field("x", "u8")]));
        let l = Layout::compute(&c);
        assert_eq!(l.by_name("R3").unwrap(), &Err(SizeError::Recursive { cycle: Arc::from([1, 2, 3]) }));
        assert_eq!(l.by_name("Entry").unwrap(), &Err(SizeError::EmbedsInvalid { field: 0, message: 2 }));
    }

    #[test]
    fn recursion_is_detected_directly_and_through_others() {
        let mut c = spec_contracts();
        c.messages.push(message("Selfish", 3, vec![field("me", "Selfish")]));
        c.messages.push(message("A", 4, vec![field("b", "B")]));
        c.messages.push(message("B", 5, vec![field("a", "A")]));
        c.messages.push(message("UsesA", 6, vec![field("a", "A")]));
        let l = Layout::compute(&c);
        assert_eq!(l.by_name("Selfish").unwrap(), &Err(SizeError::Recursive { cycle: Arc::from([2]) }));
        assert_eq!(l.by_name("A").unwrap(), &Err(SizeError::Recursive { cycle: Arc::from([3, 4]) }));
        assert_eq!(l.by_name("B").unwrap(), &Err(SizeError::Recursive { cycle: Arc::from([3, 4]) }));
        let (Err(SizeError::Recursive { cycle: a }), Err(SizeError::Recursive { cycle: b })) =
            (l.by_name("A").unwrap(), l.by_name("B").unwrap())
        else {
            unreachable!()
        };
        assert!(Arc::ptr_eq(a, b), "one allocation per component");
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
        let c = Contracts { version: "1.0.0".into(), enums: Vec::new(), messages, services: Default::default() };
        let l = Layout::compute(&c);
        assert_eq!(l.by_name("M0").unwrap().as_ref().unwrap().max_size, 1);
    }

    #[test]
    fn every_field_is_resolved_once_also_in_messages_without_a_size() {
        let mut c = spec_contracts();
        c.enums.push(crate::model::EnumDef {
            name: "Side".into(),
            ty: "uint16".into(),
            description: None,
            values: crate::model::EnumValues(vec![crate::model::EnumValue { name: "Buy".into(), value: 1 }]),
        });
        c.messages.push(message(
            "Mixed",
            3,
            vec![
                FieldDef { max_count: Some(4), ..field("side", "Side") },
                field("swap", "SwapEvent"),
                FieldDef { max_len: Some(9), count: Some(2), ..field("blob", "bytes") },
                field("nope", "Nope"),
                field("text", "string"),
            ],
        ));
        let l = Layout::compute(&c);
        let one = |elem| Ok(FieldShape { elem, repetition: Repetition::One });
        assert_eq!(
            l.shapes(0),
            &[
                one(Elem::Scalar(BuiltinType::Address)),
                one(Elem::Scalar(BuiltinType::Uint256)),
                one(Elem::Scalar(BuiltinType::Uint256))
            ]
        );
        assert_eq!(
            l.shapes(2),
            &[
                Ok(FieldShape { elem: Elem::Enum(0), repetition: Repetition::Var(4) }),
                one(Elem::Message(0)),
                Ok(FieldShape { elem: Elem::Bytes(9), repetition: Repetition::Fixed(2) }),
                Err(ShapeError::UnknownType),
                Err(ShapeError::Unbounded(BuiltinType::String)),
            ]
        );
        assert_eq!(l.by_name("Mixed").unwrap(), &Err(SizeError::UnknownType { field: 3 }));
        assert_eq!(l.elem_size(&c, Elem::Enum(0)), Some(2));
        assert_eq!(l.elem_size(&c, Elem::Message(0)), Some(84));
        assert_eq!(l.elem_size(&c, Elem::Message(2)), None);
        assert!(l.shapes(3).is_empty());

        // An enum declared twice (a finding of the checks) is the first, as for the codec and
        // the compatibility check.
        let mut twice = c.enums[0].clone();
        twice.ty = "u32".into();
        c.enums.push(twice);
        let l = Layout::compute(&c);
        assert_eq!(l.shapes(2)[0], Ok(FieldShape { elem: Elem::Enum(0), repetition: Repetition::Var(4) }));
        assert_eq!(l.elem_size(&c, Elem::Enum(0)), Some(2));
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
