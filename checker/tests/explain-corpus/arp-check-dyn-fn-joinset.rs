// Reproduces: https://github.com/kongbytes/arp-scan-rs/issues/2 — a helper takes `&dyn Fn(u8) -> Option<u32>` and loops awaiting replies; tasks calling it are spawned on a JoinSet.
// expect: kind=not-sync-ref shape=held-across-await culprit=`dyn Fn(u8) -> Option<u32>` value=check
use std::time::Duration;
use tokio::task::JoinSet;

async fn recv_reply(n: u8) -> u8 {
    tokio::time::sleep(Duration::from_millis(1)).await;
    n.wrapping_mul(7)
}

async fn send_with_check(check: &dyn Fn(u8) -> Option<u32>) -> Option<u32> {
    for attempt in 0..10u8 {
        let reply = recv_reply(attempt).await;
        if let Some(mac) = check(reply) {
            return Some(mac);
        }
    }
    None
}

async fn ip_to_mac(target: u8) -> Option<u32> {
    let matcher = move |reply: u8| (reply % 5 == target).then_some(reply as u32 * 1000);
    send_with_check(&matcher).await
}

#[tokio::main]
async fn main() {
    let mut set = JoinSet::new();
    for ip in 0..4u8 {
        set.spawn(ip_to_mac(ip));
    }
    while let Some(r) = set.join_next().await {
        println!("{:?}", r.unwrap());
    }
}
