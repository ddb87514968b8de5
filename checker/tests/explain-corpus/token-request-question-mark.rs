// Reproduces: https://github.com/smartive/zitadel-rust/pull/332 — an inline `?` on a `Result<_, Box<dyn Error>>` inside the request literal leaves the non-Send residual alive until the end of the statement that awaits the request.
// expect: kind=dyn-error shape=temporary-in-statement culprit=`dyn std::error::Error` value=parse_audience(&self.issuer)?
// expect-line: await=43
use std::error::Error;
use std::time::Duration;

#[derive(Debug)]
struct Audience(String);

fn parse_audience(issuer: &str) -> Result<Audience, Box<dyn Error>> {
    if issuer.starts_with("https://") {
        Ok(Audience(format!("{issuer}/oauth/v2/token")))
    } else {
        Err(format!("issuer {issuer} is not an https URL").into())
    }
}

struct TokenRequest {
    audience: Audience,
    assertion: String,
}

async fn post_token(request: TokenRequest) -> Result<String, Box<dyn Error>> {
    tokio::time::sleep(Duration::from_millis(2)).await;
    Ok(format!(
        "token for {:?} ({} bytes)",
        request.audience,
        request.assertion.len()
    ))
}

struct ServiceAccount {
    issuer: String,
    key: String,
}

impl ServiceAccount {
    async fn authenticate(self) -> Result<String, Box<dyn Error>> {
        let token = post_token(TokenRequest {
            audience: parse_audience(&self.issuer)?,
            assertion: self.key.clone(),
        })
        .await?;
        Ok(token)
    }
}

#[tokio::main]
async fn main() {
    let account = ServiceAccount {
        issuer: "https://auth.example.com".into(),
        key: "signed-jwt".into(),
    };
    let refresher = tokio::spawn(async move {
        match account.authenticate().await {
            Ok(token) => println!("{token}"),
            Err(e) => println!("failed: {e}"),
        }
    });
    refresher.await.unwrap();
}
