//! A rich sample page, snapshotted whole, so any change in output is seen in review.

use super::*;

const SAMPLE: &str = r#"# Why chasing followers fails {#why}

Most advice says *grow your audience*. It's "reach" that matters -- or so they say...[^reach]

<!-- more -->

## What works instead

> [!TIP]
> Send **three** real messages today.

> [!WARNING]
> Don't automate it.

Read [the worksheet](../worksheets/todays-priority.md#result) and [the guide](../_index.md),
or jump to [the table](#numbers). See also <https://example.com>.

### Numbers

| Habit | Minutes | Done |
|:------|--------:|:----:|
| Messages | 10 | ~~no~~ yes |
| Posting | 30 | |

- [x] Pick two people
- [ ] Write to them

```python
def reach(posts):
    return len(posts) * 0  # reach is not the point
```

```
plain <text>
```

## What works instead

<details><summary>Raw HTML</summary>Passed through.</details>

[^reach]: Reach without connection is noise.
"#;

struct GuideSite;

impl LinkResolver for GuideSite {
    fn page_url(&self, path: &str) -> Option<String> {
        match path {
            "worksheets/todays-priority.md" => Some("/guide/worksheets/todays-priority/".into()),
            "_index.md" => Some("/guide/".into()),
            _ => None,
        }
    }
}

fn sample() -> Rendered {
    let source = format!("{FRONT}{SAMPLE}");
    render(&MarkdownInput {
        file: Path::new("content/essays/why.md"),
        source: &source,
        body_offset: FRONT.len(),
        page_dir: "essays",
        page_path: "/essays/a/",
        links: &GuideSite,
        fences: &NoFences,
        components: &crate::markdown::NoComponents,
        highlighting: super::highlighting(),
    })
}

/// Snapshot files named without the crate and module path, so they survive the module being
/// moved between crates.
fn snapshot(name: &str, value: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, value));
}

#[test]
fn rich_page_html() {
    snapshot("markdown_rich_page_html", &sample().html.as_str());
}

#[test]
fn rich_page_metadata() {
    let r = sample();
    let links: Vec<String> = r
        .links
        .iter()
        .map(|l| {
            format!(
                "{:?} #{:?} at {}:{}",
                l.target, l.fragment, l.location.line, l.location.column
            )
        })
        .collect();
    let report = format!(
        "summary: {:?}\nfirst paragraph: {:?}\nids: {:?}\nwords: {}\nhas_code: {}\nlinks:\n{}\ndiagnostics: {:?}\ntoc:\n{:#?}\n",
        r.summary_html,
        r.first_paragraph,
        r.heading_ids,
        r.word_count,
        r.has_code,
        links.join("\n"),
        r.diagnostics,
        r.toc,
    );
    snapshot("markdown_rich_page_metadata", &report);
}
