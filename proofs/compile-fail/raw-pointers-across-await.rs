// Claim: a struct that holds a raw pointer (here a C library's context) is not `Send`, so a
// task that keeps one alive across an `.await` cannot be spawned: the compiler knows nothing
// about what the pointer points to, or which threads the library allows.
//
// Book: "Raw pointers and FFI handles" (src/other/raw-pointers.md).

use tokio::sync::mpsc;

// A stand-in for a C library that computes a checksum over a stream of bytes. Its API has
// the usual C shape: an opaque context behind a pointer, created, fed, read and freed by
// functions. Its documentation says: a context may be used from any thread, by one thread
// at a time, and must be freed exactly once.
mod ffi {
    pub struct Checksum {
        state: u64,
    }

    pub extern "C" fn checksum_new() -> *mut Checksum {
        Box::into_raw(Box::new(Checksum { state: 17 }))
    }

    /// # Safety
    /// `ctx` comes from `checksum_new` and is not freed; no other call uses it meanwhile;
    /// `data` points to `len` readable bytes.
    pub unsafe extern "C" fn checksum_update(ctx: *mut Checksum, data: *const u8, len: usize) {
        let (ctx, bytes) = unsafe { (&mut *ctx, std::slice::from_raw_parts(data, len)) };
        for &byte in bytes {
            ctx.state = ctx.state.wrapping_mul(31).wrapping_add(u64::from(byte));
        }
    }

    /// # Safety
    /// As for `checksum_update`.
    pub unsafe extern "C" fn checksum_value(ctx: *const Checksum) -> u64 {
        unsafe { (*ctx).state }
    }

    /// # Safety
    /// `ctx` comes from `checksum_new`, is freed once, and is not used afterwards.
    pub unsafe extern "C" fn checksum_free(ctx: *mut Checksum) {
        drop(unsafe { Box::from_raw(ctx) });
    }
}

// ANCHOR: digest
/// Owns one checksum context of the library.
struct Digest {
    raw: *mut ffi::Checksum,
}

impl Digest {
    fn new() -> Self {
        Digest {
            raw: ffi::checksum_new(),
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        // SAFETY: `raw` is live until `drop`; `&mut self` rules out other calls.
        unsafe { ffi::checksum_update(self.raw, bytes.as_ptr(), bytes.len()) }
    }

    fn value(&self) -> u64 {
        // SAFETY: `raw` is live until `drop`; calls on one thread do not overlap.
        unsafe { ffi::checksum_value(self.raw) }
    }
}

impl Drop for Digest {
    fn drop(&mut self) {
        // SAFETY: `raw` came from `checksum_new` and is freed only here.
        unsafe { ffi::checksum_free(self.raw) }
    }
}
// ANCHOR_END: digest

// ANCHOR: upload
/// Checksums an upload as its chunks arrive.
async fn digest_upload(mut chunks: mpsc::Receiver<Vec<u8>>) -> u64 {
    let mut digest = Digest::new();
    while let Some(chunk) = chunks.recv().await {
        digest.update(&chunk);
    }
    digest.value()
}
// ANCHOR_END: upload

#[tokio::main]
async fn main() {
    let (chunks, received) = mpsc::channel(8);
    // ANCHOR: spawn
    let checksum = tokio::spawn(digest_upload(received));
    // ANCHOR_END: spawn
    chunks.send(b"hello".to_vec()).await.unwrap();
    drop(chunks);
    println!("{}", checksum.await.unwrap());
}
