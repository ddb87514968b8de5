// Reproduces: https://github.com/ccbrown/iocraft/issues/150 — a render loop stores its future as `Pin<Box<dyn Future<Output = io::Result<()>>>>` without + Send, so the async fn that owns and awaits it is not Send.
// expect: kind=boxed-future shape=awaits-non-send-future culprit=`dyn Future<Output = Result<(), std::io::Error>>` value=render_loop.future.as_mut()
// expect-line: await=29
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::time::Duration;

struct RenderLoop {
    frames: u32,
    future: Pin<Box<dyn Future<Output = io::Result<()>>>>,
}

impl RenderLoop {
    fn new(frames: u32) -> Self {
        RenderLoop {
            frames,
            future: Box::pin(async move {
                for _ in 0..frames {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                Ok(())
            }),
        }
    }
}

async fn render(mut render_loop: RenderLoop) -> io::Result<u32> {
    render_loop.future.as_mut().await?;
    Ok(render_loop.frames)
}

fn start() -> impl Future<Output = io::Result<u32>> + Send {
    render(RenderLoop::new(3))
}

#[tokio::main]
async fn main() {
    println!("{:?} frames", tokio::spawn(start()).await.unwrap());
}
