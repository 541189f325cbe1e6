use super::*;
use crate::diagnostic::Location;

fn keys(path: &str) -> KeyPath {
    KeyPath::parse_serde(path).unwrap()
}

/// The text a span covers.
fn key<'t>(text: &'t str, path: &str) -> Option<&'t str> {
    Locator::new(text).key(&keys(path)).map(|r| &text[r])
}

fn value<'t>(text: &'t str, path: &str) -> Option<&'t str> {
    Locator::new(text)
        .value_or_key(&keys(path))
        .map(|r| &text[r])
}

/// (line, column) of a span, as a diagnostic shows it.
fn line_col(text: &str, span: Range<usize>) -> (usize, usize, usize) {
    let loc = Location::at_offset("x.yaml", text, span.start, span.len());
    (loc.line, loc.column, loc.width)
}

#[test]
fn nested_keys_are_found_in_their_own_map() {
    let text = "highlight:\n  light: Nope\n  dark: base16\n";
    assert_eq!(key(text, "highlight.light"), Some("light"));
    assert_eq!(value(text, "highlight.light"), Some("Nope"));
    let span = Locator::new(text).value_or_key(&keys("highlight.light"));
    assert_eq!(line_col(text, span.unwrap()), (2, 10, 4));
    assert_eq!(key(text, "light"), None, "not a top-level key");
    assert_eq!(key(text, "highlight.nope"), None);
}

#[test]
fn a_name_written_earlier_as_a_value_or_in_a_comment_is_skipped() {
    let text = "# theme: commented out\ntitle: theme\nnote: \"theme: x\"\ntheme: mine\n";
    let span = Locator::new(text).key(&keys("theme")).unwrap();
    assert_eq!(line_col(text, span), (4, 1, 5));
    assert_eq!(value(text, "theme"), Some("mine"));
    let text = "title: template\ntemplate: x.html\n";
    assert_eq!(Locator::new(text).key(&keys("template")), Some(16..24));
    // The same key name in another map first.
    let text = "author:\n  url: a\nfeeds: {url: 1}\nurl: here\n";
    assert_eq!(value(text, "url"), Some("here"));
    assert_eq!(value(text, "feeds.url"), Some("1"));
}

#[test]
fn flow_maps_and_sequences() {
    let text = "highlight: {light: x, dark: y}\nauthor: { name: A, url: 'javascript:alert(1)' }\n";
    assert_eq!(value(text, "highlight.light"), Some("x"));
    assert_eq!(value(text, "highlight.dark"), Some("y"));
    assert_eq!(key(text, "author.url"), Some("url"));
    let span = Locator::new(text).key(&keys("author.url")).unwrap();
    assert_eq!(line_col(text, span), (2, 20, 3));
    assert_eq!(value(text, "author.url"), Some("'javascript:alert(1)'"));
    let text = "tags: [a, b c, 'd,e']\nlist:\n  - {k: v}\n";
    assert!(value(text, "tags[1]").is_none(), "an item has no key");
    let at = Locator::new(text).find(&keys("tags[1]")).unwrap();
    assert_eq!(&text[at..at + 3], "b c");
    assert_eq!(value(text, "list[0].k"), Some("v"));
    assert_eq!(value(text, "tags"), Some("tags"), "a collection: the key");
}

#[test]
fn quoted_keys_and_values() {
    let text = "\"title\": \"A \\\"quoted\\\" one\" # c\n'it''s': 'x''y'\nplain: a#b # note\n";
    assert_eq!(key(text, "title"), Some("\"title\""));
    assert_eq!(value(text, "title"), Some("\"A \\\"quoted\\\" one\""));
    assert_eq!(key(text, "it's"), Some("'it''s'"));
    assert_eq!(value(text, "it's"), Some("'x''y'"));
    assert_eq!(value(text, "plain"), Some("a#b"));
}

