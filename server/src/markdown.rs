//! Markdown to safe HTML, for every module body whoever wrote it.
//!
//! ammonia's defaults keep `<img src="https://...">`; an external image in a
//! module would tell a third party that this learner, at this address, is
//! reading about abuse. Images must be same-origin, decided on the URL as a
//! browser will read it (see [`same_origin_path`]).

use ammonia::Builder;
use pulldown_cmark::{Options, Parser, html};
use std::sync::LazyLock;

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::default();
    builder
        .link_rel(Some("noopener noreferrer"))
        .url_relative(ammonia::UrlRelative::PassThrough)
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" {
                same_origin_path(value).map(Into::into)
            } else {
                Some(value.into())
            }
        });
    builder
});

/// The path an image URL leads to on this site, or `None` if it leads
/// anywhere else.
///
/// The check runs on the URL a browser will actually request, not on the
/// text as written: browsers trim ASCII whitespace around an attribute's URL,
/// drop tabs and line breaks inside it and read `\` as `/`, so
/// `/&#9;/tracker.example` is a request to `//tracker.example`. A URL with
/// any control character, white space or backslash inside is refused
/// outright (no real image path needs one, and browsers differ on the
/// rest); the WHATWG parser
/// in the `url` crate resolves what remains, and what it resolves to is what
/// the page gets, so the browser has nothing left to reinterpret.
pub fn same_origin_path(src: &str) -> Option<String> {
    static BASE: LazyLock<url::Url> =
        LazyLock::new(|| url::Url::parse("https://holdspace.invalid/courses/").expect("a valid base URL"));
    let src = src.trim_matches(|c: char| c.is_ascii_whitespace() || c.is_ascii_control());
    if !src.starts_with('/') || src.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') {
        return None;
    }
    let resolved = BASE.join(src).ok()?;
    (resolved.origin() == BASE.origin()).then(|| resolved[url::Position::BeforePath..].to_owned())
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
    use super::{render, same_origin_path};

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

    /// Ways to make an image look local while a browser fetches it from
    /// elsewhere: the tab/newline/carriage-return/form-feed character
    /// references of the security review, and the usual URL-parser
    /// confusions (PortSwigger's URL validation bypass cheat sheet; OWASP's
    /// SSRF prevention cheat sheet).
    const IMAGE_BYPASSES: &[&str] = &[
        "/&#9;/tracker.example/p.gif",
        "/&#10;/tracker.example/p.gif",
        "/&#13;/tracker.example/p.gif",
        "/&#12;/tracker.example/p.gif",
        "&#12;//tracker.example/p.gif",
        "&#32;//tracker.example/p.gif",
        "/&#x09;/tracker.example/p.gif",
        "/\\tracker.example/p.gif",
        "\\/tracker.example/p.gif",
        "/\\/tracker.example/p.gif",
        "//tracker.example/p.gif",
        "///tracker.example/p.gif",
        "https://tracker.example/p.gif",
        "https:tracker.example/p.gif",
        "https:/tracker.example/p.gif",
        "http://holdspace.invalid@tracker.example/p.gif",
        "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
        "javascript:alert(1)",
    ];

    #[test]
    fn images_that_a_browser_would_fetch_elsewhere_are_removed() {
        for src in IMAGE_BYPASSES {
            let html = render(&format!("<img src=\"{src}\" alt=\"x\">"));
            assert!(!html.contains("tracker.example"), "{src} kept: {html}");
            assert!(
                !html.contains("src=\"//") && !html.contains("src=\"http") && !html.contains("src=\"data"),
                "{src} kept: {html}"
            );
        }
    }

    #[test]
    fn the_kept_image_path_is_the_one_the_browser_requests() {
        assert_eq!(same_origin_path(" /images/a.png ").as_deref(), Some("/images/a.png"));
        assert_eq!(
            same_origin_path("/images/../a%20b.png?x=1").as_deref(),
            Some("/a%20b.png?x=1")
        );
        assert_eq!(same_origin_path("/a b.png"), None);
        assert_eq!(same_origin_path("/\t/tracker.example"), None);
        assert_eq!(same_origin_path("relative.png"), None);
    }

    #[test]
    fn javascript_links_are_removed() {
        let html = render("[x](javascript:alert(1))");
        assert!(!html.contains("javascript"));
    }

    proptest::proptest! {
        /// Whatever an image URL says, a path kept is one on this site that
        /// a browser will request exactly as written.
        #[test]
        fn kept_image_paths_stay_on_this_site(src in "[ \t\n\r\x0c/\\\\a-z.:@%#?&=0-9]{0,40}") {
            if let Some(path) = same_origin_path(&src) {
                proptest::prop_assert!(path.starts_with('/') && !path.starts_with("//"), "{:?} -> {:?}", src, path);
                proptest::prop_assert!(!path.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\'));
                let base = url::Url::parse("https://holdspace.invalid/x/").unwrap();
                let resolved = base.join(&path).unwrap();
                proptest::prop_assert_eq!(resolved.host_str(), Some("holdspace.invalid"));
            }
        }

        /// Any Markdown: its images are all local.
        #[test]
        fn rendered_images_are_all_local(markdown in "(?s).{0,200}", src in "[ \t/\\\\a-z.:&#;0-9]{0,30}") {
            let html = render(&format!("{markdown}<img src=\"{src}\">![x]({src})"));
            for (index, _) in html.match_indices("<img ") {
                let tag = &html[index..index + html[index..].find('>').unwrap_or(html.len() - index)];
                if let Some(at) = tag.find("src=\"") {
                    let value = &tag[at + 5..];
                    proptest::prop_assert!(value.starts_with('/') && !value.starts_with("//"), "{}", html);
                }
            }
        }
    }
}
