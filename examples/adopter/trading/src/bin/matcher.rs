//! The matcher service: listens on loopback, prints its address, answers every `Order` with an
//! `Ack`, and exits after serving `--connections N` clients (default 1).

use mycelium_contracts::runtime::{Message, read_frame_pooled, write_frame};
use tokio::io::{AsyncWriteExt, BufReader, BufWriter};
use tokio::net::TcpListener;
use trading::LIMIT_E8;
use trading::contracts::services::matcher;
use trading::contracts::{Ack, Order};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let connections: usize = match std::env::args().skip_while(|a| a != "--connections").nth(1) {
        Some(n) => n.parse().map_err(|e| std::io::Error::other(format!("--connections: {e}")))?,
        None => 1,
    };
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    println!("{}", listener.local_addr()?);
    let pool = matcher::buffer_pool();
    for _ in 0..connections {
        let (socket, _) = listener.accept().await?;
        let (read, write) = socket.into_split();
        let (mut reader, mut writer) = (BufReader::new(read), BufWriter::new(write));
        let mut answered = 0u64;
        let mut ack = [0u8; Ack::MAX_SIZE];
        while let Some((type_id, payload)) = read_frame_pooled(&mut reader, &pool).await? {
            if type_id != Order::TYPE_ID {
                return Err(std::io::Error::other(format!("the matcher does not handle type id {type_id}")));
            }
            let order = Order::decode(&payload).map_err(std::io::Error::other)?;
            let reply = Ack { order_id: order.order_id, accepted: order.price_e8 <= LIMIT_E8 };
            let n = reply.encode(&mut ack).map_err(std::io::Error::other)?;
            write_frame(&mut writer, Ack::TYPE_ID, &ack[..n]).await?;
            answered += 1;
        }
        writer.flush().await?;
        eprintln!("matcher: answered {answered} orders; pool: {:?}", pool.stats());
    }
    Ok(())
}
