// Claim: the mail relay's one connection (exercise 09) can be owned by one task instead of
// sitting behind a mutex. Handlers send that task a message with a `oneshot` sender for
// the outcome and await the reply. Nothing is locked, the owner awaits the relay freely,
// the handlers' futures are `Send`, and the service passes exercise 09's check: every
// mail goes out over the one connection, and the health check does not wait for it.
//
// Book: "Own the state in one task" (src/beyond/actors.md).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use checker::mailer::{SmtpConnection, SmtpError};
use tokio::sync::{mpsc, oneshot};

// ANCHOR: mailer
/// One mail to send, and where to report how it went.
struct Outgoing {
    to: String,
    subject: &'static str,
    done: oneshot::Sender<Result<(), SmtpError>>,
}

/// What the handlers share: a cheap, cloneable handle. The connection itself
/// never leaves the task that `start` spawns.
#[derive(Clone)]
struct Mailer {
    queue: mpsc::Sender<Outgoing>,
}

impl Mailer {
    fn start(mut smtp: SmtpConnection) -> Mailer {
        // At most 64 mails wait in line; beyond that, `send` waits for room.
        let (queue, mut outgoing) = mpsc::channel::<Outgoing>(64);
        tokio::spawn(async move {
            // The only code that touches the connection. No lock: it owns
            // it, and may await the relay for as long as a mail takes.
            while let Some(mail) = outgoing.recv().await {
                let outcome = smtp.send(&mail.to, mail.subject).await;
                // The handler may have stopped waiting; that is its business.
                let _ = mail.done.send(outcome);
            }
        });
        Mailer { queue }
    }

    async fn send(&self, to: String, subject: &'static str) -> Result<(), String> {
        let (done, outcome) = oneshot::channel();
        let mail = Outgoing { to, subject, done };
        let stopped = "the mailer has stopped";
        self.queue
            .send(mail)
            .await
            .map_err(|_| stopped.to_owned())?;
        let sent = outcome.await.map_err(|_| stopped.to_owned())?;
        sent.map_err(|err| err.to_string())
    }
}
// ANCHOR_END: mailer

// ANCHOR: handler
#[derive(Clone)]
struct AppState {
    mailer: Mailer,
}

#[axum::debug_handler]
async fn signup(
    State(app): State<AppState>,
    Path(user): Path<String>,
) -> Result<StatusCode, (StatusCode, String)> {
    app.mailer
        .send(format!("{user}@example.com"), "Welcome")
        .await
        .map_err(|err| (StatusCode::BAD_GATEWAY, err))?;
    Ok(StatusCode::CREATED)
}
// ANCHOR_END: handler

fn app(smtp: SmtpConnection) -> Router {
    let state = AppState {
        mailer: Mailer::start(smtp),
    };
    Router::new()
        .route("/signup/{user}", post(signup))
        .route("/health", get(|| async { "ok" }))
        .with_state(state)
}

fn main() {
    checker::mailer::check(app);
}
