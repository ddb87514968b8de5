// Claim: `drop(document)` before the `.await` does not make the crawler's future `Send`
// when the document was borrowed before the drop (here by `select`): a local that was
// borrowed counts as alive to the end of its scope (rust-lang/rust#94067), as with a lock
// guard. A block around the document does work (proofs/compiles/foreign-types-document-in-block.rs).
//
// Book: "Types from other crates" (src/culprits/foreign-types.md).

use checker::crawler::{Article, FetchError, Site};
use scraper::{Html, Selector};

// ANCHOR: section
async fn crawl_section(site: Site, index: String) -> Result<Vec<Article>, FetchError> {
    let links = Selector::parse("a.article").expect("a valid selector");
    let page = site.fetch(&index).await?;
    let document = Html::parse_document(&page);
    let urls: Vec<String> = document
        .select(&links)
        .filter_map(|link| link.value().attr("href"))
        .map(str::to_owned)
        .collect();
    drop(document);
    let mut articles = Vec::new();
    for url in urls {
        let article = site.fetch(&url).await?;
        articles.push(Article {
            url,
            title: article,
        });
    }
    Ok(articles)
}
// ANCHOR_END: section

fn main() {
    let sections = vec!["/news".to_owned()];
    for index in sections {
        drop(tokio::spawn(crawl_section(Site::default(), index)));
    }
}
