//! HTML read with html5gum, the tokenizer sheaf itself depends on: the start tags of a page
//! with entity-decoded attributes, the text of `<title>` and `<style>`, and the questions the
//! tests ask of them (a `<meta>`'s content, a `<link rel>`, every URL a page names). One
//! parser for every test, instead of a string search per file that each handled quoting,
//! entities, comments and `<main>` vs `<ma` its own way.

use std::collections::BTreeMap;

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// A start tag: lowercased name, attributes with lowercased names and decoded values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub attrs: BTreeMap<String, String>,
}

impl Tag {
    /// The decoded value of attribute `name`, if present.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }
}

/// An `<a href>` and its text (tags inside it left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub href: String,
    pub text: String,
}

/// A list item: its text (whitespace collapsed, tags left out) and the links inside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    pub text: String,
    pub hrefs: Vec<String>,
}

/// What a page holds for the tests: its start tags in document order, its links and list
/// items with their text, and the text of each `<title>`, `<style>` and `<script>` element.
#[derive(Debug, Default)]
pub struct Html {
    pub tags: Vec<Tag>,
    pub anchors: Vec<Anchor>,
    /// In the order they close (an inner list's items before the item that holds them).
    pub items: Vec<Item>,
    pub titles: Vec<String>,
    pub styles: Vec<String>,
    pub scripts: Vec<String>,
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Tokenizes `html` (a document or a fragment). Raw-text elements (`<script>`, `<style>`,
/// `<title>`, `<textarea>`) switch the tokenizer's state as a browser's would, so markup
/// inside them is text, not tags.
pub fn parse(html: &str) -> Html {
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut doc = Html::default();
    let mut open: Option<(String, String)> = None; // a raw-text element being read
    let mut anchor: Option<Anchor> = None; // an `<a href>` being read
    let mut items: Vec<Item> = Vec::new(); // the `<li>`s open, outermost first
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = text(&tag.name).to_ascii_lowercase();
                let attrs = tag
                    .attributes
                    .iter()
                    .map(|(k, v)| (text(k).to_ascii_lowercase(), text(&v.value)))
                    .collect();
                if matches!(name.as_str(), "title" | "style" | "script") && !tag.self_closing {
                    open = Some((name.clone(), String::new()));
                }
                let tag = Tag { name, attrs };
                if tag.name == "li" {
                    items.push(Item::default());
                }
                if let Some(href) = tag.attr("href") {
                    for item in &mut items {
                        item.hrefs.push(href.to_string());
                    }
                }
                if tag.name == "a" {
                    anchor = tag.attr("href").map(|href| Anchor {
                        href: href.to_string(),
                        text: String::new(),
                    });
                }
                doc.tags.push(tag);
            }
            Token::String(s) => {
                if let Some((_, body)) = &mut open {
                    body.push_str(&text(&s.value));
                }
                if let Some(anchor) = &mut anchor {
                    anchor.text.push_str(&text(&s.value));
                }
                if open.is_none() {
                    for item in &mut items {
                        item.text.push(' ');
                        item.text.push_str(&text(&s.value));
                    }
                }
            }
            Token::EndTag(tag) => {
                let name = text(&tag.name).to_ascii_lowercase();
                if name == "a" {
                    doc.anchors.extend(anchor.take());
                }
                if name == "li"
                    && let Some(mut item) = items.pop()
                {
                    item.text = item.text.split_whitespace().collect::<Vec<_>>().join(" ");
                    doc.items.push(item);
                }
                if let Some((element, body)) = open.take_if(|(element, _)| *element == name) {
                    match element.as_str() {
                        "title" => doc.titles.push(body),
                        "style" => doc.styles.push(body),
                        _ => doc.scripts.push(body),
                    }
                }
            }
            _ => {}
        }
    }
    doc
}

impl Html {
    /// The start tags named `name`.
    pub fn tags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Tag> + 'a {
        self.tags.iter().filter(move |t| t.name == name)
    }

    /// `content` of the `<meta>` whose `key` attribute (`name` or `property`) is `value`.
    pub fn meta(&self, key: &str, value: &str) -> Option<String> {
        self.tags_named("meta")
            .find(|m| m.attr(key) == Some(value))
            .and_then(|m| m.attr("content").map(str::to_string))
    }

    /// `href` of the `<link>` with this `rel`.
    pub fn link_rel(&self, rel: &str) -> Option<String> {
        self.tags_named("link")
            .find(|l| l.attr("rel") == Some(rel))
            .and_then(|l| l.attr("href").map(str::to_string))
    }

    /// Where the first link to `href` comes among the page's links (`<a href>` only).
    pub fn link_position(&self, href: &str) -> Option<usize> {
        self.anchors.iter().position(|a| a.href == href)
    }

    /// Every `href` and `src` value, in document order.
    /// Every URL a tag links or loads: `href`, `src`, `poster`, and each candidate of a
    /// `srcset` (its URL, before the descriptor).
    pub fn hrefs_and_srcs(&self) -> Vec<String> {
        let mut urls = Vec::new();
        for tag in &self.tags {
            for name in ["href", "src", "poster"] {
                urls.extend(tag.attr(name).map(str::to_string));
            }
            if let Some(srcset) = tag.attr("srcset") {
                let candidates = srcset
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next());
                urls.extend(candidates.map(str::to_string));
            }
        }
        urls
    }
}

/// `content` of the `<meta>` whose `key` attribute (`name` or `property`) is `value`.
pub fn meta(html: &str, key: &str, value: &str) -> Option<String> {
    parse(html).meta(key, value)
}

/// `href` of the `<link>` with this `rel`.
pub fn link_rel(html: &str, rel: &str) -> Option<String> {
    parse(html).link_rel(rel)
}

/// The text of the page's `<title>`.
pub fn title(html: &str) -> Option<String> {
    parse(html).titles.into_iter().next()
}

/// Every `href` and `src` value of an HTML document or fragment, decoded, in document order.
pub fn link_targets(html: &str) -> Vec<String> {
    parse(html).hrefs_and_srcs()
}

#[test]
fn tags_are_read_as_a_browser_would() {
    let doc = parse(
        "<!-- <a href=\"/commented\"> --><title>A &amp; B</title>\
         <meta property=\"og:title\" content='x &quot;y&quot;'>\
         <a data-href=\"no\" HREF=/yes>x</a><main id=m></main><ma></ma>\
         <script>let s = '<a href=\"/in-script\">';</script><style>a{}</style>",
    );
    assert_eq!(doc.titles, ["A & B"]);
    assert_eq!(doc.meta("property", "og:title").as_deref(), Some("x \"y\""));
    assert_eq!(doc.hrefs_and_srcs(), ["/yes"]);
    let picture = parse(r#"<source srcset="/a.webp 480w, /b.webp 960w"><video poster=/p.jpg>"#);
    assert_eq!(picture.hrefs_and_srcs(), ["/a.webp", "/b.webp", "/p.jpg"]);
    let yes = Anchor {
        href: "/yes".into(),
        text: "x".into(),
    };
    assert_eq!(doc.anchors, [yes]);
    let list = parse("<ul><li><a href=\"/t/\">Tag</a> <span>(3)</span></li><li>b</li></ul>");
    assert_eq!(list.items[0].text, "Tag (3)");
    assert_eq!(list.items[0].hrefs, ["/t/"]);
    assert_eq!(list.items[1].text, "b");
    assert_eq!(doc.tags_named("main").count(), 1);
    assert_eq!(doc.styles, ["a{}"]);
    assert_eq!(doc.scripts, ["let s = '<a href=\"/in-script\">';"]);
}
