// # The notifiers nobody promised could be shared
//
// Story: monitoring systems post alerts to this service. Every alert goes to the team's
// chat, and critical ones page the engineer on call. Which chat and which pager is
// configuration (a test run uses fakes), so the app's state holds them as
// `Arc<dyn Notifier>`. (Real reports of a trait object that did not say `+ Send + Sync`:
// djc/instant-acme#25, a client holding `Box<dyn HttpClient>` that could no longer be used
// in a spawned task; oll3/bita#22, a boxed chunker handed out without `Send`.)
//
// What is wrong: it does not compile. axum refuses the handler and the state, and the
// errors name the trait object.
//
// What to do: make it compile, keeping the notifiers as trait objects.
//
// Book: "Trait objects" (src/culprits/trait-objects.md).

use std::sync::Arc;

use axum::Router;
use axum::extract::{Json, State};
use axum::http::StatusCode;
use axum::routing::post;
use checker::alerts::{Chat, Pager};
use serde::Deserialize;

// ANCHOR: notifier
#[derive(Deserialize)]
struct Alert {
    service: String,
    severity: String,
    summary: String,
}

trait Notifier {
    fn notify(&self, alert: &Alert);
}

struct ChatNotifier(Chat);

impl Notifier for ChatNotifier {
    fn notify(&self, alert: &Alert) {
        let Alert {
            service,
            severity,
            summary,
        } = alert;
        self.0.post(&format!("[{severity}] {service}: {summary}"));
    }
}

struct PagerNotifier(Pager);

impl Notifier for PagerNotifier {
    fn notify(&self, alert: &Alert) {
        self.0
            .page(&format!("{} is down: {}", alert.service, alert.summary));
    }
}
// ANCHOR_END: notifier

// ANCHOR: state
/// A notifier that may be sent to another thread and shared between threads: an
/// `Arc<T>` is `Send` only if `T` is `Send + Sync`, and axum's state must be both.
type SharedNotifier = Arc<dyn Notifier + Send + Sync>;

#[derive(Clone)]
struct AppState {
    chat: SharedNotifier,
    pager: SharedNotifier,
}

async fn raise(State(state): State<AppState>, Json(alert): Json<Alert>) -> StatusCode {
    state.chat.notify(&alert);
    if alert.severity == "critical" {
        state.pager.notify(&alert);
    }
    StatusCode::ACCEPTED
}

fn app(chat: Chat, pager: Pager) -> Router {
    let state = AppState {
        chat: Arc::new(ChatNotifier(chat)),
        pager: Arc::new(PagerNotifier(pager)),
    };
    Router::new()
        .route("/alerts", post(raise))
        .with_state(state)
}
// ANCHOR_END: state

// ---------------------------------------------------------------------------------------
// The checker's part: it posts alerts and checks who heard of them. No need to change it.

fn main() {
    checker::alerts::check(app);
}
