// Claim: when the value that is not `Send` is moved into a spawned `async move` block,
// rather than created inside it and kept across an `.await`, the error has the same
// headline but a different note: "captured value is not `Send`". The block needs no
// `.await` at all for this: what it captures is part of the future from the start.
//
// Book: "Reading the error, line by line" (src/understanding/reading-the-error.md).

use std::rc::Rc;

/// A page template, parsed once and shared by every render.
struct Template {
    source: String,
}

impl Template {
    fn render(&self, name: &str) -> String {
        self.source.replace("{name}", name)
    }
}

#[tokio::main]
async fn main() {
    // ANCHOR: spawn
    let template = Rc::new(Template {
        source: "Hello, {name}!".to_owned(),
    });
    let task = tokio::spawn(async move { template.render("Ana") });
    // ANCHOR_END: spawn
    assert_eq!(task.await.unwrap(), "Hello, Ana!");
}
