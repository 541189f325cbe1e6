//! Hugo bodies: `ref`/`relref` become relative `.md` links, `highlight` a fenced block,
//! `figure` sheaf's `figure` component; every other shortcode is made inert and reported.

use super::super::links::{Linker, apply};
use super::super::model::Site;
use super::super::shortcodes::{self, Found};

/// Registers every document under the names `ref` accepts: its path under content/
/// (lowercased, with and without `.md`, a bundle by its folder) and its base name.
pub(crate) fn keys(site: &Site, linker: &mut Linker) {
    for (i, doc) in site.docs.iter().enumerate() {
        let Some(rel) = doc
            .source
            .strip_prefix("content")
            .ok()
            .and_then(|p| p.to_str())
        else {
            continue;
        };
        let rel = rel.replace('\\', "/").to_lowercase();
        let bare = rel.trim_end_matches(".md");
        linker.add_key(rel.clone(), i);
        linker.add_key(bare.to_string(), i);
        for bundle in [bare.strip_suffix("/index"), bare.strip_suffix("/_index")]
            .into_iter()
            .flatten()
        {
            linker.add_key(bundle.to_string(), i);
        }
        let base = bare.rsplit('/').next().unwrap_or(bare);
        linker.add_key(format!("base:{base}"), i);
    }
}

/// The document `reference` (as `ref` takes it) names from document `from`.
fn resolve(linker: &Linker, container: &str, reference: &str) -> Option<usize> {
    let reference = reference.to_lowercase();
    let reference = reference.trim_start_matches("./");
    let mut tries = Vec::new();
    if let Some(root) = reference.strip_prefix('/') {
        tries.push(root.to_string());
    } else {
        if !container.is_empty() {
            tries.push(format!("{container}/{reference}"));
        }
        tries.push(reference.to_string());
    }
    for t in &tries {
        let t = t.trim_end_matches('/');
        if let Some(i) = linker
            .by_key(t)
            .or_else(|| linker.by_key(t.trim_end_matches(".md")))
        {
            return Some(i);
        }
    }
    if !reference.contains('/') {
        return linker.by_key(&format!("base:{}", reference.trim_end_matches(".md")));
    }
    None
}

/// The first argument of a shortcode: `"x"`, `x`, or `path="x"`.
fn first_argument(inner: &str) -> Option<String> {
    let rest = inner[shortcodes::name(inner).len()..].trim();
    let rest = rest.strip_prefix("path=").unwrap_or(rest);
    let quoted = rest
        .strip_prefix('"')
        .and_then(|r| r.split_once('"'))
        .or_else(|| rest.strip_prefix('`').and_then(|r| r.split_once('`')))
        .map(|(a, _)| a.to_string());
    quoted.or_else(|| rest.split_whitespace().next().map(str::to_string))
}

/// A named argument `key="value"` of a shortcode.
fn named(inner: &str, key: &str) -> Option<String> {
    let at = inner.find(&format!("{key}="))?;
    if at > 0 && !inner[..at].ends_with(char::is_whitespace) {
        return None;
    }
    let rest = &inner[at + key.len() + 1..];
    match rest.strip_prefix('"') {
        Some(r) => r.split_once('"').map(|(v, _)| v.to_string()),
        None => rest.split_whitespace().next().map(str::to_string),
    }
}

/// Rewrites every body of `site`.
pub(crate) fn convert(site: &mut Site, linker: &Linker) {
    for i in 0..site.docs.len() {
        convert_doc(site, linker, i);
    }
}

