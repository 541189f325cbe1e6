//! Which links of a built HTML page point to other sites.
//!
//! The page is read with html5gum, a WHATWG tokenizer, so attribute values arrive with
//! their character references decoded (`&amp;` is `&`) whatever the quoting, and the
//! insides of `<script>`, `<style>`, `<textarea>` and comments are never mistaken for tags.

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

/// `rel` values whose `href` names a server to warm up, not a document to fetch.
const HINT_RELS: &[&str] = &["preconnect", "dns-prefetch"];

/// The `href`/`src` values of `html` that point to other sites, in order of appearance,
/// each once. A value is kept when it is an `http(s)://` URL, or a protocol-relative
/// `//host/...` one (returned with `https:`), and does not start with `own_base` (the
/// site's `base_url`, ending in `/`): those links are internal and checked by the build.
pub(super) fn external_links(html: &[u8], own_base: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for (name, value, rel) in link_attributes(html) {
        if name == "href" && rel.split_ascii_whitespace().any(is_hint_rel) {
            continue;
        }
        let Some(url) = external(&value) else {
            continue;
        };
        if is_own(&url, own_base) || found.contains(&url) {
            continue;
        }
        found.push(url);
    }
    found
}

fn is_hint_rel(rel: &str) -> bool {
    HINT_RELS.iter().any(|h| rel.eq_ignore_ascii_case(h))
}

/// `value` as an absolute `http(s)` URL, if it is one (surrounding whitespace dropped, as
/// browsers do).
fn external(value: &str) -> Option<String> {
    let value = value.trim_matches(|c: char| c.is_ascii_whitespace());
    let scheme_end = value.find(':');
    match scheme_end {
        Some(end) if matches!(value[..end].to_ascii_lowercase().as_str(), "http" | "https") => {
            value[end..].starts_with("://").then(|| value.to_string())
        }
        _ if value.starts_with("//") && value.len() > 2 => Some(format!("https:{value}")),
        _ => None,
    }
}

/// Whether `url` lies under the site's own base URL (compared without the trailing slash,
/// so `https://x.org/guide` is the site too).
fn is_own(url: &str, own_base: &str) -> bool {
    let base = own_base.trim_end_matches('/');
    if base.is_empty() {
        return false;
    }
    url.get(..base.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(base))
        && matches!(
            url[base.len()..].chars().next(),
            None | Some('/' | '?' | '#')
        )
}

/// Every `href` and `src` attribute of every start tag, as (name, value, the tag's `rel`).
fn link_attributes(html: &[u8]) -> Vec<(&'static str, String, String)> {
    #[derive(Default)]
    struct Tag {
        attribute: Option<&'static str>,
        links: Vec<(&'static str, String)>,
        rel: String,
        /// `data-link-check="skip"`: a link the theme builds per page to an endpoint
        /// that turns robots away (the share links), not one an author wrote.
        skip: bool,
    }
    let mut tag = Tag::default();
    let mut emitter = CallbackEmitter::new(
        move |event: CallbackEvent<'_>,
              _: Span<()>|
              -> Option<Vec<(&'static str, String, String)>> {
            match event {
                CallbackEvent::OpenStartTag { .. } => tag = Tag::default(),
                CallbackEvent::AttributeName { name } => {
                    tag.attribute = match name {
                        b"href" => Some("href"),
                        b"src" => Some("src"),
                        b"rel" => Some("rel"),
                        b"data-link-check" => Some("data-link-check"),
                        _ => None,
                    };
                }
                CallbackEvent::AttributeValue { value } => {
                    let value = String::from_utf8_lossy(value).into_owned();
                    match tag.attribute.take() {
                        Some("rel") => tag.rel = value,
                        Some("data-link-check") => tag.skip = value == "skip",
                        Some(name) => tag.links.push((name, value)),
                        None => {}
                    }
                }
                CallbackEvent::CloseStartTag { .. } => {
                    let tag = std::mem::take(&mut tag);
                    if tag.skip {
                        return None;
                    }
                    let rel = tag.rel;
                    let links = tag.links.into_iter();
                    return Some(links.map(|(n, v)| (n, v, rel.clone())).collect());
                }
                _ => {}
            }
            None
        },
    );
    // Tell the tokenizer that <script>, <style>, <title>... hold text, not markup.
    emitter.naively_switch_states(true);
    Tokenizer::new_with_emitter(html, emitter)
        .filter_map(Result::ok)
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://me.example/guide/";

    fn links(html: &str) -> Vec<String> {
        external_links(html.as_bytes(), BASE)
    }

    #[test]
    fn finds_href_and_src_with_entities_decoded() {
        let html = r#"<p><a href="https://a.example/x?b=1&amp;c=2">a</a>
            <img src='http://b.example/i.png' alt=""><a href=https://c.example/>c</a></p>"#;
        assert_eq!(
            links(html),
            [
                "https://a.example/x?b=1&c=2",
                "http://b.example/i.png",
                "https://c.example/"
            ]
        );
    }

    #[test]
    fn skips_own_site_other_schemes_and_hints() {
        let html = r##"<head><link rel="canonical" href="https://me.example/guide/essays/a/">
            <meta property="og:url" content="https://other.example/">
            <link rel="preconnect" href="https://fonts.example">
            <link rel="alternate" href="https://me.example/guide/rss.xml"></head>
            <a href="https://me.example/guide">home</a><a href="/guide/x/">x</a>
            <a href="#top">top</a><a href="mailto:a@b.example">mail</a>
            <a href="https://me.example/guidebook/">not ours</a>"##;
        assert_eq!(links(html), ["https://me.example/guidebook/"]);
    }

    #[test]
    fn skips_links_marked_by_the_theme() {
        let html = r#"<a href="https://www.linkedin.com/sharing/share-offsite/?url=x" data-link-check="skip">in</a>
            <a href="https://other.example/">other</a>"#;
        assert_eq!(links(html), ["https://other.example/"]);
    }

    #[test]
    fn ignores_markup_inside_scripts_comments_and_text() {
        let html = r#"<script>let s = '<a href="https://in-script.example/">';</script>
            <!-- <a href="https://in-comment.example/"> -->
            <pre><code>&lt;a href="https://in-code.example/"&gt;</code></pre>
            <a data-href="https://data.example/">d</a>"#;
        assert!(links(html).is_empty(), "{:?}", links(html));
    }

    #[test]
    fn protocol_relative_is_https_and_each_url_comes_once() {
        let html = r#"<script src="//cdn.example/x.js"></script>
            <a href="https://a.example/">1</a><a href=" https://a.example/ ">2</a>"#;
        assert_eq!(
            links(html),
            ["https://cdn.example/x.js", "https://a.example/"]
        );
    }
}