#[test]
fn crlf_files() {
    let text = "title: T\r\nhighlight:\r\n  light: Nope\r\n  dark: y\r\n";
    assert_eq!(value(text, "highlight.light"), Some("Nope"));
    assert_eq!(value(text, "highlight.dark"), Some("y"));
    let span = Locator::new(text).value_or_key(&keys("highlight.dark"));
    assert_eq!(line_col(text, span.unwrap()), (4, 9, 1));
    let text = "a: Ünïcödé\r\nb:\r\n  c: 1\r\n";
    let at = Locator::new(text)
        .find(&KeyPath::root().at("b").key("c"))
        .unwrap();
    assert!(text[at..].starts_with("c: 1"));
}

#[test]
fn columns_count_characters_after_unicode() {
    let text = "author: { name: Zoë Ünïcödé, url: x }\n";
    let span = Locator::new(text)
        .value_or_key(&keys("author.url"))
        .unwrap();
    assert_eq!(&text[span.clone()], "x");
    assert_eq!(line_col(text, span), (1, 35, 1));
}

#[test]
fn a_value_on_later_lines_or_empty_points_at_the_key() {
    let text = "title:\ncsp: |\n  x\nfeeds:\n  limit: 0\n";
    assert_eq!(value(text, "title"), Some("title"));
    assert_eq!(value(text, "csp"), Some("csp"));
    assert_eq!(value(text, "feeds"), Some("feeds"));
    assert_eq!(value(text, "feeds.limit"), Some("0"));
}

#[test]
fn finds_keys_values_and_items() {
    let text = "- id: a\n  type: single\n  options:\n    - { id: x, label: X }\n    - id: y\n      label: Ü\n- id: b\n  scale: {min: 1, max: 5}\n";
    let at = |path: &KeyPath| {
        let offset = Locator::new(text).find(path)?;
        let line = text[..offset].matches('\n').count() + 1;
        Some((line, text[offset..].chars().take(8).collect::<String>()))
    };
    let q1 = KeyPath::root().index(1);
    assert_eq!(at(&q1.at("id")), Some((7, "b\n  scal".into())));
    assert_eq!(at(&q1.key("id")), Some((7, "id: b\n  ".into())));
    let opts = KeyPath::root().index(0).at("options");
    assert_eq!(
        at(&opts.index(0).at("label")),
        Some((4, "X }\n    ".into()))
    );
    assert_eq!(
        at(&opts.index(1).key("label")),
        Some((6, "label: Ü".into()))
    );
    assert_eq!(at(&q1.at("scale").at("max")), Some((8, "5}\n".into())));
    assert_eq!(at(&q1.at("missing")), None);
    assert_eq!(at(&KeyPath::root().index(5)), None);
    let nearest = Locator::new(text).nearest(&q1.at("scale").at("nope"));
    assert!(text[nearest..].starts_with("{min"), "{}", &text[nearest..]);
}

#[test]
fn broken_yaml_finds_nothing_and_never_panics() {
    for text in ["", "a: [", "- {", "\t- x", ": :", "a: *nope", "- &x [*x]"] {
        let locator = Locator::new(text);
        let _ = locator.find(&KeyPath::root().index(0).at("a"));
        let _ = locator.value_or_key(&KeyPath::root().at("a"));
    }
}

#[test]
fn serde_paths_are_read() {
    assert_eq!(KeyPath::parse_serde("."), Some(KeyPath::root()));
    assert_eq!(
        KeyPath::parse_serde("feeds"),
        Some(KeyPath::root().at("feeds"))
    );
    assert_eq!(
        KeyPath::parse_serde("worksheet.result.bands[0][2].min"),
        Some(
            KeyPath::root()
                .at("worksheet")
                .at("result")
                .at("bands")
                .index(0)
                .index(2)
                .at("min")
        )
    );
    assert_eq!(
        KeyPath::parse_serde("[3].a"),
        Some(KeyPath::root().index(3).at("a"))
    );
    for bad in ["a.?", "a[x]", "a[1]b", "a]"] {
        assert_eq!(KeyPath::parse_serde(bad), None, "{bad}");
    }
}
