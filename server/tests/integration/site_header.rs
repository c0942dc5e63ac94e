//! The header every page carries says who is signed in and offers the
//! places that person's role opens, read from the request the page is
//! rendered for (no request of its own).

use crate::builders::{self, UserBuilder};
use crate::support::*;

/// The header's markup on `path`, as `browser` sees it.
async fn header_of(browser: &Browser, path: &str) -> String {
    let page = browser.get(path).await;
    page.assert_ok();
    let start = page
        .body
        .find("<header class=\"site-header\">")
        .expect("the page has the header");
    let end = start + page.body[start..].find("</header>").expect("the header ends");
    page.body[start..end].to_owned()
}

const ROLE_LINKS: [&str; 4] = ["/teach", "/org", "/admin/organizations", "/admin/accounts"];

/// The role links in `header`, in the order [`ROLE_LINKS`] names them.
fn role_links(header: &str) -> Vec<&'static str> {
    ROLE_LINKS
        .into_iter()
        .filter(|link| header.contains(&format!("href=\"{link}\"")))
        .collect()
}

#[tokio::test]
async fn the_header_shows_each_person_the_places_their_role_opens() {
    let server = TestServer::start();
    let visitor = header_of(&server.browser(), "/").await;
    assert!(
        visitor.contains("href=\"/login\"") && visitor.contains("href=\"/register\""),
        "{visitor}"
    );
    assert!(
        !visitor.contains("Log out") && !visitor.contains("href=\"/me\""),
        "{visitor}"
    );
    assert_eq!(role_links(&visitor), Vec::<&str>::new(), "{visitor}");

    let learner = UserBuilder::learner("lee@example.org")
        .name("Lee")
        .create(&server)
        .await;
    let trainer = UserBuilder::trainer("tess@example.org")
        .name("Tess")
        .create(&server)
        .await;
    let admin = UserBuilder::admin("sam@example.org").name("Sam").create(&server).await;
    let org_admin = UserBuilder::learner("olu@example.org")
        .name("Olu")
        .create(&server)
        .await;
    builders::organization(&server, "Riverside Peer Support", "riverside", org_admin).await;
    for (user, name, expected) in [
        (learner, "Lee", vec![]),
        (trainer, "Tess", vec!["/teach"]),
        (admin, "Sam", vec!["/teach", "/admin/organizations", "/admin/accounts"]),
        (org_admin, "Olu", vec!["/org"]),
    ] {
        let browser = builders::signed_in(&server, user).await;
        // The catalog and a course's outline: the header is the same on both.
        for path in ["/", "/courses/demo-course"] {
            let header = header_of(&browser, path).await;
            assert!(
                header.contains(&format!("<li class=\"who\">{name}</li>")),
                "{name} on {path}: {header}"
            );
            assert!(
                header.contains("href=\"/me\"") && header.contains("Log out"),
                "{name} on {path}: {header}"
            );
            assert!(!header.contains("href=\"/login\""), "{name} on {path}: {header}");
            assert_eq!(role_links(&header), expected, "{name} on {path}: {header}");
        }
    }
}
