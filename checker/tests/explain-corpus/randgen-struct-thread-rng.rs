// Reproduces: https://github.com/tokio-rs/tokio/issues/1913 — a connection handler keeps a struct that wraps rand's ThreadRng and awaits socket reads between draws.
// expect: kind=thread-rng shape=held-across-await culprit=`Rc<UnsafeCell<ReseedingRng` value=dice
// expect-line: await=21
use rand::Rng;
use rand::rngs::ThreadRng;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

struct Dice {
    rng: ThreadRng,
}

impl Dice {
    fn roll(&mut self) -> u8 {
        self.rng.random_range(1..=6)
    }
}

async fn handle(mut socket: DuplexStream) {
    let mut dice = Dice { rng: rand::rng() };
    let mut request = [0u8; 4];
    while let Ok(n) = socket.read(&mut request).await {
        if n == 0 {
            break;
        }
        let roll = dice.roll();
        socket.write_all(&[roll]).await.unwrap();
    }
}

#[tokio::main]
async fn main() {
    let (mut client, server) = tokio::io::duplex(64);
    let connection = tokio::spawn(handle(server));
    client.write_all(b"roll").await.unwrap();
    let mut roll = [0u8; 1];
    client.read_exact(&mut roll).await.unwrap();
    println!("rolled {}", roll[0]);
    drop(client);
    connection.await.unwrap();
}
