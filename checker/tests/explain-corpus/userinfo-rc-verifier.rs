// Reproduces: https://github.com/ramosbugs/openidconnect-rs/pull/16 — a user-info request keeps its signature check as Rc<dyn Fn>, alive across the HTTP call in a spawned task.
// expect: kind=rc shape=held-across-await culprit=`Rc<(dyn for<'a> Fn(&'a str) -> bool + 'static)>` value=self
// expect-line: await=19
use std::rc::Rc;
use std::time::Duration;

struct UserInfoRequest {
    url: String,
    verifier: Rc<dyn Fn(&str) -> bool>,
}

async fn http_get(url: &str) -> String {
    tokio::time::sleep(Duration::from_millis(1)).await;
    format!("{{\"sub\":\"alice\",\"from\":\"{url}\"}}.sig")
}

impl UserInfoRequest {
    async fn fetch(self) -> Option<String> {
        let body = http_get(&self.url).await;
        (self.verifier)(&body).then_some(body)
    }
}

#[tokio::main]
async fn main() {
    let request = UserInfoRequest {
        url: "https://id.example.com/userinfo".into(),
        verifier: Rc::new(|body: &str| body.ends_with(".sig")),
    };
    let task = tokio::spawn(request.fetch());
    println!("{:?}", task.await.unwrap());
}
