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
        fn sources(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    sources(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    found.push(path);
                }
            }
        }
        let mut files = Vec::new();
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pages"),
            &mut files,
        );
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/components"),
            &mut files,
        );
        let mut unescaped = Vec::new();
        for path in files {
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
