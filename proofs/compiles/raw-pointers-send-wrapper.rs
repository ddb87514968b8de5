// Claim: a wrapper that owns a C library's context alone, and whose library allows a context
// to be used from any thread one thread at a time, may be declared `Send` with
// `unsafe impl Send`, and then works where `Send` is asked for: held across `.await`s in a
// spawned task, moved into `spawn_blocking` and back, shared through `Arc<Mutex<_>>`. It is
// not declared `Sync`: that would let two threads call the library on one context at once.
//
// Book: "Raw pointers and FFI handles" (src/other/raw-pointers.md).

use std::sync::{Arc, Mutex};

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

/// Owns one checksum context of the library.
struct Digest {
    raw: *mut ffi::Checksum,
}

// ANCHOR: send
// SAFETY: the library lets a context be used from any thread, one thread at a
// time. A `Digest` is the only owner of its pointer: it is neither `Clone` nor
// `Copy`, and `raw` is private. So whichever thread holds the `Digest` is the only
// one that can reach the context, and `drop` frees it exactly once, wherever that
// happens. Not `Sync`: two threads holding `&Digest` could call `checksum_value`
// at the same time.
unsafe impl Send for Digest {}
// ANCHOR_END: send

impl Digest {
    fn new() -> Self {
        Digest {
            raw: ffi::checksum_new(),
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        // SAFETY: `raw` is live until `drop`, and `&mut self` rules out any other call.
        unsafe { ffi::checksum_update(self.raw, bytes.as_ptr(), bytes.len()) }
    }

    fn value(&self) -> u64 {
        // SAFETY: `raw` is live until `drop`; `Digest` is not `Sync`, so the `&self` calls
        // all come from the one thread that holds the `Digest`, and do not overlap.
        unsafe { ffi::checksum_value(self.raw) }
    }
}

impl Drop for Digest {
    fn drop(&mut self) {
        // SAFETY: `raw` came from `checksum_new` and is freed only here.
        unsafe { ffi::checksum_free(self.raw) }
    }
}

/// Checksums an upload as its chunks arrive.
async fn digest_upload(mut chunks: mpsc::Receiver<Vec<u8>>) -> u64 {
    let mut digest = Digest::new();
    while let Some(chunk) = chunks.recv().await {
        digest.update(&chunk);
    }
    digest.value()
}

fn checksum_of(parts: &[&[u8]]) -> u64 {
    let mut digest = Digest::new();
    for part in parts {
        digest.update(part);
    }
    digest.value()
}

#[tokio::main]
async fn main() {
    // Held across `.await`s in a spawned task.
    let (chunks, received) = mpsc::channel(8);
    let checksum = tokio::spawn(digest_upload(received));
    chunks.send(b"hello, ".to_vec()).await.unwrap();
    chunks.send(b"world".to_vec()).await.unwrap();
    drop(chunks);
    assert_eq!(checksum.await.unwrap(), checksum_of(&[b"hello, world"]));

    // Moved to the blocking pool for a long call, and back.
    // ANCHOR: blocking
    let mut digest = Digest::new();
    let archive = vec![7u8; 4 << 20];
    let digest = tokio::task::spawn_blocking(move || {
        // Four megabytes: let the call block a pool thread, not the runtime.
        digest.update(&archive);
        digest
    })
    .await
    .unwrap();
    // ANCHOR_END: blocking
    assert_eq!(digest.value(), checksum_of(&[&vec![7u8; 4 << 20]]));

    // Shared by several tasks: `Mutex<Digest>` is `Sync` because `Digest` is `Send`.
    // ANCHOR: shared
    let shared = Arc::new(Mutex::new(Digest::new()));
    let mut writers = Vec::new();
    for part in [b"abc", b"abc"] {
        let shared = Arc::clone(&shared);
        writers.push(tokio::spawn(async move {
            // Locked for one call, never across an `.await`.
            shared.lock().unwrap().update(part);
        }));
    }
    // ANCHOR_END: shared
    for writer in writers {
        writer.await.unwrap();
    }
    assert_eq!(shared.lock().unwrap().value(), checksum_of(&[b"abcabc"]));
}
