// Claim: `unsafe impl Send` is a promise the compiler takes on trust. Made for a handle whose
// library binds it to the thread that opened it, the promise is false, and everything still
// compiles: the handle moves to a blocking-pool thread, and the library refuses the call
// there. (This library checks and returns an error code; many libraries do not check.)
//
// Verdict: the library refused a call
//
// Book: "Raw pointers and FFI handles" (src/other/raw-pointers.md).

use checker::harness::{self, Failure};

// A stand-in for a C library whose sessions belong to the thread that opened them, as with
// libraries that keep per-thread state. Its documentation says: use and close a session
// only on the thread that opened it. This one checks, and refuses with an error code; many
// libraries do not check, and misbehave instead.
mod ffi {
    use std::thread::{self, ThreadId};

    pub struct Session {
        owner: ThreadId,
        queries: i64,
    }

    pub extern "C" fn session_open() -> *mut Session {
        let owner = thread::current().id();
        Box::into_raw(Box::new(Session { owner, queries: 0 }))
    }

    /// Answers a query, or -1 if called on a thread that did not open the session.
    ///
    /// # Safety
    /// `session` comes from `session_open` and is not closed.
    pub unsafe extern "C" fn session_query(session: *mut Session, key: u32) -> i64 {
        let session = unsafe { &mut *session };
        if session.owner != thread::current().id() {
            return -1;
        }
        session.queries += 1;
        i64::from(key) * 10
    }

    /// # Safety
    /// `session` comes from `session_open`, is closed once, and is not used afterwards.
    pub unsafe extern "C" fn session_close(session: *mut Session) {
        drop(unsafe { Box::from_raw(session) });
    }
}

/// Owns one session of the library.
struct Session {
    raw: *mut ffi::Session,
}

impl Session {
    fn open() -> Self {
        Session {
            raw: ffi::session_open(),
        }
    }

    fn query(&mut self, key: u32) -> i64 {
        // SAFETY: `raw` is live until `drop`.
        unsafe { ffi::session_query(self.raw, key) }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // SAFETY: `raw` came from `session_open` and is closed only here.
        unsafe { ffi::session_close(self.raw) }
    }
}

// ANCHOR: false_promise
// WRONG: the library binds a session to the thread that opened it. This compiles:
// the compiler cannot read the library's documentation, so it believes the promise.
unsafe impl Send for Session {}
// ANCHOR_END: false_promise

fn main() {
    harness::run("a session moved to another thread", async {
        let mut session = Session::open();
        // ANCHOR: moved
        let answer = tokio::task::spawn_blocking(move || session.query(7))
            .await
            .unwrap();
        // ANCHOR_END: moved
        if answer < 0 {
            return Err(Failure::new(
                "the library refused a call from a thread that did not open the session",
            ));
        }
        Ok(())
    });
}
