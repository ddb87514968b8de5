// Reproduces: https://github.com/KWARC/rust-libxml/pull/94 — a parser returns Result<Doc, Box<dyn Error>>; the error value bound in a match arm is kept while the arm awaits a retry report.
// expect: kind=dyn-error shape=held-across-await culprit=`dyn std::error::Error` value=err
use std::time::Duration;

struct Doc {
    root: String,
}

fn parse(s: &str) -> Result<Doc, Box<dyn std::error::Error>> {
    if s.starts_with('<') {
        Ok(Doc { root: s.trim_matches(|c| c == '<' || c == '>').to_string() })
    } else {
        Err(format!("not xml: {s}").into())
    }
}

async fn report(msg: String) {
    tokio::time::sleep(Duration::from_millis(1)).await;
    eprintln!("{msg}");
}

async fn job(input: String) -> usize {
    match parse(&input) {
        Ok(doc) => doc.root.len(),
        Err(err) => {
            report(format!("parse failed: {err}")).await;
            eprintln!("source was {:?}", err.source().is_some());
            0
        }
    }
}

#[tokio::main]
async fn main() {
    let a = tokio::spawn(job("<root>".into()));
    let b = tokio::spawn(job("plain".into()));
    println!("{} {}", a.await.unwrap(), b.await.unwrap());
}
