// Claim: tasks on a `LocalSet` never leave its thread, so `spawn_local` asks for no `Send`:
// a thread-bound handle (shared between the local tasks with `Rc<RefCell<_>>`) can be used
// across `.await`s there, without any `unsafe`.
//
// Book: "Raw pointers and FFI handles" (src/other/raw-pointers.md).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use tokio::task::{self, LocalSet};

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

/// Owns one session of the library. Not `Send`: the library binds it to its thread.
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

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: local
    let local = LocalSet::new();
    local
        .run_until(async {
            let session = Rc::new(RefCell::new(Session::open()));
            let mut lookups = Vec::new();
            for key in 0..4 {
                let session = Rc::clone(&session);
                lookups.push(task::spawn_local(async move {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    // Borrowed for one call, never across an `.await`.
                    let answer = session.borrow_mut().query(key);
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    answer
                }));
            }
            for (key, lookup) in (0..4).zip(lookups) {
                assert_eq!(lookup.await.unwrap(), i64::from(key) * 10);
            }
        })
        .await;
    // ANCHOR_END: local
}
