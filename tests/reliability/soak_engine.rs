//! The loopback soak run, shared by the `soak` test (a modest size) and `benches/tools/soak.rs` (a
//! bigger one, figures in `docs/dev/testing.md`).
//!
//! `connections` clients connect to a server on 127.0.0.1 and stream frames of the three
//! generated message types, with payload lengths drawn up to each type's `MAX_SIZE` and the
//! last 8 bytes an FNV-1a checksum of the rest (the first 8 bytes name the connection and the
//! frame's sequence number). The server reads each connection through a [`FrameReader`] with
//! the generated per-type limits, verifies every payload, and reports per connection the
//! frames and bytes received and how the stream ended.
//!
//! Clients behave by `connection % 8`: 0–2 write each frame in random pieces (split across
//! writes), 3 stalls mid-frame between pieces, 4 coalesces many frames per write, 5 disconnects
//! inside a frame, 6 sends a length over its type's limit, 7 sends an unknown type id. Every run
//! is bounded (a frame count per connection, a timeout on the whole) and stops by itself.
#![allow(dead_code)]

use std::io;
use std::time::{Duration, Instant};

use mycelium_contracts::generated::MESSAGE_LIMITS;
use mycelium_contracts::runtime::{BufferPool, ClassStats, FrameError, FrameLimits, FrameReader};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

/// What a soak run does.
#[derive(Debug, Clone, Copy)]
pub struct SoakConfig {
    /// Concurrent connections.
    pub connections: usize,
    /// Frames each well-behaved client sends (faulty ones send half, then the fault).
    pub frames: usize,
    /// Seed of the payload and split generator.
    pub seed: u64,
}

/// How a client's stream is meant to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// No fault: frames split at random points across writes.
    Split,
    /// Sleeps between the pieces of a frame.
    Stall,
    /// Many frames per write.
    Coalesce,
    /// Closes the connection inside a frame.
    Disconnect,
    /// Announces a length over the type's limit.
    OverLimit,
    /// Sends a type id not in the limits table.
    UnknownType,
}

impl Fault {
    /// The behaviour of connection `i`.
    pub fn of(i: usize) -> Fault {
        match i % 8 {
            0..=2 => Fault::Split,
            3 => Fault::Stall,
            4 => Fault::Coalesce,
            5 => Fault::Disconnect,
            6 => Fault::OverLimit,
            _ => Fault::UnknownType,
        }
    }

    /// Whether the stream is broken on purpose.
    pub fn is_fault(self) -> bool {
        matches!(self, Fault::Disconnect | Fault::OverLimit | Fault::UnknownType)
    }
}

