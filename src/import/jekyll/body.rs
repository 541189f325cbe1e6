//! Liquid in Jekyll bodies: `{% link %}` and `{% post_url %}` become relative `.md` links,
//! `{{ site.baseurl }}`/`{{ site.url }}` before a link are dropped (links become
//! site-relative, which the generic pass then resolves), `relative_url` filters are undone,
//! `{% highlight %}` becomes a fenced block, `{% raw %}` its text; any other tag is made
//! inert and reported.

use std::ops::Range;

use super::super::links::{Linker, apply};
use super::super::model::Site;
use super::super::shortcodes::{self, Found};

/// Registers every document under the names `{% link %}` (its source path) and
/// `{% post_url %}` (`[dir/]YYYY-MM-DD-slug`) use.
pub(crate) fn keys(site: &Site, linker: &mut Linker) {
    for (i, doc) in site.docs.iter().enumerate() {
        let Some(rel) = doc.source.to_str() else {
            continue;
        };
        let rel = rel.replace('\\', "/");
        linker.add_key(format!("link:{rel}"), i);
        if let Some((_, inside)) = rel.split_once("_posts/") {
            let bare = inside.rsplit_once('.').map_or(inside, |(b, _)| b);
            linker.add_key(format!("post:{bare}"), i);
            let prefix = rel.split("_posts/").next().unwrap_or("");
            let name = bare.rsplit('/').next().unwrap_or(bare);
            linker.add_key(format!("post:{prefix}{name}"), i);
            linker.add_key(format!("post:{name}"), i);
        }
    }
}

/// Rewrites every body of `site`.
pub(crate) fn convert(site: &mut Site, linker: &Linker) {
    for i in 0..site.docs.len() {
        convert_doc(site, linker, i);
    }
}

/// Block tags whose end tag is `end<name>`.
const BLOCKS: &[&str] = &[
    "if",
    "unless",
    "for",
    "case",
    "capture",
    "comment",
    "tablerow",
    "highlight",
    "raw",
];

fn convert_doc(site: &mut Site, linker: &Linker, i: usize) {
    let body = site.docs[i].body.clone();
    // `{% raw %}…{% endraw %}` first, by plain text as Liquid reads it: its markers may sit
    // inside a code fence (jekyllrb.com's tutorials), and nothing between them is Liquid.
    let raws = raw_blocks(&body);
    let in_raw = |at: usize| {
        raws.iter()
            .any(|(open, close)| open.start <= at && at < close.end)
    };
    let mut tags: Vec<Found> = shortcodes::find(&body, "{%", "%}");
    tags.extend(shortcodes::find(&body, "{{", "}}"));
    tags.retain(|t| !in_raw(t.range.start));
    tags.sort_by_key(|t| t.range.start);
    let mut edits: Vec<(Range<usize>, String)> = raws
        .iter()
        .flat_map(|(open, close)| {
            [
                (open.clone(), String::new()),
                (close.clone(), String::new()),
            ]
        })
        .collect();
    let mut k = 0;
    while k < tags.len() {
        let tag = tags[k].clone();
        k += 1;
        let is_output = body[tag.range.clone()].starts_with("{{");
        let inner = tag.inner.as_str();
        if is_output {
            if inner == "site.baseurl" || inner == "site.url" {
                let next = &body[tag.range.end..];
                if next.starts_with('/') || next.starts_with("{%") || next.starts_with("{{") {
                    edits.push((tag.range.clone(), String::new()));
                    continue;
                }
            }
            if let Some(path) = relative_url(inner) {
                edits.push((tag.range.clone(), path));
                continue;
            }
            inert(
                site,
                i,
                &body,
                &tag,
                tag.range.clone(),
                &mut edits,
                "Liquid output",
            );
            continue;
        }
        let name = shortcodes::name(inner).to_string();
        let arg = inner[name.len()..].trim().to_string();
        match name.as_str() {
            "link" | "post_url" => {
                let key = if name == "link" {
                    format!("link:{}", arg.trim_start_matches('/'))
                } else {
                    format!("post:{arg}")
                };
                let fragment_at = tag.range.end;
                let fragment = body[fragment_at..].strip_prefix('#').map(|f| {
                    f.split(|c: char| c == ')' || c.is_whitespace() || c == '"')
                        .next()
                        .unwrap_or("")
                });
                match linker.by_key(&key) {
                    Some(to) => {
                        site.rewrote(if name == "link" { "link" } else { "post_url" });
                        let link = linker.link(i, to, fragment);
                        let end = fragment.map_or(tag.range.end, |f| fragment_at + 1 + f.len());
                        edits.push((tag.range.start..end, link));
                    }
                    None => inert(
                        site,
                        i,
                        &body,
                        &tag,
                        tag.range.clone(),
                        &mut edits,
                        "a link to a missing file",
                    ),
                }
            }
            _ if BLOCKS.contains(&name.as_str()) => {
                let end_name = format!("end{name}");
                let end = tags[k..]
                    .iter()
                    .position(|t| t.inner == end_name)
                    .map(|p| k + p);
                let Some(end) = end else {
                    inert(
                        site,
                        i,
                        &body,
                        &tag,
                        tag.range.clone(),
                        &mut edits,
                        "Liquid tag",
                    );
                    continue;
                };
                let inside = &body[tag.range.end..tags[end].range.start];
                let whole = tag.range.start..tags[end].range.end;
                match name.as_str() {
                    "highlight" => {
                        let lang = arg.split_whitespace().next().unwrap_or("");
                        let code = inside.trim_matches('\n');
                        edits.push((whole, format!("```{lang}\n{code}\n```")));
                    }
                    "comment" => edits.push((whole, String::new())),
                    _ => inert(site, i, &body, &tag, whole, &mut edits, "Liquid block"),
                }
                k = end + 1;
            }
            _ => inert(
                site,
                i,
                &body,
                &tag,
                tag.range.clone(),
                &mut edits,
                "Liquid tag",
            ),
        }
    }
    if !edits.is_empty() {
        site.docs[i].body = apply(&body, edits);
    }
}

