// # The index page that stayed open
//
// Story: a crawler collects the headlines of a news site with the `scraper` crate. For
// each section it fetches the index page, parses it, and follows every article link on it;
// the sections are crawled side by side, one task each. (Real reports of this shape:
// https://github.com/rust-scraper/scraper/issues/75, /181 and /206.)
//
// What is wrong: it does not compile. The task's future "cannot be sent between threads
// safely", and the value the compiler names comes from another crate.
//
// What to do: make it compile, keeping one task per section and the same pages fetched.
//
// Book: "Types from other crates" (src/culprits/foreign-types.md).

use checker::crawler::{Article, FetchError, Site};
use scraper::{Html, Selector};
use tokio::task::JoinSet;

// ANCHOR: helpers
/// The text of the page's first `<h1>`.
fn headline(page: &str) -> String {
    let h1 = Selector::parse("h1").expect("a valid selector");
    Html::parse_document(page)
        .select(&h1)
        .next()
        .map(|h| h.text().collect())
        .unwrap_or_default()
}

/// The article links of an index page, as owned strings. The parsed document lives only
/// inside this function, so no future ever holds it.
fn article_links(page: &str) -> Vec<String> {
    let links = Selector::parse("a.article").expect("a valid selector");
    Html::parse_document(page)
        .select(&links)
        .filter_map(|link| link.value().attr("href"))
        .map(str::to_owned)
        .collect()
}
// ANCHOR_END: helpers

// ANCHOR: section
/// Every headline linked from one section's index page.
async fn crawl_section(site: Site, index: String) -> Result<Vec<Article>, FetchError> {
    let page = site.fetch(&index).await?;
    let urls = article_links(&page);
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

// ANCHOR: crawl
/// Crawls every section side by side.
async fn crawl(site: Site, sections: Vec<String>) -> Vec<Article> {
    let mut tasks = JoinSet::new();
    for index in sections {
        tasks.spawn(crawl_section(site.clone(), index));
    }
    let mut articles = Vec::new();
    while let Some(done) = tasks.join_next().await {
        match done.expect("a crawl task panicked") {
            Ok(found) => articles.extend(found),
            Err(err) => eprintln!("a section failed: {err}"),
        }
    }
    articles
}
// ANCHOR_END: crawl

// ---------------------------------------------------------------------------------------
// The checker's part: it crawls the simulated site. No need to change it.

fn main() {
    checker::crawler::check(crawl);
}
