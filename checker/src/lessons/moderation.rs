//! The comment moderator (exercise `moderation-rules-dyn`).
//!
//! New comments wait in a queue ([`Comments`]). A moderation worker takes them one at a time
//! and runs its rules over each; a rule may hold a comment at once (shouting, a banned
//! word) or ask for the links in it to be checked by the [`LinkScanner`], a remote service
//! that takes [`SCAN_LATENCY`] per link. Each comment ends published or held, and the
//! worker records that in [`Decisions`].

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::harness::{self, Failure, ensure};

/// How long the link scanner takes to look at one link.
pub const SCAN_LATENCY: Duration = Duration::from_millis(40);

/// The one host the scanner knows to be malicious.
const MALICIOUS_HOST: &str = "free-prizes.example";

/// A comment waiting for moderation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: u32,
    pub text: String,
}

/// What happened to a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Publish,
    /// Held for a human to look at, with the reason.
    Hold(String),
}

/// The queue of new comments; `recv` returns `None` once the site shuts down.
#[derive(Debug)]
pub struct Comments {
    receiver: mpsc::UnboundedReceiver<Comment>,
}

impl Comments {
    pub async fn recv(&mut self) -> Option<Comment> {
        self.receiver.recv().await
    }
}

/// Where the moderator writes each decision, by comment id.
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    made: Arc<Mutex<BTreeMap<u32, Decision>>>,
}

impl Decisions {
    pub fn record(&self, comment: u32, decision: Decision) {
        if let Ok(mut made) = self.made.lock() {
            made.insert(comment, decision);
        }
    }
}

/// The remote link scanner. Simulated: each link takes [`SCAN_LATENCY`].
#[derive(Debug, Clone, Default)]
pub struct LinkScanner {
    scanned: Arc<Mutex<usize>>,
}

impl LinkScanner {
    /// Whether `url` points somewhere dangerous.
    pub async fn is_malicious(&self, url: &str) -> bool {
        tokio::time::sleep(SCAN_LATENCY).await;
        if let Ok(mut scanned) = self.scanned.lock() {
            *scanned += 1;
        }
        url.contains(MALICIOUS_HOST)
    }
}

/// The links in a text: the words that start with `https://` or `http://`.
pub fn links(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|word| word.starts_with("https://") || word.starts_with("http://"))
        .map(str::to_owned)
        .collect()
}

fn comments() -> Vec<Comment> {
    let texts = [
        "Lovely photos, thank you for sharing.",
        "BUY CHEAP WATCHES NOW",
        "The recipe is at https://cooking.example/bread and it works.",
        "Claim yours at https://free-prizes.example/win today",
        "Two links: https://docs.example/a and https://docs.example/b",
    ];
    texts
        .iter()
        .zip(1..)
        .map(|(text, id)| Comment {
            id,
            text: (*text).to_owned(),
        })
        .collect()
}

/// Checks a moderation worker and ends the process with the verdict.
///
/// `start` receives the comment queue, the link scanner and the decisions, spawns the
/// worker and returns its handle. The worker must decide every comment: the one in capitals
/// and the one with a malicious link held (with a reason that names the rule), the others
/// published. Once the queue is closed, the worker ends.
pub fn check<F>(start: F) -> !
where
    F: FnOnce(Comments, LinkScanner, Decisions) -> JoinHandle<()>,
{
    harness::run("comment moderation", async move {
        let (sender, receiver) = mpsc::unbounded_channel();
        let scanner = LinkScanner::default();
        let scanned = Arc::clone(&scanner.scanned);
        let decisions = Decisions::default();
        let worker = start(Comments { receiver }, scanner, decisions.clone());
        for comment in comments() {
            sender
                .send(comment)
                .map_err(|_| Failure::new("the moderation worker stopped taking comments"))?;
        }
        drop(sender);
        worker
            .await
            .map_err(|err| Failure::new(format!("the moderation worker failed: {err}")))?;

        let made = decisions.made.lock().map(|m| m.clone()).unwrap_or_default();
        for comment in comments() {
            let decision = made.get(&comment.id);
            let should_hold = comment.id == 2 || comment.id == 4;
            match decision {
                None => {
                    return Err(Failure::new(format!(
                        "comment {} ({:?}) was never decided",
                        comment.id, comment.text
                    )));
                }
                Some(Decision::Publish) if should_hold => {
                    return Err(Failure::new(format!(
                        "comment {} ({:?}) was published; it should have been held",
                        comment.id, comment.text
                    )));
                }
                Some(Decision::Hold(reason)) if !should_hold => {
                    return Err(Failure::new(format!(
                        "comment {} ({:?}) was held ({reason}); it should have been published",
                        comment.id, comment.text
                    )));
                }
                Some(Decision::Hold(reason)) if reason.trim().is_empty() => {
                    return Err(Failure::new(format!(
                        "comment {} was held without a reason",
                        comment.id
                    )));
                }
                Some(_) => {}
            }
        }
        let scanned = scanned.lock().map(|s| *s).unwrap_or_default();
        ensure(scanned == 4, || {
            format!("the comments hold 4 links, but the scanner was asked about {scanned}")
        })
    })
}
