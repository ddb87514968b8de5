// Claim: a wrapper declared `Send` but not `Sync` cannot be shared through a plain `Arc`:
// `Arc<T>` is `Send` only when `T` is `Send + Sync`, because clones on several threads
// reach the one `T` at the same time. The compiler refuses, naming the raw pointer that
// keeps the wrapper from being `Sync`. `Arc<Mutex<Digest>>` is the way to share it.
//
// Book: "Raw pointers and FFI handles" (src/other/raw-pointers.md).

use std::sync::Arc;

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

// SAFETY: as in proofs/compiles/raw-pointers-send-wrapper.rs: any thread, one at a time,
// and a `Digest` is the only owner of its pointer.
unsafe impl Send for Digest {}

impl Digest {
    fn new() -> Self {
        Digest {
            raw: ffi::checksum_new(),
        }
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

#[tokio::main]
async fn main() {
    // ANCHOR: status
    let digest = Arc::new(Digest::new());
    let status = Arc::clone(&digest);
    let report = tokio::spawn(async move { format!("so far: {}", status.value()) });
    // ANCHOR_END: status
    println!("{} {}", report.await.unwrap(), digest.value());
}