/// The outcome of a run.
#[derive(Debug, Default)]
pub struct SoakReport {
    /// Connections served.
    pub connections: usize,
    /// Complete frames the clients sent.
    pub frames_sent: u64,
    /// Frames the server received intact (checksum and sequence verified).
    pub frames_received: u64,
    /// Payload bytes received.
    pub bytes: u64,
    /// Faults injected (disconnects inside a frame, over-limit lengths, unknown types).
    pub faults: usize,
    /// Problems found: frames lost or corrupted, a connection ending in the wrong way.
    pub problems: Vec<String>,
    /// The pool's counters after every connection closed.
    pub stats: Vec<ClassStats>,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Frame `seq` of connection `conn`: a type and a payload of 16 to `MAX_SIZE` bytes, ending in
/// its checksum.
fn frame(rng: &mut Rng, conn: u32, seq: u32) -> Vec<u8> {
    let (type_id, max) = MESSAGE_LIMITS[rng.below(MESSAGE_LIMITS.len())];
    let len = 16 + rng.below(max - 16 + 1);
    let mut payload = vec![0u8; len];
    payload[..4].copy_from_slice(&conn.to_le_bytes());
    payload[4..8].copy_from_slice(&seq.to_le_bytes());
    for b in &mut payload[8..len - 8] {
        *b = rng.next() as u8;
    }
    let sum = fnv1a(&payload[..len - 8]);
    payload[len - 8..].copy_from_slice(&sum.to_le_bytes());
    let mut out = Vec::with_capacity(6 + len);
    out.extend_from_slice(&type_id.to_le_bytes());
    out.extend_from_slice(&(len as u32).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

/// Writes `bytes` in random pieces, sleeping between them when `stall`.
async fn write_split(socket: &mut TcpStream, rng: &mut Rng, bytes: &[u8], stall: bool) -> io::Result<()> {
    let mut rest = bytes;
    while !rest.is_empty() {
        let n = (1 + rng.below(rest.len().min(97))).min(rest.len());
        socket.write_all(&rest[..n]).await?;
        socket.flush().await?;
        rest = &rest[n..];
        if stall && !rest.is_empty() && rng.below(4) == 0 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    Ok(())
}

/// One client: returns the complete frames it sent.
async fn client(addr: std::net::SocketAddr, conn: usize, cfg: SoakConfig) -> io::Result<u64> {
    let mut socket = TcpStream::connect(addr).await?;
    socket.set_nodelay(true)?;
    let mut rng = Rng::new(cfg.seed ^ (conn as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let fault = Fault::of(conn);
    let frames = if fault.is_fault() { cfg.frames / 2 + 1 } else { cfg.frames };
    let mut batch = Vec::new();
    for seq in 0..frames {
        let bytes = frame(&mut rng, conn as u32, seq as u32);
        match fault {
            Fault::Coalesce => {
                batch.extend_from_slice(&bytes);
                if batch.len() > 16 * 1024 || seq + 1 == frames {
                    socket.write_all(&batch).await?;
                    batch.clear();
                }
            }
            _ => write_split(&mut socket, &mut rng, &bytes, fault == Fault::Stall).await?,
        }
    }
    // The fault itself: the server may close the connection while it is still being written
    // (it stops at the bad header), so write errors here are expected and ignored.
    let _ = inject(&mut socket, &mut rng, fault, conn, frames).await;
    let _ = socket.shutdown().await;
    Ok(frames as u64)
}

/// Writes the fault of a faulty client after its complete frames.
async fn inject(socket: &mut TcpStream, rng: &mut Rng, fault: Fault, conn: usize, frames: usize) -> io::Result<()> {
    match fault {
        Fault::Disconnect => {
            let bytes = frame(rng, conn as u32, frames as u32);
            let cut = 1 + rng.below(bytes.len() - 1);
            write_split(socket, rng, &bytes[..cut], false).await?;
        }
        Fault::OverLimit => {
            let (type_id, max) = MESSAGE_LIMITS[rng.below(MESSAGE_LIMITS.len())];
            let mut header = type_id.to_le_bytes().to_vec();
            header.extend_from_slice(&((max + 1 + rng.below(1 << 20)) as u32).to_le_bytes());
            header.extend_from_slice(&[0xEE; 64]);
            write_split(socket, rng, &header, false).await?;
        }
        Fault::UnknownType => {
            let mut header = 0xBEEFu16.to_le_bytes().to_vec();
            header.extend_from_slice(&8u32.to_le_bytes());
            header.extend_from_slice(&[0xEE; 8]);
            write_split(socket, rng, &header, false).await?;
        }
        _ => {}
    }
    Ok(())
}

/// How the server saw one connection end.
#[derive(Debug)]
struct Served {
    conn: Option<u32>,
    frames: u64,
    bytes: u64,
    end: Result<(), io::Error>,
    problems: Vec<String>,
}

async fn serve(socket: TcpStream, pool: BufferPool) -> Served {
    let mut reader = FrameReader::with_capacity(4096, socket, pool).with_limits(FrameLimits::new(MESSAGE_LIMITS));
    let mut served = Served { conn: None, frames: 0, bytes: 0, end: Ok(()), problems: Vec::new() };
    loop {
        match reader.next_frame().await {
            Ok(Some((type_id, payload))) => {
                let len = payload.len();
                let conn = u32::from_le_bytes(payload[..4].try_into().unwrap());
                let seq = u32::from_le_bytes(payload[4..8].try_into().unwrap());
                let sum = u64::from_le_bytes(payload[len - 8..].try_into().unwrap());
                if sum != fnv1a(&payload[..len - 8]) {
                    served.problems.push(format!("conn {conn} frame {seq} (type {type_id}): checksum mismatch"));
                }
                if *served.conn.get_or_insert(conn) != conn || u64::from(seq) != served.frames {
                    served.problems.push(format!("conn {conn}: frame {seq} out of order (expected {})", served.frames));
                }
                served.frames += 1;
                served.bytes += len as u64;
                // Hand the frame to two consumers, as a service would.
                let shared = payload.freeze();
                let copy = shared.clone();
                drop(shared);
                drop(copy);
            }
            Ok(None) => break,
            Err(e) => {
                served.end = Err(e);
                break;
            }
        }
    }
    served
}

/// Runs one soak: binds 127.0.0.1, serves `cfg.connections` clients at once, and checks every
/// connection's outcome. Bounded: every client sends a fixed number of frames, and the whole
/// run times out after two minutes.
pub async fn run(cfg: SoakConfig, pool: BufferPool) -> SoakReport {
    let started = Instant::now();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().unwrap();
    assert!(addr.ip().is_loopback());
    let server_pool = pool.clone();
    let server = tokio::spawn(async move {
        let mut tasks = Vec::new();
        for _ in 0..cfg.connections {
            let (socket, _) = listener.accept().await.expect("accept");
            tasks.push(tokio::spawn(serve(socket, server_pool.clone())));
        }
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.expect("server task"));
        }
        out
    });
    let clients: Vec<_> = (0..cfg.connections).map(|i| tokio::spawn(client(addr, i, cfg))).collect();
    let work = async {
        let mut sent = Vec::new();
        for c in clients {
            sent.push(c.await.expect("client task"));
        }
        (sent, server.await.expect("server"))
    };
    let (sent, served) = tokio::time::timeout(Duration::from_secs(120), work).await.expect("soak run timed out");
    let mut report = SoakReport { connections: cfg.connections, ..SoakReport::default() };
    let mut by_conn: Vec<Option<&Served>> = vec![None; cfg.connections];
    for s in &served {
        report.problems.extend(s.problems.iter().cloned());
        match s.conn {
            Some(c) if (c as usize) < cfg.connections => by_conn[c as usize] = Some(s),
            _ => report.problems.push(format!("a connection sent no identifiable frame: {s:?}")),
        }
        report.frames_received += s.frames;
        report.bytes += s.bytes;
    }
    for (conn, (sent, served)) in sent.iter().zip(&by_conn).enumerate() {
        let fault = Fault::of(conn);
        let Ok(sent) = sent else {
            report.problems.push(format!("client {conn} ({fault:?}) failed: {sent:?}"));
            continue;
        };
        report.frames_sent += sent;
        let Some(served) = served else { continue };
        if served.frames != *sent {
            report.problems.push(format!("conn {conn} ({fault:?}): {} of {sent} frames received", served.frames));
        }
        let kind = served.end.as_ref().err().and_then(FrameError::from_io).copied();
        let ok = match fault {
            Fault::Split | Fault::Stall | Fault::Coalesce => served.end.is_ok(),
            Fault::Disconnect => matches!(kind, Some(FrameError::Truncated { .. })),
            Fault::OverLimit => matches!(kind, Some(FrameError::TooLong { .. })),
            Fault::UnknownType => matches!(kind, Some(FrameError::UnknownType { type_id: 0xBEEF })),
        };
        if fault.is_fault() {
            report.faults += 1;
        }
        if !ok {
            report.problems.push(format!("conn {conn} ({fault:?}) ended with {:?}", served.end));
        }
    }
    drop(served);
    report.stats = pool.stats();
    report.elapsed = started.elapsed();
    report
}

/// The pool a soak run uses: small capacities, so misses and frees over capacity happen too.
pub fn soak_pool() -> BufferPool {
    BufferPool::builder().with_size_class(128, 32).with_size_class(256, 32).with_size_class(1024, 16).build()
}
