//! Escaping (issue #7): a site whose every front-matter field and config value carries markup
//! and script payloads is built, and every output file is parsed: no payload became an
//! element, an attribute, an inline script or a `javascript:` link in any HTML page (feed
//! HTML included), the feeds and sitemap are well-formed XML with the payloads as text, and
//! each payload is still there, as text, somewhere (so a dropped field cannot pass for an
//! escaped one).
//!
//! Not covered on purpose: Markdown bodies, where raw HTML is the author's own (CommonMark);
//! `extra`, which the default theme does not show; `template` and `slug`, which only take
//! names (a payload is a build error).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use html5gum::{DefaultEmitter, Token, Tokenizer};
use quick_xml::events::Event;
use tempfile::TempDir;

use crate::support;

/// The payload for one field: breaks out of `<title>`, `<textarea>` and `<script>` (JSON
/// data), of double- and single-quoted attributes, and starts a script element. `alert(xss…)`
/// names the field, so a breakout says where it came from; the name is letters only, so
/// Markdown (smart quotes, emphasis) leaves it alone.
fn payload(field: &str) -> String {
    let m = marker(field);
    format!(
        "{field} </title></textarea></script><script>alert({m})</script> \"onmouseover=\"alert({m})\" '><img src=x onerror=alert({m})> <svg onload=alert({m})>"
    )
}

/// The same in under 100 characters, for tags (longer ones are refused).
fn short_payload(field: &str) -> String {
    let m = marker(field);
    format!("{field}\"><script>alert({m})</script>'><img src=x onerror=alert({m})>")
}

fn marker(field: &str) -> String {
    format!("xss{field}")
}

