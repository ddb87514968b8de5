// Claim: a handle that must stay on the thread that created it can still serve async code:
// give it a thread of its own, which opens it, uses it and closes it, and let tasks send
// that thread requests over a channel and await the answers. The handle never moves, so it
// needs no `Send`, and the tasks, which hold only channel ends, are `Send` and run on a
// multi-threaded runtime.
//
// Book: "Raw pointers and FFI handles" (src/other/raw-pointers.md).

use tokio::sync::{mpsc, oneshot};

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

// ANCHOR: thread
/// A query for the session's thread, and where to send its answer.
type Query = (u32, oneshot::Sender<i64>);

/// Starts the thread that owns the session, and returns the way to reach it.
fn start_session_thread() -> mpsc::Sender<Query> {
    let (queries, mut incoming) = mpsc::channel::<Query>(64);
    std::thread::spawn(move || {
        let mut session = Session::open(); // opened here, used here, closed here
        while let Some((key, answer)) = incoming.blocking_recv() {
            let _ = answer.send(session.query(key));
        }
    });
    queries
}

async fn query(session: &mpsc::Sender<Query>, key: u32) -> i64 {
    let (answer, answered) = oneshot::channel();
    session
        .send((key, answer))
        .await
        .expect("the session thread runs");
    answered.await.expect("the session thread answers")
}
// ANCHOR_END: thread

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let session = start_session_thread();
    let mut lookups = Vec::new();
    for key in 0..8 {
        let session = session.clone();
        // ANCHOR: spawn
        lookups.push(tokio::spawn(async move { query(&session, key).await }));
        // ANCHOR_END: spawn
    }
    for (key, lookup) in (0..8).zip(lookups) {
        // Every answer comes from the thread that opened the session: none is refused.
        assert_eq!(lookup.await.unwrap(), i64::from(key) * 10);
    }
}