/// The `{% raw %}` and `{% endraw %}` tags of `body`, paired in order, wherever they are
/// (code included): Liquid reads them before anything else.
fn raw_blocks(body: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let tag_at = |from: usize, name: &str| -> Option<Range<usize>> {
        let mut pos = from;
        while let Some(at) = body[pos..].find("{%") {
            let start = pos + at;
            let len = body[start..].find("%}")?;
            let end = start + len + 2;
            let inner = body[start + 2..end - 2].trim_matches('-').trim();
            if inner == name {
                return Some(start..end);
            }
            pos = start + 2;
        }
        None
    };
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(open) = tag_at(pos, "raw") {
        let Some(close) = tag_at(open.end, "endraw") else {
            break;
        };
        pos = close.end;
        out.push((open, close));
    }
    out
}

/// `"/about/" | relative_url` (or `absolute_url`): the path itself.
fn relative_url(inner: &str) -> Option<String> {
    let (value, filter) = inner.split_once('|')?;
    let filter = filter.trim();
    if filter != "relative_url" && filter != "absolute_url" {
        return None;
    }
    let value = value.trim();
    let path = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))?;
    Some(if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    })
}

fn inert(
    site: &mut Site,
    i: usize,
    body: &str,
    tag: &Found,
    range: std::ops::Range<usize>,
    edits: &mut Vec<(std::ops::Range<usize>, String)>,
    what: &str,
) {
    let mut name = shortcodes::name(&tag.inner).to_string();
    let doc = site.docs[i].clone();
    let mut hint = shortcodes::hint(&name);
    // `{% include youtube.html id="x" %}`: the file is what a person looks for, and its
    // name may say what sheaf has instead.
    if name == "include"
        && let Some(file) = tag.inner.split_whitespace().nth(1)
    {
        if shortcodes::hint(file) != shortcodes::hint("\u{0}") {
            hint = shortcodes::hint(file);
        }
        name = format!("include {file}");
    }
    shortcodes::report(
        site,
        &doc,
        tag.range.start,
        &format!("{what} `{name}`"),
        hint,
    );
    edits.push((range.clone(), shortcodes::inert(body, &range)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ids::IdRule;
    use crate::import::model::Doc;

    /// Regression (jekyllrb.com's csv-to-table tutorial): `{% endraw %}` inside a code fence
    /// closed a `{% raw %}` outside it, and the unpaired `{% raw %}` was left in the page.
    #[test]
    fn raw_pairs_are_read_as_plain_text_even_across_a_fence() {
        let body = "{% raw %}\n```liquid\n{{ site.data | jsonify }}\n{% endraw %}\n```\n\nAfter {% raw %}{% if %}{% endraw %}.\n";
        let raws = raw_blocks(body);
        assert_eq!(raws.len(), 2);
        let mut text = body.to_string();
        for (open, close) in raws.into_iter().rev() {
            text.replace_range(close, "");
            text.replace_range(open, "");
        }
        assert_eq!(
            text,
            "\n```liquid\n{{ site.data | jsonify }}\n\n```\n\nAfter {% if %}.\n"
        );
    }

    #[test]
    fn liquid_links_and_tags() {
        let mut site = Site::default();
        let mut a = Doc::new(
            "about.md".into(),
            "about.md".into(),
            "[p]({% post_url 2020-05-01-x %}#whats-next) [q]({{ site.baseurl }}{% post_url 2020-05-01-x %}) [l]({% link _posts/2020-05-01-x.md %}) [r]({{ \"/about.html\" | relative_url }}) [s]({{ site.baseurl }}/2020/05/01/x.html)\n\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n\n{% raw %}{{ keep }}{% endraw %}\n\n{% include note.html %}\n".into(),
            4,
        );
        a.old_url = Some("/about.html".into());
        let mut x = Doc::new(
            "_posts/2020-05-01-x.md".into(),
            "posts/x.md".into(),
            "## What's next?\n".into(),
            1,
        );
        x.old_url = Some("/2020/05/01/x.html".into());
        site.docs = vec![a, x];
        let mut linker = Linker::new(&site, IdRule::KramdownGfm, "https://me.github.io/blog");
        keys(&site, &mut linker);
        convert(&mut site, &linker);
        super::super::super::links::rewrite_site_links(&mut site, &linker);
        let body = &site.docs[0].body;
        assert!(body.contains("[p](posts/x.md#whats-next)"), "{body}");
        assert!(body.contains("[q](posts/x.md)"), "{body}");
        assert!(body.contains("[l](posts/x.md)"), "{body}");
        assert!(body.contains("[r](about.md)"), "{body}");
        assert!(body.contains("[s](posts/x.md)"), "{body}");
        assert!(body.contains("```ruby\nputs 1\n```"), "{body}");
        assert!(body.contains("\n{{ keep }}\n"), "{body}");
        assert!(
            body.contains("```text\n{% include note.html %}\n```"),
            "{body}"
        );
        assert_eq!(site.notes.len(), 1, "{:?}", site.notes);
    }
}