/// A YAML scalar: JSON strings are valid YAML double-quoted scalars.
fn y(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn p(field: &str) -> String {
    y(&payload(field))
}

/// Fields the default theme shows, each with its own payload (and marker).
const SHOWN: &[&str] = &[
    "configtitle",
    "configdescription",
    "authorname",
    "authorurl",
    "hometitle",
    "homedescription",
    "sectiontitle",
    "sectiondescription",
    "pagetitle",
    "pagedescription",
    "tag",
    "series",
    "pageimage",
    "wssectiontitle",
    "wstitle",
    "wsdescription",
    "dimtitle",
    "dimbody",
    "prompt",
    "optionlabel",
    "minlabel",
    "maxlabel",
    "explain",
    "textprompt",
];

/// The hostile site, in a temporary folder.
fn hostile_site() -> TempDir {
    let site = tempfile::Builder::new()
        .prefix("sheaf-escaping-")
        .tempdir()
        .unwrap();
    let root = site.path();
    // The base URL's path carries markup too: the URL parser percent-encodes `"<>`, and `'`
    // stays, so every attribute holding a URL gets a quote to be careful with.
    let config = format!(
        "title: {}\n\
         base_url: \"https://example.org/x\\\"><script>alert(xssbaseurl)</script>'onmouseover='alert(xssbaseurl)/\"\n\
         description: {}\n\
         language: {}\n\
         author: {{ name: {}, url: {} }}\n\
         feeds: {{ limit: 20, full_content: false }}\n\
         extra: {{ note: {} }}\n",
        p("configtitle"),
        p("configdescription"),
        y("en\"><script>alert(xsslanguage)</script>"),
        p("authorname"),
        y(
            "https://example.org/\"><script>alert(xssauthorurl)</script>'onmouseover='alert(xssauthorurl)"
        ),
        p("configextra"),
    );
    support::write(root.join("config.yaml"), &config);
    support::write(
        root.join("content/_index.md"),
        &format!(
            "---\ntitle: {}\ndescription: {}\n---\nThe home page.\n",
            p("hometitle"),
            p("homedescription")
        ),
    );
    support::write(
        root.join("content/essays/_index.md"),
        &format!(
            "---\ntitle: {}\ndescription: {}\nsort_by: date\nextra: {{ note: {} }}\n---\nEssays.\n",
            p("sectiontitle"),
            p("sectiondescription"),
            p("sectionextra")
        ),
    );
    support::write(
        root.join("content/essays/one.md"),
        &format!(
            "---\ntitle: {}\ndate: 2024-03-01\nupdated: 2024-04-01\ndescription: {}\n\
             tags: [{}, plain]\nseries: {}\nimage: {}\naliases: [/old/one/]\ntoc: true\nweight: 1\n\
             extra: {{ note: {} }}\n---\n## A heading\n\nThe first essay.\n\n## Another\n\nMore.\n",
            p("pagetitle"),
            p("pagedescription"),
            y(&short_payload("tag")),
            y(&short_payload("series")),
            // An outside URL: a local one must name a file of the site (issue #18).
            y(&format!("https://img.example/{}", payload("pageimage"))),
            p("pageextra"),
        ),
    );
    support::write(
        root.join("content/essays/two.md"),
        &format!(
            "---\ntitle: Two\ndate: 2024-02-01\ndescription: The second.\ntags: [plain]\n\
             series: {}\nimage: {}\n---\nThe second essay, linking [back](one.md).\n",
            y(&short_payload("series")),
            y("javascript:alert(xssimageurl)")
        ),
    );
    support::write(
        root.join("content/worksheets/_index.md"),
        &format!(
            "---\ntitle: {}\nsort_by: title\n---\nWorksheets.\n",
            p("wssectiontitle")
        ),
    );
    support::write(
        root.join("content/worksheets/hostile.md"),
        &format!(
            r#"---
title: {title}
description: {description}
tags: [{tag}]
worksheet:
  id: hostile
  version: 1
  result:
    by: top
    dimensions:
      a: {{ title: {dimtitle}, body: {dimbody} }}
      b: {{ title: "Plain", body: "Plain body." }}
---
Some prose.

```worksheet
- id: pick
  type: single
  prompt: {prompt}
  options:
    - {{ id: one, label: {label}, score: {{ a: 1 }} }}
    - {{ id: two, label: Two, score: {{ b: 1 }} }}
  correct: [one]
  explain: {explain}
- id: level
  type: scale
  prompt: How much?
  scale: {{ min: 1, max: 3, min_label: {minlabel}, max_label: {maxlabel} }}
  score: {{ a: 1 }}
- id: words
  type: text
  prompt: {textprompt}
  max_length: 80
```
"#,
            title = p("wstitle"),
            description = p("wsdescription"),
            tag = y(&short_payload("tag")),
            dimtitle = p("dimtitle"),
            dimbody = p("dimbody"),
            prompt = p("prompt"),
            label = p("optionlabel"),
            explain = p("explain"),
            minlabel = p("minlabel"),
            maxlabel = p("maxlabel"),
            textprompt = p("textprompt"),
        ),
    );
    site
}

/// What reading the built site found.
#[derive(Default)]
struct Findings {
    problems: Vec<String>,
    /// Every text, attribute value and JSON string, decoded: where the payloads must be.
    corpus: String,
}

/// Whether a URL attribute value would run script when followed (browsers drop ASCII
/// whitespace and control characters before the scheme, and ignore case).
fn runs_script(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned.starts_with("javascript:") || cleaned.starts_with("vbscript:")
}

const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "srcdoc",
];

