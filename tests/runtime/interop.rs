//! Interoperation with tokio-util's `LengthDelimitedCodec`, configured as `docs/reference/runtime.md`
//! says: `length_field_offset(2)`, `length_field_length(4)`, `length_adjustment(6)`,
//! `num_skip(0)`, little-endian. It then yields whole frames, header included.

use bytes::{Bytes, BytesMut};
use futures_util::{SinkExt, StreamExt};
use mycelium_contracts::runtime::{BufferPool, FrameHeader, FrameReader, write_frame};
use tokio_util::codec::{BytesCodec, Decoder, FramedRead, FramedWrite, LengthDelimitedCodec};

fn spec_codec() -> LengthDelimitedCodec {
    LengthDelimitedCodec::builder()
        .length_field_offset(2)
        .length_field_length(4)
        .length_adjustment(6)
        .num_skip(0)
        .little_endian()
        .new_codec()
}

fn frames() -> Vec<(u16, Vec<u8>)> {
    (0..50u16).map(|i| (i * 7 + 1, (0..(i as usize * 13) % 250).map(|b| b as u8 ^ i as u8).collect())).collect()
}

fn pool() -> BufferPool {
    BufferPool::builder().with_size_class(128, 8).with_size_class(256, 8).build()
}

/// Our writer, their reader: `LengthDelimitedCodec` splits `write_frame`'s output into the same
/// frames.
#[test]
fn write_frame_is_read_by_length_delimited_codec() {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let (mut tx, rx) = tokio::io::duplex(64);
        let expected = frames();
        let sent = expected.clone();
        let writer = tokio::spawn(async move {
            for (t, p) in &sent {
                write_frame(&mut tx, *t, p).await.unwrap();
            }
        });
        let mut framed = FramedRead::new(rx, spec_codec());
        let mut got = Vec::new();
        while let Some(frame) = framed.next().await {
            let frame = frame.unwrap();
            let header = FrameHeader::decode(frame[..6].try_into().unwrap());
            assert_eq!(header.length as usize, frame.len() - 6);
            got.push((header.type_id, frame[6..].to_vec()));
        }
        writer.await.unwrap();
        assert_eq!(got, expected);
    });
}

/// Their framing, our reader: frames split out by `LengthDelimitedCodec` on one side and sent
/// on verbatim (as a relay using it would) are read back by `FrameReader` unchanged.
///
/// `LengthDelimitedCodec`'s encoder always writes the length first (it has no place for the
/// type before it), so the frames cannot come from its encoder; they come from its decoder.
#[test]
fn frames_split_by_length_delimited_codec_are_read_by_frame_reader() {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let expected = frames();
        let mut wire = Vec::new();
        for (t, p) in &expected {
            write_frame(&mut wire, *t, p).await.unwrap();
        }
        // Relay: split with LengthDelimitedCodec, forward each frame as it is.
        let mut src = BytesMut::from(&wire[..]);
        let mut codec = spec_codec();
        let mut split: Vec<Bytes> = Vec::new();
        while let Some(frame) = codec.decode(&mut src).unwrap() {
            split.push(frame.freeze());
        }
        assert_eq!(split.len(), expected.len());
        let (tx, rx) = tokio::io::duplex(100);
        let relay = tokio::spawn(async move {
            let mut sink = FramedWrite::new(tx, BytesCodec::new());
            for frame in split {
                sink.send(frame).await.unwrap();
            }
        });
        let mut reader = FrameReader::new(rx, pool());
        let mut got = Vec::new();
        while let Some((t, p)) = reader.next_frame().await.unwrap() {
            got.push((t, p.to_vec()));
        }
        relay.await.unwrap();
        assert_eq!(got, expected);
    });
}

/// Both codecs agree on where every frame ends, for any split of the stream.
#[test]
fn both_decoders_agree_on_arbitrary_chunking() {
    let expected = frames();
    let mut wire = Vec::new();
    for (t, p) in &expected {
        crate::mock::block_on(write_frame(&mut wire, *t, p)).unwrap();
    }
    for chunk in [1, 5, 6, 7, 100, 4096] {
        let steps = wire.chunks(chunk).map(|c| crate::mock::Step::Data(c.to_vec())).collect::<Vec<_>>();
        let mut reader = FrameReader::with_capacity(300, crate::mock::Script::new(steps), pool());
        let mut ours = Vec::new();
        while let Some((t, p)) = crate::mock::block_on(reader.next_frame()).unwrap() {
            let mut whole = FrameHeader { type_id: t, length: p.len() as u32 }.encode().to_vec();
            whole.extend_from_slice(&p);
            ours.push(whole);
        }
        let mut theirs = Vec::new();
        let mut codec = spec_codec();
        let mut src = BytesMut::new();
        for c in wire.chunks(chunk) {
            src.extend_from_slice(c);
            while let Some(frame) = codec.decode(&mut src).unwrap() {
                theirs.push(frame.to_vec());
            }
        }
        assert_eq!(ours, theirs, "chunk {chunk}");
    }
}

#[cfg(feature = "codec")]
#[test]
fn frame_codec_and_length_delimited_codec_round_trip() {
    use mycelium_contracts::runtime::FrameCodec;
    use tokio_util::codec::Encoder;

    // Our encoder, their decoder.
    let mut ours = FrameCodec::new(pool());
    let mut wire = BytesMut::new();
    for (t, p) in frames() {
        ours.encode((t, p), &mut wire).unwrap();
    }
    let mut theirs = spec_codec();
    let mut n = 0;
    let mut copy = wire.clone();
    while let Some(frame) = theirs.decode(&mut copy).unwrap() {
        assert_eq!(u16::from_le_bytes([frame[0], frame[1]]), frames()[n].0);
        n += 1;
    }
    assert_eq!(n, frames().len());
    // Their decoder's frames, our decoder.
    let mut got = Vec::new();
    while let Some((t, p)) = ours.decode(&mut wire).unwrap() {
        got.push((t, p.to_vec()));
    }
    assert_eq!(got, frames());
}
