//! Zola bodies: `@/` links resolved, shortcodes kept when sheaf has the same component
//! with the same parameters, else made inert and reported.

use super::super::links::{Linker, apply, rewrite_destinations};
use super::super::model::Site;
use super::super::shortcodes::{self, Found};

/// sheaf's own components and the parameters each declares
/// (`themes/default/templates/components/`): a Zola shortcode call with this name and only
/// these parameters works unchanged.
const SHEAF_COMPONENTS: &[(&str, &[&str])] = &[
    ("figure", &["src", "alt", "caption", "credit", "link"]),
    ("aside", &["title", "body"]),
];

/// Registers every document under the key `@/` links use (its path under content/).
pub(crate) fn keys(site: &Site, linker: &mut Linker) {
    for (i, doc) in site.docs.iter().enumerate() {
        if let Ok(rel) = doc.source.strip_prefix("content")
            && let Some(rel) = rel.to_str()
        {
            linker.add_key(rel.replace('\\', "/"), i);
        }
    }
}

/// Rewrites every body of `site`.
pub(crate) fn convert(site: &mut Site, linker: &Linker) {
    for i in 0..site.docs.len() {
        let mut missing = Vec::new();
        let mut rewritten = 0;
        let body = rewrite_destinations(&site.docs[i].body, |dest| {
            let rest = dest.strip_prefix("@/")?;
            let (path, fragment) = match rest.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (rest, None),
            };
            let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
            match linker.by_key(&path) {
                Some(to) => {
                    rewritten += 1;
                    Some(linker.link(i, to, fragment))
                }
                None => {
                    missing.push(dest.to_string());
                    None
                }
            }
        });
        site.docs[i].body = body;
        for _ in 0..rewritten {
            site.rewrote("@/");
        }
        for dest in missing {
            let at = site.docs[i].source.display().to_string();
            site.note(
                at,
                format!("`{dest}` names no page of the site; left as it is"),
            );
        }
        shortcodes_of(site, i);
    }
}

/// Shortcodes of document `i`: `{{ name(…) }}` and `{% name(…) %}…{% end %}`.
fn shortcodes_of(site: &mut Site, i: usize) {
    let body = site.docs[i].body.clone();
    let mut edits = Vec::new();
    let inline = shortcodes::find(&body, "{{", "}}");
    for found in inline.iter().filter(|f| is_call(&f.inner)) {
        if !works_in_sheaf(&found.inner) {
            make_inert(site, i, &body, found, found.range.clone(), &mut edits);
        }
    }
    let tags = shortcodes::find(&body, "{%", "%}");
    let mut k = 0;
    while k < tags.len() {
        let open = &tags[k];
        k += 1;
        if !is_call(&open.inner) {
            continue;
        }
        let Some(end) = tags[k..].iter().position(|t| t.inner == "end") else {
            continue;
        };
        let close = &tags[k + end];
        k += end + 1;
        if !works_in_sheaf(&open.inner) {
            let range = open.range.start..close.range.end;
            make_inert(site, i, &body, open, range, &mut edits);
        }
    }
    if !edits.is_empty() {
        site.docs[i].body = apply(&body, edits);
    }
}

fn make_inert(
    site: &mut Site,
    i: usize,
    body: &str,
    found: &Found,
    range: std::ops::Range<usize>,
    edits: &mut Vec<(std::ops::Range<usize>, String)>,
) {
    let name = shortcodes::name(&found.inner).to_string();
    let doc = site.docs[i].clone();
    shortcodes::report(
        site,
        &doc,
        found.range.start,
        &format!("shortcode `{name}`"),
        shortcodes::hint(&name),
    );
    edits.push((range.clone(), shortcodes::inert(body, &range)));
}

/// `name(…)`: a shortcode call (not a Tera expression like `{{ page.title }}`, which Zola
/// does not expand in Markdown either).
fn is_call(inner: &str) -> bool {
    let name = shortcodes::name(inner);
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && inner[name.len()..].trim_start().starts_with('(')
        && inner.trim_end().ends_with(')')
}

/// Whether sheaf has a component of this name taking every parameter the call passes.
fn works_in_sheaf(inner: &str) -> bool {
    let name = shortcodes::name(inner);
    let Some((_, params)) = SHEAF_COMPONENTS.iter().find(|(n, _)| *n == name) else {
        return false;
    };
    argument_names(inner)
        .iter()
        .all(|a| params.contains(&a.as_str()))
}

/// The names of `name(a="x", b=1)`'s arguments (outside quoted strings).
fn argument_names(inner: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    for c in inner.chars().skip_while(|c| *c != '(').skip(1) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' || c == '`' => {
                quote = Some(c);
                word.clear();
            }
            None if c.is_ascii_alphanumeric() || c == '_' => word.push(c),
            None if c == '=' => names.push(std::mem::take(&mut word)),
            None if c.is_whitespace() => {}
            None => word.clear(),
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ids::IdRule;
    use crate::import::model::Doc;

    #[test]
    fn calls_and_arguments() {
        assert!(is_call("youtube(id=\"x\")"));
        assert!(!is_call("page.title"));
        assert_eq!(
            argument_names("figure(src=\"a=b\", alt='x')"),
            ["src", "alt"]
        );
        assert!(works_in_sheaf("figure(src=\"a.jpg\", alt=\"A\")"));
        assert!(!works_in_sheaf("figure(src=\"a.jpg\", width=3)"));
    }

    #[test]
    fn at_links_and_inert_shortcodes() {
        let mut site = Site::default();
        site.docs.push(Doc::new(
            "content/blog/a.md".into(),
            "blog/a.md".into(),
            "See [b](@/blog/b.md#what-s-next) and [c](@/nope.md).\n\n{{ youtube(id=\"x\") }}\n\n{% note(kind=\"x\") %}\nhi\n{% end %}\n\n{{ figure(src=\"a.jpg\", alt=\"A\") }}\n".into(),
            5,
        ));
        site.docs.push(Doc::new(
            "content/blog/b.md".into(),
            "blog/b.md".into(),
            "## What's next\n".into(),
            1,
        ));
        let mut linker = Linker::new(&site, IdRule::Zola, "https://x.org/");
        keys(&site, &mut linker);
        convert(&mut site, &linker);
        let body = &site.docs[0].body;
        assert!(body.contains("[b](b.md#whats-next)"), "{body}");
        assert!(body.contains("[c](@/nope.md)"), "{body}");
        assert!(
            body.contains("```text\n{{ youtube(id=\"x\") }}\n```"),
            "{body}"
        );
        assert!(
            body.contains("```text\n{% note(kind=\"x\") %}\nhi\n{% end %}\n```"),
            "{body}"
        );
        assert!(
            body.contains("\n{{ figure(src=\"a.jpg\", alt=\"A\") }}\n"),
            "{body}"
        );
        let notes: Vec<_> = site.notes.iter().map(|n| n.at.as_str()).collect();
        assert!(notes.contains(&"content/blog/a.md:7:1"), "{notes:?}");
    }
}
