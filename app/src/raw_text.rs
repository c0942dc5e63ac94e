//! Text that Leptos writes into the server-rendered page without escaping.
//!
//! Two places in Leptos 0.8 put text into HTML raw: leptos_meta's `<Title>`
//! (0.8.7, and its main branch as of 2026-12) and tachys' `<textarea>`
//! children (0.2.19: upstream escaped them in leptos#4808, then reverted
//! it in #4819). A course title like `</title><script>…` or a summary
//! holding `</textarea><script>…` would become markup. Text bound for
//! either goes through [`escaped_on_server`]; in the browser both are
//! plain text already (`document.title`, a text node) and must not be
//! escaped twice.

/// `text` escaped for HTML when rendering on the server, as it is in the browser.
pub fn escaped_on_server(text: String) -> String {
    #[cfg(feature = "ssr")]
    let text = html_escape::encode_text(&text).into_owned();
    text
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::escaped_on_server;

    #[test]
    fn markup_in_text_stays_text_on_the_server() {
        assert_eq!(
            escaped_on_server("</textarea><script>x()</script> & co".into()),
            "&lt;/textarea&gt;&lt;script&gt;x()&lt;/script&gt; &amp; co"
        );
    }

    /// Every `<textarea>` with text in it takes it through `escaped_on_server`.
    #[test]
    fn every_textarea_escapes_its_text() {
        let pages = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut unescaped = Vec::new();
        for entry in std::fs::read_dir(pages.join("pages"))
            .unwrap()
            .chain(std::fs::read_dir(pages.join("components")).unwrap())
        {
            let path = entry.unwrap().path();
            let source = std::fs::read_to_string(&path).unwrap();
            for (index, _) in source.match_indices("<textarea") {
                let open_end = index + source[index..].find('>').unwrap() + 1;
                let children = &source[open_end..open_end + source[open_end..].find("</textarea>").unwrap()];
                if !children.trim().is_empty() && !children.trim().starts_with("{escaped_on_server(") {
                    unescaped.push(format!("{}: {}", path.display(), children.trim()));
                }
            }
        }
        assert!(unescaped.is_empty(), "textareas with raw text: {unescaped:#?}");
    }
}
