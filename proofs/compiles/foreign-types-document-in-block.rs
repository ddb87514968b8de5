// Claim: a document confined to a block that ends before the first `.await` leaves nothing
// behind that is not `Send`: the block hands out owned `String`s, and the crawler's task is
// spawned and passes the news crawler's check. (With `drop(document)` instead of the block,
// it does not compile: proofs/compile-fail/foreign-types-drop-document.rs.)
//
// Book: "Types from other crates" (src/culprits/foreign-types.md).

use checker::crawler::{Article, FetchError, Site};
use scraper::{Html, Selector};
use tokio::task::JoinSet;

fn headline(page: &str) -> String {
    let h1 = Selector::parse("h1").expect("a valid selector");
    Html::parse_document(page)
        .select(&h1)
        .next()
        .map(|h| h.text().collect())
        .unwrap_or_default()
}

// ANCHOR: section
async fn crawl_section(site: Site, index: String) -> Result<Vec<Article>, FetchError> {
    let page = site.fetch(&index).await?;
    let urls: Vec<String> = {
        let links = Selector::parse("a.article").expect("a valid selector");
        let document = Html::parse_document(&page);
        document
            .select(&links)
            .filter_map(|link| link.value().attr("href"))
            .map(str::to_owned)
            .collect()
    }; // the document, and everything that pointed into it, ends here
    let mut articles = Vec::new();
    for url in urls {
        let article = site.fetch(&url).await?;
        articles.push(Article {
            title: headline(&article),
            url,
        });
    }
    Ok(articles)
}
// ANCHOR_END: section

async fn crawl(site: Site, sections: Vec<String>) -> Vec<Article> {
    let mut tasks = JoinSet::new();
    for index in sections {
        tasks.spawn(crawl_section(site.clone(), index));
    }
    let mut articles = Vec::new();
    while let Some(done) = tasks.join_next().await {
        articles.extend(done.expect("a crawl task panicked").unwrap_or_default());
    }
    articles
}

fn main() {
    checker::crawler::check(crawl);
}
