//! Notes as HTML pages, rendered once and kept.

use std::collections::HashMap;
use std::sync::Mutex;

use lib_core::model::Note;

/// Renders notes, and keeps the pages it rendered.
#[derive(Default)]
pub struct Renderer {
    pages: Mutex<HashMap<u64, String>>,
}

impl Renderer {
    /// The note's page: the one kept, or a new one rendered on the blocking pool.
    pub async fn page(&self, note: &Note) -> String {
        let kept = self.pages.lock().unwrap().get(&note.id).cloned();
        if let Some(page) = kept {
            page
        } else {
            let text = note.text.clone();
            let page = tokio::task::spawn_blocking(move || to_html(&text))
                .await
                .unwrap_or_default();
            self.pages.lock().unwrap().insert(note.id, page.clone());
            page
        }
    }
}

/// One paragraph per line, with the text escaped.
fn to_html(text: &str) -> String {
    let mut html = String::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        html.push_str("<p>");
        for c in line.chars() {
            match c {
                '<' => html.push_str("&lt;"),
                '>' => html.push_str("&gt;"),
                '&' => html.push_str("&amp;"),
                c => html.push(c),
            }
        }
        html.push_str("</p>\n");
    }
    html
}