fn convert_doc(site: &mut Site, linker: &Linker, i: usize) {
    let body = site.docs[i].body.clone();
    let mut tags: Vec<Found> = shortcodes::find(&body, "{{<", ">}}");
    tags.extend(shortcodes::find(&body, "{{%", "%}}"));
    tags.sort_by_key(|t| t.range.start);
    let container = site.docs[i].dest_dir().to_string();
    let container = if site.docs[i].dest.ends_with("/index.md") {
        super::super::walk::parent(&container).to_string()
    } else {
        container
    };
    let mut edits = Vec::new();
    let mut k = 0;
    while k < tags.len() {
        let tag = tags[k].clone();
        k += 1;
        if tag.inner.starts_with("/*") {
            continue; // `{{</* x */>}}`: Hugo prints the shortcode itself.
        }
        let name = shortcodes::name(&tag.inner).to_string();
        if tag.inner.starts_with('/') {
            continue; // a closing tag whose opening was handled (or unknown)
        }
        let closing = tags[k..]
            .iter()
            .position(|t| t.inner.starts_with('/') && shortcodes::name(&t.inner) == name)
            .map(|p| k + p);
        match name.as_str() {
            "ref" | "relref" => {
                let arg = first_argument(&tag.inner).unwrap_or_default();
                let (path, fragment) = match arg.split_once('#') {
                    Some((p, f)) => (p.to_string(), Some(f.to_string())),
                    None => (arg.clone(), None),
                };
                let to = if path.is_empty() {
                    Some(i)
                } else {
                    resolve(linker, &container, &path)
                };
                match to {
                    Some(to) => {
                        site.rewrote("ref");
                        let link = linker.link(i, to, fragment.as_deref());
                        edits.push((
                            tag.range.clone(),
                            if link.is_empty() { "#".into() } else { link },
                        ));
                    }
                    None => {
                        let doc = site.docs[i].clone();
                        site.note(
                            shortcodes::at(&doc, tag.range.start),
                            format!("`{name} \"{arg}\"` names no page of the site; left as text"),
                        );
                        edits.push((
                            tag.range.clone(),
                            shortcodes::inert_inline(&body[tag.range.clone()]),
                        ));
                    }
                }
            }
            "highlight" if closing.is_some() => {
                let end = closing.unwrap_or(k);
                let lang = first_argument(&tag.inner).unwrap_or_default();
                let code = body[tag.range.end..tags[end].range.start].trim_matches('\n');
                let fence = "`".repeat(3.max(longest_ticks(code) + 1));
                edits.push((
                    tag.range.start..tags[end].range.end,
                    format!("{fence}{lang}\n{code}\n{fence}"),
                ));
                k = end + 1;
            }
            "figure" if named(&tag.inner, "src").is_some() => {
                edits.push((tag.range.clone(), figure(site, i, &tag)));
            }
            _ => {
                let range = match closing {
                    Some(end) => {
                        k = end + 1;
                        tag.range.start..tags[end].range.end
                    }
                    None => tag.range.clone(),
                };
                let doc = site.docs[i].clone();
                shortcodes::report(
                    site,
                    &doc,
                    tag.range.start,
                    &format!("shortcode `{name}`"),
                    shortcodes::hint(&name),
                );
                edits.push((range.clone(), shortcodes::inert(&body, &range)));
            }
        }
    }
    if !edits.is_empty() {
        site.docs[i].body = apply(&body, edits);
    }
}

fn longest_ticks(code: &str) -> usize {
    code.lines()
        .map(|l| l.trim_start().chars().take_while(|c| *c == '`').count())
        .max()
        .unwrap_or(0)
}

/// Hugo's `figure` as sheaf's `{{ figure(…) }}` (src, alt, caption; `title` joins the
/// caption). sheaf requires `alt`: when the source has none the caption or title stands in,
/// and a note says so.
fn figure(site: &mut Site, i: usize, tag: &Found) -> String {
    let src = named(&tag.inner, "src").unwrap_or_default();
    let caption = named(&tag.inner, "caption").or_else(|| named(&tag.inner, "title"));
    let alt = match named(&tag.inner, "alt") {
        Some(a) => a,
        None => {
            let doc = site.docs[i].clone();
            site.note(
                shortcodes::at(&doc, tag.range.start),
                format!("figure `{src}` has no alt text; describe the picture in `alt`"),
            );
            caption.clone().unwrap_or_default()
        }
    };
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut out = format!("{{{{ figure(src={}, alt={}", q(&src), q(&alt));
    if let Some(c) = caption {
        out.push_str(&format!(", caption={}", q(&c)));
    }
    if let Some(l) = named(&tag.inner, "link") {
        out.push_str(&format!(", link={}", q(&l)));
    }
    out.push_str(") }}");
    site.rewrote("figure");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ids::IdRule;
    use crate::import::model::Doc;

    #[test]
    fn refs_highlight_figure_and_the_rest() {
        let mut site = Site::default();
        site.docs.push(Doc::new(
            "content/posts/a.md".into(),
            "posts/a.md".into(),
            "[b]({{< ref \"b.md#whats-next\" >}}) [c]({{< relref \"/posts/c\" >}}) [s]({{% ref \"#x\" %}})\n\n{{< highlight go >}}\nfunc main() {}\n{{< /highlight >}}\n\n{{< figure src=\"cat.jpg\" caption=\"A cat\" >}}\n\n{{< youtube abc >}}\n\n{{< note >}}\nhi\n{{< /note >}}\n".into(),
            3,
        ));
        site.docs.push(Doc::new(
            "content/posts/b.md".into(),
            "posts/b.md".into(),
            "## What's next\n".into(),
            1,
        ));
        site.docs.push(Doc::new(
            "content/posts/c/index.md".into(),
            "posts/c/index.md".into(),
            String::new(),
            1,
        ));
        let mut linker = Linker::new(&site, IdRule::HugoGithub, "https://x.org/");
        keys(&site, &mut linker);
        convert(&mut site, &linker);
        let body = &site.docs[0].body;
        assert!(body.contains("[b](b.md#whats-next)"), "{body}");
        assert!(body.contains("[c](c/index.md)"), "{body}");
        assert!(body.contains("[s](#x)"), "{body}");
        assert!(body.contains("```go\nfunc main() {}\n```"), "{body}");
        assert!(
            body.contains("{{ figure(src=\"cat.jpg\", alt=\"A cat\", caption=\"A cat\") }}"),
            "{body}"
        );
        assert!(body.contains("```text\n{{< youtube abc >}}\n```"), "{body}");
        assert!(
            body.contains("```text\n{{< note >}}\nhi\n{{< /note >}}\n```"),
            "{body}"
        );
        assert_eq!(site.notes.len(), 3, "{:?}", site.notes);
    }
}