/// Checks one HTML document (a page, or the HTML inside a feed entry).
fn check_html(file: &str, html: &str, found: &mut Findings) {
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut script: Option<(String, String)> = None; // (type, text) of an open <script>
    let mut problem = |what: String| found.problems.push(format!("{file}: {what}"));
    let mut corpus = String::new();
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                let attr = |n: &str| {
                    tag.attributes
                        .get(n.as_bytes())
                        .map(|v| String::from_utf8_lossy(&v.value).into_owned())
                };
                for (key, value) in &tag.attributes {
                    let key = String::from_utf8_lossy(key).to_ascii_lowercase();
                    let value = String::from_utf8_lossy(&value.value).into_owned();
                    if key.starts_with("on") {
                        problem(format!("<{name}> has an event handler {key}={value:?}"));
                    }
                    if URL_ATTRIBUTES.contains(&key.as_str()) && runs_script(&value) {
                        problem(format!("<{name} {key}={value:?}> runs script"));
                    }
                    corpus.push_str(&value);
                    corpus.push('\n');
                }
                if name == "meta"
                    && attr("http-equiv").is_some_and(|h| h.eq_ignore_ascii_case("refresh"))
                    && attr("content").is_some_and(|c| {
                        c.split_once("url=")
                            .or_else(|| c.split_once("URL="))
                            .is_some_and(|(_, u)| runs_script(u))
                    })
                {
                    problem("a refresh to a script URL".into());
                }
                // The theme writes none of these: one in a page came from a payload.
                if matches!(
                    name.as_str(),
                    "img" | "svg" | "iframe" | "object" | "embed" | "base" | "math"
                ) {
                    problem(format!("an element <{name}> the theme never writes"));
                }
                if name == "script" {
                    if attr("src").is_some() {
                        script = None;
                    } else {
                        script = Some((attr("type").unwrap_or_default(), String::new()));
                    }
                }
            }
            Token::String(text) => {
                let text = String::from_utf8_lossy(&text.value);
                match &mut script {
                    Some((_, body)) => body.push_str(&text),
                    None => {
                        corpus.push_str(&text);
                        corpus.push('\n');
                    }
                }
            }
            Token::EndTag(tag) if tag.name.eq_ignore_ascii_case(b"script") => {
                if let Some((kind, body)) = script.take() {
                    if kind == "application/json" {
                        // Data, if it is all one JSON value; a payload that closed the
                        // element early leaves a fragment behind.
                        match serde_json::from_str::<serde_json::Value>(&body) {
                            Ok(value) => json_strings(&value, &mut corpus),
                            Err(e) => problem(format!(
                                "a JSON script that does not parse ({e}): {body:.200}"
                            )),
                        }
                    } else {
                        problem(format!("an inline script: {body:.200}"));
                    }
                }
            }
            _ => {}
        }
    }
    if let Some((kind, body)) = script {
        problem(format!("an unclosed <script type={kind:?}>: {body:.200}"));
    }
    found.corpus.push_str(&corpus);
}

fn json_strings(value: &serde_json::Value, into: &mut String) {
    match value {
        serde_json::Value::String(s) => {
            into.push_str(s);
            into.push('\n');
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_strings(v, into)),
        serde_json::Value::Object(map) => map.values().for_each(|v| json_strings(v, into)),
        _ => {}
    }
}

