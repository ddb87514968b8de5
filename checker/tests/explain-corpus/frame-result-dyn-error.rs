// Reproduces: https://github.com/atrium-rs/atrium/issues/20 — a firehose frame parser returns Result<_, Box<dyn Error>>, and the Result stays alive across the await that stores the frame.
// expect: kind=dyn-error shape=held-across-await culprit=`dyn std::error::Error` value=frame
// expect-line: await=29
use std::error::Error;
use std::time::Duration;

#[derive(Debug)]
struct Frame {
    seq: u64,
    body: Vec<u8>,
}

fn parse_frame(bytes: &[u8]) -> Result<Frame, Box<dyn Error>> {
    let (&seq, body) = bytes.split_first().ok_or("empty frame")?;
    Ok(Frame {
        seq: seq.into(),
        body: body.to_vec(),
    })
}

async fn store(seq: u64) {
    tokio::time::sleep(Duration::from_millis(1)).await;
    println!("stored cursor {seq}");
}

async fn process(message: Vec<u8>) {
    let frame = parse_frame(&message);
    if let Ok(f) = &frame {
        store(f.seq).await;
    }
    match frame {
        Ok(f) => println!("frame {} with {} bytes", f.seq, f.body.len()),
        Err(e) => println!("bad frame: {e}"),
    }
}

#[tokio::main]
async fn main() {
    for message in [vec![1, 42, 43], vec![]] {
        tokio::spawn(process(message)).await.unwrap();
    }
}
