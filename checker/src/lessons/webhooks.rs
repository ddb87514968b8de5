//! Signed webhooks (exercise `webhooks-async-trait-local`).
//!
//! When an order ships, the shop tells its partners by webhook: an HTTP POST whose body is
//! signed, so that the partner can check it came from the shop. The signing key never
//! leaves the key management service, the [`Kms`]: signing is a remote call of
//! [`SIGN_LATENCY`]. The [`Courier`] then delivers the webhook ([`DELIVERY_LATENCY`]).

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::harness::clock::{timed, times};
use crate::harness::{self, Failure, ensure};

/// How long the key management service takes to sign a payload.
pub const SIGN_LATENCY: Duration = Duration::from_millis(30);

/// How long a partner takes to accept a webhook.
pub const DELIVERY_LATENCY: Duration = Duration::from_millis(100);

/// How many webhooks the check sends.
pub const HOOKS: usize = 5;

/// One webhook to deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub url: String,
    pub body: Vec<u8>,
}

/// The key management service. Simulated: a signature takes [`SIGN_LATENCY`].
#[derive(Debug, Clone)]
pub struct Kms {
    key: u64,
}

impl Kms {
    /// The signature of `payload` with the shop's key, as hex.
    pub async fn sign(&self, payload: &[u8]) -> String {
        tokio::time::sleep(SIGN_LATENCY).await;
        signature(self.key, payload)
    }
}

fn signature(key: u64, payload: &[u8]) -> String {
    let mut state = key ^ 0xcbf2_9ce4_8422_2325;
    for byte in payload {
        state ^= u64::from(*byte);
        state = state.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{state:016x}")
}

/// Why a webhook could not be delivered.
#[derive(Debug)]
pub struct DeliveryError(String);

impl fmt::Display for DeliveryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "delivery failed: {}", self.0)
    }
}

impl std::error::Error for DeliveryError {}

/// Delivers webhooks to partners. Simulated: each takes [`DELIVERY_LATENCY`]. Cheap to
/// clone; every clone delivers through the same outbox.
#[derive(Debug, Clone, Default)]
pub struct Courier {
    delivered: Arc<Mutex<BTreeMap<String, Vec<String>>>>,
}

impl Courier {
    /// Posts `hook` with its `signature` in a header.
    pub async fn deliver(&self, hook: &Webhook, signature: &str) -> Result<(), DeliveryError> {
        tokio::time::sleep(DELIVERY_LATENCY).await;
        let mut delivered = self
            .delivered
            .lock()
            .map_err(|_| DeliveryError("the outbox is broken".into()))?;
        delivered
            .entry(hook.url.clone())
            .or_default()
            .push(signature.to_owned());
        Ok(())
    }
}

/// Checks a webhook sender and ends the process with the verdict.
///
/// `deliver_all` receives the key management service, the courier and [`HOOKS`] webhooks,
/// and returns a future that signs and delivers each one and ends when all are delivered.
/// Side by side, that takes little more than one signature and one delivery.
pub fn check<F, Fut>(deliver_all: F) -> !
where
    F: FnOnce(Kms, Courier, Vec<Webhook>) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    harness::run("signed webhooks", async move {
        let kms = Kms { key: 0x5eed };
        let courier = Courier::default();
        let hooks: Vec<Webhook> = (1..=HOOKS)
            .map(|n| Webhook {
                url: format!("https://partner-{n}.example/hooks/shipped"),
                body: format!(r#"{{"order": {n}, "status": "shipped"}}"#).into_bytes(),
            })
            .collect();
        let (outcome, elapsed) =
            timed(deliver_all(kms.clone(), courier.clone(), hooks.clone())).await;
        outcome.map_err(|err| Failure::new(format!("the deliveries failed: {err:#}")))?;

        let delivered = courier
            .delivered
            .lock()
            .map(|d| d.clone())
            .unwrap_or_default();
        for hook in &hooks {
            let expected = signature(kms.key, &hook.body);
            match delivered.get(&hook.url).map(Vec::as_slice) {
                None | Some([]) => {
                    return Err(Failure::new(format!("{} got no webhook", hook.url)));
                }
                Some([got]) => ensure(*got == expected, || {
                    format!(
                        "{} got the signature {got}, but its body's signature is {expected}",
                        hook.url
                    )
                })?,
                Some(many) => {
                    return Err(Failure::new(format!(
                        "{} got the webhook {} times",
                        hook.url,
                        many.len()
                    )));
                }
            }
        }
        let one = SIGN_LATENCY + DELIVERY_LATENCY;
        ensure(elapsed <= one * 3 / 2, || {
            format!(
                "{HOOKS} webhooks took {:.1}× the time of one; side by side they take 1×",
                times(elapsed, one)
            )
        })
    })
}