/// Checks a feed or sitemap: well-formed XML (quick-xml checks nesting, names and entities),
/// no element that is not the format's, and the HTML it carries (an RSS item's `description`
/// and `content:encoded`, Atom `content`/`summary` of type html) checked as HTML.
fn check_xml(file: &str, xml: &str, found: &mut Findings) {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<(String, bool)> = Vec::new(); // (name, holds HTML)
    let mut roots = 0;
    let mut text = String::new();
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                found.problems.push(format!(
                    "{file}: not well-formed at byte {}: {e}",
                    reader.error_position()
                ));
                return;
            }
        };
        match event {
            Event::Start(tag) => {
                let parent = stack.last().map(|(name, _)| name.as_str());
                let opened = open_tag(file, &tag, parent, reader.decoder(), found);
                roots += usize::from(stack.is_empty());
                stack.push(opened);
                text.clear();
            }
            Event::Empty(tag) => {
                open_tag(file, &tag, None, reader.decoder(), found);
                roots += usize::from(stack.is_empty());
            }
            // Entity and character references arrive apart, as `GeneralRef`.
            Event::Text(t) => match t.decode() {
                Ok(t) => text.push_str(&t),
                Err(e) => found.problems.push(format!("{file}: bad text: {e}")),
            },
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => text.push(c),
                _ => match quick_xml::escape::resolve_xml_entity(&String::from_utf8_lossy(
                    r.as_ref(),
                )) {
                    Some(s) => text.push_str(s),
                    None => found.problems.push(format!(
                        "{file}: an undefined entity &{};",
                        String::from_utf8_lossy(r.as_ref())
                    )),
                },
            },
            Event::CData(c) => text.push_str(&String::from_utf8_lossy(&c)),
            Event::End(_) => {
                if let Some((name, holds_html)) = stack.pop() {
                    if holds_html {
                        check_html(&format!("{file} <{name}>"), &text, found);
                    } else {
                        found.corpus.push_str(&text);
                        found.corpus.push('\n');
                    }
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if roots != 1 || !stack.is_empty() {
        found.problems.push(format!(
            "{file}: {roots} root elements, {} left open",
            stack.len()
        ));
    }
}

/// Checks a start (or empty) tag; returns its name and whether its text is HTML.
fn open_tag(
    file: &str,
    tag: &quick_xml::events::BytesStart<'_>,
    parent: Option<&str>,
    decoder: quick_xml::Decoder,
    found: &mut Findings,
) -> (String, bool) {
    let name = String::from_utf8_lossy(tag.name().as_ref()).into_owned();
    let local = name.rsplit(':').next().unwrap_or(&name).to_string();
    if matches!(local.as_str(), "script" | "img" | "svg" | "iframe") {
        found
            .problems
            .push(format!("{file}: an element <{name}> in XML"));
    }
    let mut html_type = false;
    for attr in tag.attributes() {
        match attr {
            Ok(attr) => match attr
                .decoded_and_normalized_value(quick_xml::XmlVersion::Implicit1_0, decoder)
            {
                Ok(v) => {
                    if attr.key.as_ref() == b"type" && v == "html" {
                        html_type = true;
                    }
                    found.corpus.push_str(&v);
                    found.corpus.push('\n');
                }
                Err(e) => found
                    .problems
                    .push(format!("{file}: <{name}> attribute not decodable: {e}")),
            },
            Err(e) => found
                .problems
                .push(format!("{file}: <{name}> attributes malformed: {e}")),
        }
    }
    let holds_html = match local.as_str() {
        // An item's description is HTML; the channel's is "a phrase or sentence" (text).
        "description" => parent == Some("item"),
        "encoded" => true,
        "content" | "summary" => html_type,
        _ => false,
    };
    (name, holds_html)
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Builds the hostile site and reads every output file.
fn read_built(site: &Path) -> (Findings, BTreeSet<String>) {
    let (output, built) = support::try_build(site, &[]);
    assert!(output.success(), "the hostile site must build:\n{output}");
    let out = &built.out;
    let mut files = Vec::new();
    walk(out, &mut files);
    let mut found = Findings::default();
    let mut names = BTreeSet::new();
    for path in files {
        let rel = path
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        match path.extension().and_then(|e| e.to_str()) {
            Some("html") => check_html(&rel, &support::read(&path), &mut found),
            Some("xml") => check_xml(&rel, &support::read(&path), &mut found),
            _ => {}
        }
        names.insert(rel);
    }
    (found, names)
}

#[test]
fn payloads_in_every_field_stay_text() {
    let site = hostile_site();
    let (found, files) = read_built(site.path());
    assert!(
        files.contains("worksheets/hostile/result/a/index.html"),
        "{files:?}"
    );
    for feed in ["rss.xml", "atom.xml", "sitemap.xml", "series/index.html"] {
        assert!(files.contains(feed), "{feed} missing: {files:?}");
    }
    assert!(
        found.problems.is_empty(),
        "{} problems:\n{}",
        found.problems.len(),
        found.problems.join("\n")
    );
    // Every shown field arrived, as text: its marker is in the decoded text somewhere.
    let missing: Vec<&&str> = SHOWN
        .iter()
        .filter(|f| !found.corpus.contains(&format!("alert({})", marker(f))))
        .collect();
    assert!(
        missing.is_empty(),
        "payloads not found as text: {missing:?}"
    );
    // Plain-text fields arrive whole: escaped, not stripped or mangled (titles and
    // descriptions get curly quotes, like the body: compared with straight ones).
    let straight = found
        .corpus
        .replace(['‘', '’'], "'")
        .replace(['“', '”'], "\"");
    for field in ["configtitle", "pagetitle", "pagedescription", "authorname"] {
        assert!(
            straight.contains(&payload(field)),
            "{field}: the payload is not shown as it was written"
        );
    }
}

/// The checks themselves catch each kind of breakout (so a clean site is not a blind test).
#[test]
fn the_checks_catch_breakouts() {
    let cases = [
        (
            "<title>x</title><script>alert(1)</script>",
            "an inline script",
        ),
        ("<p title=\"\" onmouseover=\"alert(1)\">", "event handler"),
        ("<p title='' ><img src=x onerror=alert(1)>", "event handler"),
        ("<a href=\" JavaScript:alert(1)\">x</a>", "runs script"),
        (
            "<script type=\"application/json\">{\"a\":\"</script><script>alert(1)</script>\"}</script>",
            "does not parse",
        ),
        (
            "<meta http-equiv=\"refresh\" content=\"0; url=javascript:alert(1)\">",
            "refresh",
        ),
        ("<p><svg><circle/></svg></p>", "never writes"),
    ];
    for (html, expected) in cases {
        let mut found = Findings::default();
        check_html("case", html, &mut found);
        assert!(
            found.problems.iter().any(|p| p.contains(expected)),
            "{html}: {:?}",
            found.problems
        );
    }
    for (xml, expected) in [
        (
            "<rss><title>a</title><script>x</script></rss>",
            "element <script>",
        ),
        ("<rss><title>a<b></title></rss>", "not well-formed"),
        ("<rss><title>&nope;</title></rss>", "entity"),
        (
            "<rss><item><description>&lt;script&gt;alert(1)&lt;/script&gt;</description></item></rss>",
            "inline script",
        ),
        ("<rss/><rss/>", "root elements"),
    ] {
        let mut found = Findings::default();
        check_xml("case", xml, &mut found);
        assert!(
            found.problems.iter().any(|p| p.contains(expected)),
            "{xml}: {:?}",
            found.problems
        );
    }
}

/// Fields that take only a path or a link refuse markup and script URLs with a located
/// error, and nothing is written: aliases (site paths), and `author.url`, which the footer of
/// every page puts into an `href` (a `javascript:` one used to go there as it was).
#[test]
fn paths_and_links_with_markup_are_refused() {
    let config = "title: T\nbase_url: https://example.org/\n";
    let page = |aliases: &str| format!("---\ntitle: A\naliases: [{aliases}]\n---\nA.\n");
    let cases = [
        (
            config.to_string(),
            page(&y(&payload("alias"))),
            "invalid alias",
            "content/a.md:3",
        ),
        (
            config.to_string(),
            page(&y("javascript:alert(1)")),
            "invalid alias",
            "content/a.md:3",
        ),
        (
            format!(
                "{config}author: {{ name: A, url: {} }}\n",
                y("javascript:alert(1)")
            ),
            page("/old/"),
            "author.url",
            "config.yaml:3:20",
        ),
        (
            format!(
                "{config}author:\n  name: A\n  url: {}\n",
                y(" JavaScript:alert(1)")
            ),
            page("/old/"),
            "author.url",
            "config.yaml:5:3",
        ),
    ];
    for (config, page, error, at) in cases {
        let site = tempfile::tempdir().unwrap();
        support::write(site.path().join("config.yaml"), &config);
        support::write(site.path().join("content/a.md"), &page);
        let (output, built) = support::try_build(site.path(), &[]);
        let stderr = &output.stderr;
        assert_eq!(output.code, Some(1), "{config}{page}: {stderr}");
        assert!(stderr.contains(error), "{stderr}");
        assert!(stderr.contains(at), "{at}: {stderr}");
        assert!(!built.out.exists());
    }
}
