//! Markdown to safe HTML, for every module body whoever wrote it.
//!
//! ammonia's defaults keep `<img src="https://...">`; an external image in a
//! module would tell a third party that this learner, at this address, is
//! reading about abuse. Images must be same-origin (a relative URL).

use ammonia::Builder;
use pulldown_cmark::{Options, Parser, html};
use std::sync::LazyLock;

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::default();
    builder
        .link_rel(Some("noopener noreferrer"))
        .url_relative(ammonia::UrlRelative::PassThrough)
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" && !is_same_origin(value) {
                None
            } else {
                Some(value.into())
            }
        });
    builder
});

fn is_same_origin(url: &str) -> bool {
    let url = url.trim();
    url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\")
}

/// Renders CommonMark (with tables, footnotes and strikethrough) and sanitizes the result.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    SANITIZER.clean(&unsafe_html).to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn renders_ordinary_markdown() {
        let html = render("## Safety\n\nA *calm* start, and [resources](/resources).");
        assert!(html.contains("<h2>Safety</h2>"));
        assert!(html.contains("<em>calm</em>"));
        assert!(html.contains(r#"<a href="/resources" rel="noopener noreferrer">resources</a>"#));
    }

    #[test]
    fn strips_scripts_and_event_handlers() {
        let html = render("<script>alert(1)</script><p onclick=\"x()\">hi</p>");
        assert!(!html.contains("script"));
        assert!(!html.contains("onclick"));
        assert!(html.contains("hi"));
    }

    #[test]
    fn keeps_only_same_origin_images() {
        let html = render("![a](/images/a.png) ![b](https://tracker.example/p.gif) ![c](//tracker.example/p.gif)");
        assert!(html.contains(r#"src="/images/a.png""#));
        assert!(!html.contains("tracker.example"));
    }

    #[test]
    fn javascript_links_are_removed() {
        let html = render("[x](javascript:alert(1))");
        assert!(!html.contains("javascript"));
    }
}
