// Claim: calling an `async fn` runs none of its body; it returns a state machine whose
// states hold the locals that are alive at each `.await`. `Visit` is `visit` written by
// hand, as an enum that implements `Future`. Polled step by step, the two pause at the
// same point, hold no lock while paused, and finish with the same answer. `visit_holding`
// keeps its guard alive at the `.await`; in its hand-written twin `VisitHolding` the guard
// is a field of the paused state, and both keep the mutex locked while they are paused.
//
// Book: "What an async fn becomes" (src/understanding/state-machine.md).

use std::future::Future;
use std::mem;
use std::pin::{Pin, pin};
use std::sync::{Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

/// Stands in for a network call: not ready the first time it is polled, ready the second.
#[derive(Default)]
struct Pause {
    polled: bool,
}

impl Future for Pause {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.polled {
            Poll::Ready(())
        } else {
            self.polled = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

fn pause() -> Pause {
    Pause::default()
}

// ANCHOR: async_fn
async fn visit(visits: &Mutex<u64>, name: String) -> String {
    let n = {
        let mut count = visits.lock().unwrap();
        *count += 1;
        *count
    };
    pause().await;
    format!("{name} is visitor number {n}")
}
// ANCHOR_END: async_fn

// ANCHOR: states
enum Visit<'a> {
    /// Created, not polled yet: it holds the arguments.
    Start {
        visits: &'a Mutex<u64>,
        name: String,
    },
    /// Paused at `pause().await`: it holds what is alive there.
    Paused { name: String, n: u64, pause: Pause },
    /// Finished (or being polled right now).
    Done,
}
// ANCHOR_END: states

// ANCHOR: poll
impl Future for Visit<'_> {
    type Output = String;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<String> {
        loop {
            // Take the state out; each arm stores the next one.
            match mem::replace(&mut *self, Visit::Done) {
                Visit::Start { visits, name } => {
                    // The code before the `.await`.
                    let n = {
                        let mut count = visits.lock().unwrap();
                        *count += 1;
                        *count
                    };
                    let pause = pause();
                    *self = Visit::Paused { name, n, pause };
                }
                Visit::Paused { name, n, mut pause } => {
                    if Pin::new(&mut pause).poll(cx).is_pending() {
                        // Not ready: keep it all, and come back later.
                        *self = Visit::Paused { name, n, pause };
                        return Poll::Pending;
                    }
                    // Ready: the code after the `.await`.
                    let greeting = format!("{name} is visitor number {n}");
                    return Poll::Ready(greeting);
                }
                Visit::Done => panic!("polled after it finished"),
            }
        }
    }
}
// ANCHOR_END: poll

// The point of this function is the lint's subject: a guard alive across an `.await`.
#[allow(clippy::await_holding_lock)]
// ANCHOR: holding_async_fn
async fn visit_holding(visits: &Mutex<u64>, name: String) -> String {
    let mut count = visits.lock().unwrap();
    *count += 1;
    pause().await;
    format!("{name} is visitor number {}", *count)
}
// ANCHOR_END: holding_async_fn

enum VisitHolding<'a> {
    Start {
        visits: &'a Mutex<u64>,
        name: String,
    },
    Paused {
        name: String,
        count: MutexGuard<'a, u64>,
        pause: Pause,
    },
    Done,
}

impl Future for VisitHolding<'_> {
    type Output = String;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<String> {
        loop {
            match mem::replace(&mut *self, VisitHolding::Done) {
                VisitHolding::Start { visits, name } => {
                    let mut count = visits.lock().unwrap();
                    *count += 1;
                    let pause = pause();
                    *self = VisitHolding::Paused { name, count, pause };
                }
                VisitHolding::Paused {
                    name,
                    count,
                    mut pause,
                } => {
                    if Pin::new(&mut pause).poll(cx).is_pending() {
                        *self = VisitHolding::Paused { name, count, pause };
                        return Poll::Pending;
                    }
                    let greeting = format!("{name} is visitor number {}", *count);
                    return Poll::Ready(greeting);
                }
                VisitHolding::Done => panic!("polled after it finished"),
            }
        }
    }
}

/// Polls a future once, as an executor would when the future's task is woken.
fn poll_once<F: Future>(future: Pin<&mut F>) -> Poll<F::Output> {
    future.poll(&mut Context::from_waker(Waker::noop()))
}

fn ready(text: &str) -> Poll<String> {
    Poll::Ready(text.to_owned())
}

fn main() {
    let visits = Mutex::new(0);

    // The async fn and its hand-written twin pause once, with the lock free while paused.
    let mut generated = pin!(visit(&visits, "Ana".to_owned()));
    assert_eq!(
        *visits.lock().unwrap(),
        0,
        "calling `visit` runs none of its body"
    );
    assert!(poll_once(generated.as_mut()).is_pending());
    assert_eq!(
        *visits.lock().unwrap(),
        1,
        "the first poll runs it up to the `.await`"
    );
    assert!(
        visits.try_lock().is_ok(),
        "paused `visit` must not hold the lock"
    );
    assert_eq!(
        poll_once(generated.as_mut()),
        ready("Ana is visitor number 1")
    );

    let mut by_hand = pin!(Visit::Start {
        visits: &visits,
        name: "Ben".to_owned()
    });
    assert_eq!(*visits.lock().unwrap(), 1, "creating `Visit` runs nothing");
    assert!(poll_once(by_hand.as_mut()).is_pending());
    assert_eq!(
        *visits.lock().unwrap(),
        2,
        "the first poll runs it up to the pause"
    );
    assert!(
        visits.try_lock().is_ok(),
        "paused `Visit` must not hold the lock"
    );
    assert_eq!(
        poll_once(by_hand.as_mut()),
        ready("Ben is visitor number 2")
    );

    // With the guard alive at the `.await`, both keep the mutex locked while paused.
    let mut generated = pin!(visit_holding(&visits, "Cleo".to_owned()));
    assert!(poll_once(generated.as_mut()).is_pending());
    assert!(
        visits.try_lock().is_err(),
        "paused `visit_holding` holds the lock"
    );
    assert_eq!(
        poll_once(generated.as_mut()),
        ready("Cleo is visitor number 3")
    );

    let mut by_hand = pin!(VisitHolding::Start {
        visits: &visits,
        name: "Dev".to_owned()
    });
    assert!(poll_once(by_hand.as_mut()).is_pending());
    assert!(
        visits.try_lock().is_err(),
        "paused `VisitHolding` holds the lock"
    );
    assert_eq!(
        poll_once(by_hand.as_mut()),
        ready("Dev is visitor number 4")
    );
    assert!(visits.try_lock().is_ok());
}
