// Reproduces: https://github.com/jkozlowski/starfish/issues/5 — a storage task keeps a raw FFI device pointer in a local across the await that reads a block.
// expect: kind=raw-pointer shape=held-across-await culprit=`*mut Bdev` value=bdev
// expect-line: await=29
use std::time::Duration;

/// What the C library hands out: an opaque device.
#[repr(C)]
struct Bdev {
    block_size: u32,
}

static mut FIRST_DEVICE: Bdev = Bdev { block_size: 512 };

/// Stands for the FFI call `spdk_bdev_first()`.
fn bdev_first() -> *mut Bdev {
    &raw mut FIRST_DEVICE
}

async fn read_block(block_size: u32, lba: u64) -> Vec<u8> {
    tokio::time::sleep(Duration::from_millis(1)).await;
    vec![lba as u8; block_size as usize]
}

async fn run() -> usize {
    let bdev = bdev_first();
    let block_size = unsafe { (*bdev).block_size };
    let mut total = 0;
    for lba in 0..4 {
        total += read_block(block_size, lba).await.len();
    }
    println!("device at {bdev:p}");
    total
}

#[tokio::main]
async fn main() {
    println!("{} bytes", tokio::spawn(run()).await.unwrap());
}
