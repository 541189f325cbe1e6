//! Internal links: every link to a page of the same site becomes a relative `.md` link
//! (which sheaf checks and resolves whatever URL the page ends up with), and every
//! `#fragment` the id sheaf gives the heading it named.

use std::cell::{Cell, OnceCell};
use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use super::fragments::{Alternates, is_raw_anchor};
use super::ids::{IdRule, fragment_map};
use super::model::Site;
use super::urls::{clean, relative};

/// What links can point at: the documents by old URL and by the keys a dialect's own
/// references use, and each document's old-to-new heading ids.
pub(crate) struct Linker {
    by_url: HashMap<String, usize>,
    by_key: HashMap<String, usize>,
    dests: Vec<String>,
    dirs: Vec<String>,
    fragments: Vec<HashMap<String, String>>,
    /// Each page's body as the source had it, and the other id rules' maps, made when a
    /// fragment first needs them.
    bodies: Vec<String>,
    alternates: Vec<OnceCell<Alternates>>,
    rule: IdRule,
    /// Fragments mapped by another id rule than the source's.
    pub(crate) by_other_rule: Cell<usize>,
    /// The old site's base path (`/blog/` of `https://x.org/blog/`), stripped from links.
    base_path: String,
    /// The old site's own address, for absolute links to it (`https://x.org/blog`).
    base_url: String,
}

impl Linker {
    /// Indexes `site`'s documents; `rule` is the source tool's heading-id rule.
    pub(crate) fn new(site: &Site, rule: IdRule, base_url: &str) -> Linker {
        let mut by_url = HashMap::new();
        for (i, doc) in site.docs.iter().enumerate() {
            for url in doc.old_url.iter().chain(&doc.old_aliases) {
                by_url.entry(clean(url)).or_insert(i);
            }
            by_url
                .entry(super::urls::sheaf_path(&doc.dest))
                .or_insert(i);
        }
        let base_url = base_url.trim_end_matches('/').to_string();
        let base_path = url::Url::parse(&base_url)
            .map(|u| u.path().trim_end_matches('/').to_string())
            .unwrap_or_default();
        Linker {
            by_url,
            by_key: HashMap::new(),
            dests: site.docs.iter().map(|d| d.dest.clone()).collect(),
            dirs: site.docs.iter().map(|d| d.dest_dir().to_string()).collect(),
            fragments: site
                .docs
                .iter()
                .map(|d| fragment_map(rule, &d.body, &d.body))
                .collect(),
            bodies: site.docs.iter().map(|d| d.body.clone()).collect(),
            alternates: site.docs.iter().map(|_| OnceCell::new()).collect(),
            rule,
            by_other_rule: Cell::new(0),
            base_path,
            base_url,
        }
    }

    /// Names document `doc` by a dialect's reference key (`blog/post.md`, `2020-05-01-x`).
    pub(crate) fn add_key(&mut self, key: impl Into<String>, doc: usize) {
        self.by_key.entry(key.into()).or_insert(doc);
    }

    /// The document a dialect's reference key names.
    pub(crate) fn by_key(&self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied()
    }

    /// The relative link from document `from` to `to`, with `fragment` mapped to sheaf's id.
    pub(crate) fn link(&self, from: usize, to: usize, fragment: Option<&str>) -> String {
        let mut out = if from == to && fragment.is_some_and(|f| !f.is_empty()) {
            String::new()
        } else {
            relative(&self.dirs[from], &self.dests[to])
        };
        if let Some(f) = fragment.filter(|f| !f.is_empty()) {
            out.push('#');
            out.push_str(&self.fragment(to, f));
        }
        out
    }

    /// The id sheaf gives the heading that had id `old` on document `doc`: by the source's
    /// rule, else by another rule when exactly one heading fits (counted), else `old`.
    pub(crate) fn fragment(&self, doc: usize, old: &str) -> String {
        if let Some(new) = self.fragments[doc].get(old) {
            return new.clone();
        }
        if self.fragments[doc].values().any(|v| v == old) || is_raw_anchor(&self.bodies[doc], old) {
            return old.to_string();
        }
        let alternates =
            self.alternates[doc].get_or_init(|| Alternates::of(&self.bodies[doc], self.rule));
        match alternates.find(old, &self.fragments[doc]) {
            Some(new) => {
                self.by_other_rule.set(self.by_other_rule.get() + 1);
                new
            }
            None => old.to_string(),
        }
    }

    /// The document an old URL (root-absolute, or absolute on the old site) names, with its
    /// fragment.
    pub(crate) fn by_url<'a>(&self, url: &'a str) -> Option<(usize, Option<&'a str>)> {
        let rest = if let Some(rest) = url.strip_prefix(&self.base_url) {
            if !self.base_url.is_empty() && (rest.is_empty() || rest.starts_with(['/', '#'])) {
                rest
            } else {
                return None;
            }
        } else if url.starts_with('/') && !url.starts_with("//") {
            url.strip_prefix(self.base_path.as_str())
                .filter(|r| !self.base_path.is_empty() && (r.is_empty() || r.starts_with('/')))
                .unwrap_or(url)
        } else {
            return None;
        };
        let (path, fragment) = match rest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (rest, None),
        };
        let path = clean(path);
        let mut candidates = vec![path.clone()];
        if !path.ends_with('/') {
            candidates.push(format!("{path}/"));
            candidates.push(format!("{path}.html"));
        }
        if let Some(dir) = path.strip_suffix("index.html") {
            candidates.push(dir.to_string());
        }
        candidates
            .iter()
            .find_map(|c| self.by_url.get(c))
            .map(|&i| (i, fragment))
    }
}

