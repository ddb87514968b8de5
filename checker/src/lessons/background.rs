//! Background jobs (the page "Recursion, and futures that must be Sync").
//!
//! After a signup the app answers at once and queues the welcome mail as a background job;
//! a few workers run the queued jobs. The mail goes out through a provider's client,
//! [`MailClient`], whose methods return boxed futures that are `Send`, as clients written
//! with `#[async_trait]` do, but not `Sync`.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::harness::clock::{timed, times};
use crate::harness::{self, Failure, ensure};

/// How long the provider takes to accept one mail.
pub const SEND_LATENCY: Duration = Duration::from_millis(40);

/// How many workers run the queued jobs.
pub const WORKERS: usize = 3;

/// How many users sign up in the check.
pub const SIGNUPS: usize = 9;

/// The provider refused a mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailError(String);

impl fmt::Display for MailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the mail provider refused the mail: {}", self.0)
    }
}

impl std::error::Error for MailError {}

/// The future that [`MailClient::send_welcome`] returns: `Send`, and not `Sync`.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), MailError>> + Send + 'a>>;

/// The mail provider's client. `Send` and `Sync`: share it in an `Arc`.
#[derive(Debug, Default)]
pub struct MailClient {
    sent: Mutex<BTreeMap<String, usize>>,
}

impl MailClient {
    /// Sends the welcome mail to `address`.
    pub fn send_welcome<'a>(&'a self, address: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            if !address.contains('@') {
                return Err(MailError(format!("{address:?} is not an address")));
            }
            tokio::time::sleep(SEND_LATENCY).await;
            if let Ok(mut sent) = self.sent.lock() {
                *sent.entry(address.to_owned()).or_default() += 1;
            }
            Ok(())
        })
    }
}

/// Checks a signup flow that queues welcome mails, and ends the process with the verdict.
///
/// `signups` receives the mail client and the addresses of [`SIGNUPS`] new users, and
/// returns a future that queues one welcome job per user, runs the queue with [`WORKERS`]
/// workers and ends when every job is done. Each user must get one mail, and the workers
/// must send side by side.
pub fn check<F, Fut>(signups: F) -> !
where
    F: FnOnce(Arc<MailClient>, Vec<String>) -> Fut,
    Fut: Future<Output = ()>,
{
    harness::run("welcome jobs", async move {
        let mail = Arc::new(MailClient::default());
        let addresses: Vec<String> = (0..SIGNUPS)
            .map(|i| format!("user{i}@example.com"))
            .collect();
        let ((), elapsed) = timed(signups(Arc::clone(&mail), addresses.clone())).await;
        let sent = mail.sent.lock().map_err(|_| Failure::new("poisoned"))?;
        let once = addresses.iter().all(|a| sent.get(a) == Some(&1));
        ensure(once && sent.len() == addresses.len(), || {
            format!("every new user should get one welcome mail, but the provider got {sent:?}")
        })?;
        let rounds = SIGNUPS.div_ceil(WORKERS);
        ensure(elapsed <= SEND_LATENCY * rounds as u32, || {
            format!(
                "{SIGNUPS} mails took {:.1}× one mail; {WORKERS} workers side by side take \
                 {rounds}×: the jobs did not run side by side",
                times(elapsed, SEND_LATENCY)
            )
        })
    })
}
