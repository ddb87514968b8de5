// # The rules that could be sent but not shared
//
// Story: the site's comments go through a moderation worker before anyone sees them. The
// worker runs a list of rules over each comment; rules are plug-ins, so the list holds
// trait objects, and since the worker runs in a task of its own, its author wrote
// `+ Send` on them. Some rules decide at once; others ask for the comment's links to be
// checked by a remote scanner. (The same shape broke a query builder in weldsorm/welds#76:
// boxed relations that were `Send` but not `Sync`, iterated by reference across an
// `.await`.)
//
// What is wrong: it does not compile. The worker's future "cannot be sent between threads
// safely", although every rule is `Send`.
//
// What to do: make it compile, keeping the rules as trait objects.
//
// Book: "References to values that are not Sync" (src/culprits/not-sync-refs.md).

use checker::moderation::{Comment, Comments, Decision, Decisions, LinkScanner, links};
use tokio::task::JoinHandle;

// ANCHOR: rules
/// What a rule makes of a comment.
enum Finding {
    Fine,
    Hold(String),
    /// These links need a look from the scanner.
    Scan(Vec<String>),
}

/// Every rule can be sent to another thread and shared between threads: said once, here,
/// so that `Box<dyn Rule>` is `Send + Sync` wherever it is written.
trait Rule: Send + Sync {
    fn name(&self) -> &str;
    fn inspect(&self, comment: &Comment) -> Finding;
}

/// Holds comments written in capitals only.
struct NoShouting;

impl Rule for NoShouting {
    fn name(&self) -> &str {
        "no shouting"
    }

    fn inspect(&self, comment: &Comment) -> Finding {
        let letters: Vec<char> = comment.text.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.len() > 8 && letters.iter().all(|c| c.is_uppercase()) {
            Finding::Hold("written in capitals".into())
        } else {
            Finding::Fine
        }
    }
}

/// Sends every link in a comment to the scanner.
struct SafeLinks;

impl Rule for SafeLinks {
    fn name(&self) -> &str {
        "safe links"
    }

    fn inspect(&self, comment: &Comment) -> Finding {
        Finding::Scan(links(&comment.text))
    }
}
// ANCHOR_END: rules

// ANCHOR: moderator
struct Moderator {
    rules: Vec<Box<dyn Rule>>,
    scanner: LinkScanner,
}

impl Moderator {
    async fn review(&self, comment: &Comment) -> Decision {
        for rule in &self.rules {
            match rule.inspect(comment) {
                Finding::Fine => {}
                Finding::Hold(why) => return Decision::Hold(format!("{}: {why}", rule.name())),
                Finding::Scan(links) => {
                    for link in links {
                        if self.scanner.is_malicious(&link).await {
                            return Decision::Hold(format!("{}: {link}", rule.name()));
                        }
                    }
                }
            }
        }
        Decision::Publish
    }

    async fn run(self, mut comments: Comments, decisions: Decisions) {
        while let Some(comment) = comments.recv().await {
            let decision = self.review(&comment).await;
            decisions.record(comment.id, decision);
        }
    }
}

fn start(comments: Comments, scanner: LinkScanner, decisions: Decisions) -> JoinHandle<()> {
    let moderator = Moderator {
        rules: vec![Box::new(NoShouting), Box::new(SafeLinks)],
        scanner,
    };
    tokio::spawn(moderator.run(comments, decisions))
}
// ANCHOR_END: moderator

// ---------------------------------------------------------------------------------------
// The checker's part: it queues comments and checks every decision. No need to change it.

fn main() {
    checker::moderation::check(start);
}