/// The byte ranges of code (blocks and spans) in a Markdown body: text there is shown as
/// written, so nothing in it is rewritten.
pub(crate) fn code_ranges(body: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut block: Option<usize> = None;
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => block = Some(range.start),
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
                out.push(block.take().unwrap_or(range.start)..range.end);
            }
            Event::Code(_) => out.push(range),
            _ => {}
        }
    }
    out
}

/// Whether `at` is inside one of `ranges`.
pub(crate) fn in_code(ranges: &[Range<usize>], at: usize) -> bool {
    ranges.iter().any(|r| r.contains(&at))
}

/// Applies non-overlapping edits (range, replacement) to `text`.
pub(crate) fn apply(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (range, replacement) in edits {
        if range.start < pos || range.end > text.len() {
            continue;
        }
        out.push_str(&text[pos..range.start]);
        out.push_str(&replacement);
        pos = range.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Rewrites the destination of every Markdown link, picture and reference definition
/// of `body` for which `rewrite` gives a new one.
pub(crate) fn rewrite_destinations(
    body: &str,
    mut rewrite: impl FnMut(&str) -> Option<String>,
) -> String {
    let mut edits = Vec::new();
    let parser = Parser::new_ext(body, crate::markdown::options());
    let mut spans: Vec<(Range<usize>, String)> = Vec::new();
    let mut iter = parser.into_offset_iter();
    for (event, range) in iter.by_ref() {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            spans.push((range, dest_url.to_string()));
        }
    }
    for (label_range, def) in iter
        .reference_definitions()
        .iter()
        .map(|(_, d)| (d.span.clone(), d))
    {
        spans.push((label_range, def.dest.to_string()));
    }
    for (range, dest) in spans {
        if dest.is_empty() {
            continue;
        }
        let Some(new) = rewrite(&dest) else { continue };
        let text = &body[range.clone()];
        // The destination is the last place its text is written in the link's source.
        if let Some(at) = text.rfind(dest.as_str()) {
            let start = range.start + at;
            edits.push((start..start + dest.len(), new));
        }
    }
    apply(body, edits)
}

/// The generic pass every dialect ends with: root-absolute and absolute links to pages of
/// the old site, and same-page fragments, rewritten.
pub(crate) fn rewrite_site_links(site: &mut Site, linker: &Linker) {
    let mut counts: Vec<&'static str> = Vec::new();
    for (i, doc) in site.docs.iter_mut().enumerate() {
        let raw = super::raw_links::edits(&doc.body, |value| {
            let (to, fragment) = linker.by_url(value)?;
            counts.push("raw HTML");
            Some(linker.link(i, to, fragment)).filter(|l| !l.is_empty())
        });
        if !raw.is_empty() {
            doc.body = apply(&doc.body, raw);
        }
        let anchors = super::raw_links::name_anchors(&doc.body);
        if !anchors.is_empty() {
            counts.extend(anchors.iter().map(|_| "<a name> to <a id>"));
            doc.body = apply(&doc.body, anchors);
        }
        doc.body = rewrite_destinations(&doc.body, |dest| {
            if let Some(fragment) = dest.strip_prefix('#') {
                let new = linker.fragment(i, fragment);
                return (new != fragment).then(|| {
                    counts.push("fragment");
                    format!("#{new}")
                });
            }
            let (to, fragment) = linker.by_url(dest)?;
            counts.push("URL");
            Some(linker.link(i, to, fragment)).filter(|l| !l.is_empty())
        });
    }
    for kind in counts {
        site.rewrote(kind);
    }
    let other = linker.by_other_rule.get();
    if other > 0 {
        site.links_rewritten
            .insert("fragment, by another id rule", other);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::model::Doc;

    fn site() -> Site {
        let mut site = Site::default();
        let mut a = Doc::new("a".into(), "blog/a.md".into(), "# What's next\n".into(), 1);
        a.old_url = Some("/2020/05/01/a.html".into());
        let mut b = Doc::new(
            "b".into(),
            "about.md".into(),
            "[x](/2020/05/01/a.html#what-s-next) [y](#c-tips) [z](https://old.example/blog/about/)\n\n[r]: /blog/2020/05/01/a.html\n\n## C++ tips\n`[q](/2020/05/01/a.html)` <a href=\"/blog/2020/05/01/a.html\">a</a>\n".into(),
            1,
        );
        b.old_url = Some("/about/".into());
        site.docs = vec![a, b];
        site
    }

    #[test]
    fn root_absolute_and_fragment_links_become_md_links() {
        let mut site = site();
        let linker = Linker::new(&site, IdRule::Zola, "https://old.example/blog/");
        rewrite_site_links(&mut site, &linker);
        let body = &site.docs[1].body;
        assert!(body.contains("[x](blog/a.md#whats-next)"), "{body}");
        assert!(body.contains("[y](#c-plus-plus-tips)"), "{body}");
        assert!(body.contains("[z](about.md)"), "{body}");
        assert!(body.contains("[r]: blog/a.md"), "{body}");
        assert!(body.contains("`[q](/2020/05/01/a.html)`"), "{body}");
        assert!(body.contains("<a href=\"blog/a.md\">a</a>"), "{body}");
    }

    #[test]
    fn code_is_left_alone() {
        let body = "a `{{< x >}}` b\n\n```\n{{< y >}}\n```\n";
        let ranges = code_ranges(body);
        assert!(in_code(&ranges, body.find("{{< x").unwrap()));
        assert!(in_code(&ranges, body.find("{{< y").unwrap()));
        assert!(!in_code(&ranges, 0));
    }
}
