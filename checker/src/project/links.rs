//! Links to the book's pages that work from any project: the published book, else the
//! book built in the checkout the tool was built from, else the page's title.

/// Where the book is published, from book.toml when the tool was built.
const BOOK_TOML: &str = include_str!("../../../book.toml");
/// The book's pages and their titles.
const SUMMARY: &str = include_str!("../../../src/SUMMARY.md");
/// The checkout the tool was built from, where `cargo xtask book` builds the book.
const CHECKOUT: &str = env!("CARGO_MANIFEST_DIR");

/// A link to `page` (relative to the book's `src/`). `CANNOT_BE_SENT_BOOK_URL` points the
/// links at another copy of the book, or, set to `none`, names pages by their titles.
pub fn page_link(page: &str) -> String {
    let html = page.trim_end_matches(".md");
    let chosen = std::env::var("CANNOT_BE_SENT_BOOK_URL").ok();
    let published = match chosen.as_deref() {
        Some("none") => None,
        Some(url) if !url.is_empty() => Some(url.trim_end_matches('/').to_owned()),
        _ => crate::material::book::published_url_in(BOOK_TOML),
    };
    if let Some(url) = published {
        return format!("{url}/{html}.html");
    }
    if chosen.as_deref() == Some("none") {
        return title_link(page);
    }
    let built = std::path::Path::new(CHECKOUT)
        .join("book")
        .join(format!("{html}.html"));
    if built.is_file() {
        return format!("file://{}", built.display());
    }
    title_link(page)
}

fn title_link(page: &str) -> String {
    match page_title(page) {
        Some(title) => {
            format!("the page \"{title}\" of Cannot Be Sent (`cargo xtask book` in its repository)")
        }
        None => "Cannot Be Sent (`cargo xtask book` in its repository)".to_owned(),
    }
}

fn page_title(page: &str) -> Option<String> {
    SUMMARY.lines().find_map(|line| {
        let (_, rest) = line.split_once('[')?;
        let (title, rest) = rest.split_once("](")?;
        (rest.trim_end().trim_end_matches(')') == page).then(|| title.replace('\\', ""))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_explain_names_has_a_title() {
        use crate::explain::{Kind, Shape, page_for};
        for kind in Kind::ALL {
            for shape in Shape::ALL {
                let page = page_for(kind, shape);
                assert!(page_title(page).is_some(), "{page} is not in SUMMARY.md");
            }
        }
    }
}
