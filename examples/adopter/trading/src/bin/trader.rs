//! The trader: connects to the matcher at ADDRESS, sends N orders (default 10,000), reads every
//! `Ack` and checks it answers its order. `trader ADDRESS [N]`.

use mycelium_contracts::runtime::{InlineString, Message, read_frame_pooled, write_frame};
use tokio::io::{AsyncWriteExt, BufReader, BufWriter};
use tokio::net::TcpStream;
use trading::contracts::services::trader;
use trading::contracts::{Ack, Order};
use trading::{DEFAULT_ORDERS, LIMIT_E8};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let address = args.next().ok_or_else(|| std::io::Error::other("usage: trader ADDRESS [N]"))?;
    let orders: u64 = match args.next() {
        Some(n) => n.parse().map_err(|e| std::io::Error::other(format!("N: {e}")))?,
        None => DEFAULT_ORDERS,
    };
    let socket = TcpStream::connect(&address).await?;
    let (read, write) = socket.into_split();
    let sender = tokio::spawn(async move {
        let mut writer = BufWriter::new(write);
        let mut buf = [0u8; Order::MAX_SIZE];
        let symbol = InlineString::try_from("BTC-USDT").map_err(std::io::Error::other)?;
        for order_id in 0..orders {
            let price_e8 = LIMIT_E8 - 500 + (order_id % 1000) as i64;
            // `..Default::default()` keeps this compiling when a minor version appends a field.
            #[allow(clippy::needless_update)]
            let order = Order { order_id, symbol, price_e8, quantity: 1, ..Default::default() };
            let n = order.encode(&mut buf).map_err(std::io::Error::other)?;
            write_frame(&mut writer, Order::TYPE_ID, &buf[..n]).await?;
        }
        writer.flush().await?;
        writer.into_inner().shutdown().await
    });
    let pool = trader::buffer_pool();
    let mut reader = BufReader::new(read);
    let (mut acks, mut accepted) = (0u64, 0u64);
    while let Some((type_id, payload)) = read_frame_pooled(&mut reader, &pool).await? {
        let ack = match type_id {
            Ack::TYPE_ID => Ack::decode(&payload).map_err(std::io::Error::other)?,
            other => return Err(std::io::Error::other(format!("the trader does not handle type id {other}"))),
        };
        if ack.order_id != acks {
            return Err(std::io::Error::other(format!("ack for order {} where {acks} was due", ack.order_id)));
        }
        acks += 1;
        accepted += u64::from(ack.accepted);
    }
    sender.await.map_err(std::io::Error::other)??;
    if acks != orders {
        return Err(std::io::Error::other(format!("{acks} acks for {orders} orders")));
    }
    println!("trader: {orders} orders sent, {acks} acknowledged, {accepted} accepted");
    Ok(())
}
