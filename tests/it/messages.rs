//! Issue #14, "Every message on the way": each message sheaf prints for a common
//! mistake, checked for its exact text and location.

use crate::support::{Site, sheaf};

/// A tiny site: `config.yaml` (unless given) plus the given `(path, contents)` files.
fn tiny_site(files: &[(&str, &str)]) -> Site {
    let mut site = Site::new().prefix("messages");
    if !files.iter().any(|(p, _)| *p == "config.yaml") {
        site = site.config("title: T\nbase_url: https://example.com/\n");
    }
    for (path, contents) in files {
        site = site.file(path, contents);
    }
    site.create()
}

/// `sheaf build` of `site` with `args`; returns stderr (the build must fail).
fn build_errors(site: &Site, args: &[&str]) -> String {
    let run = site.build(args);
    assert!(!run.success(), "the build should fail:\n{}", run.stderr);
    run.stderr
}

#[test]
fn an_unclosed_bracket_in_front_matter_points_at_where_it_was_opened() {
    let site = tiny_site(&[(
        "content/a.md",
        "---\ntitle: Hello\ntags: [a, b\n---\nBody\n",
    )]);
    insta::assert_snapshot!(build_errors(&site, &[]), @r"
    error: unclosed `[` in the front-matter
     --> content/a.md:3:7
      |
    3 | tags: [a, b
      |       ^ this list is never closed
      |
    help: close it with `]` on the same line, e.g. `tags: [a, b]` or `author: { name: Ann }`

    error: 1 problem found; nothing was written
    ");
    let site = tiny_site(&[(
        "content/a.md",
        "---\ntitle: Hello\nextra: {a: 1\ndate: 2024-01-01\n---\nBody\n",
    )]);
    insta::assert_snapshot!(build_errors(&site, &[]), @r"
    error: unclosed `{` in the front-matter
     --> content/a.md:3:8
      |
    3 | extra: {a: 1
      |        ^ this map is never closed
      |
    help: close it with `}` on the same line, e.g. `tags: [a, b]` or `author: { name: Ann }`

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn an_unknown_filter_names_the_real_template_path_and_suggests_a_name() {
    let site = tiny_site(&[
        ("content/a.md", "---\ntitle: Hello\n---\nBody\n"),
        (
            "templates/page.html",
            "{{ page.title | uper }}\n{{ now2() }}\n",
        ),
    ]);
    let err = build_errors(&site, &[]);
    assert!(
        err.contains(
            "error: template error: Unknown filter `uper`\n --> templates/page.html:1:17\n  |\n1 | {{ page.title | uper }}\n  |                 ^^^^ did you mean `upper`?\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("help: available filters: abs, capitalize,"),
        "{err}"
    );
    assert!(
        err.contains(
            "error: template error: Unknown function `now2`\n --> templates/page.html:2:4\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("help: available functions: asset, range, throw, url"),
        "{err}"
    );
    assert!(!err.contains("error: template error: error:"), "{err}");
    assert!(!err.contains("extends/include"), "{err}");
}

/// A page with bad front matter, a future page, a draft, and pages linking to them.
/// The theme compiles while the bodies render: a broken template and a broken link are
/// still both reported, the body's problem first, in one run that writes nothing.
#[test]
fn a_broken_template_and_a_broken_link_are_reported_in_one_run() {
    let site = tiny_site(&[
        ("content/a.md", "---\ntitle: Hello\n---\nSee [b](b.md).\n"),
        ("templates/page.html", "{{ page.title | uper }}\n"),
    ]);
    let err = build_errors(&site, &[]);
    let link = err.find("error: broken link").unwrap_or(usize::MAX);
    let template = err.find("error: template error: Unknown filter `uper`");
    assert!(
        template.is_some_and(|t| link < t),
        "both, the link first:\n{err}"
    );
    assert!(
        err.contains("2 problems found; nothing was written"),
        "{err}"
    );
    assert!(!site.path("public").exists(), "{err}");
}

fn linking_site() -> Site {
    tiny_site(&[
        ("content/a.md", "---\ntitle: Hello\ntitel: x\n---\nBody\n"),
        ("content/b.md", "---\ntitle: B\n---\nSee [a](a.md).\n"),
        ("content/b2.md", "---\ntitle: B2\n---\nAlso [a](a.md).\n"),
        (
            "content/f.md",
            "---\ntitle: F\ndate: 2999-01-01\n---\nBody\n",
        ),
        ("content/d.md", "---\ntitle: D\ndraft: true\n---\nBody\n"),
        ("content/about.md", "---\ntitle: About\n---\nx\n"),
        (
            "content/c.md",
            "---\ntitle: C\n---\nSee [f](f.md) and [d](d.md) and [x](abuot.md).\n",
        ),
    ])
}

#[test]
fn a_link_to_a_page_with_errors_is_a_single_note_not_a_broken_link() {
    let site = linking_site();
    let err = build_errors(&site, &[]);
    assert!(!err.contains("broken link to `a.md`"), "{err}");
    assert_eq!(
        err.matches("note: links to `content/a.md` were not checked: that page has errors\n")
            .count(),
        1,
        "{err}"
    );
    assert!(
        err.contains("error: unknown front-matter key `titel`"),
        "{err}"
    );
}

#[test]
fn a_link_to_a_future_or_draft_page_says_why_and_names_the_flag() {
    let site = linking_site();
    let err = build_errors(&site, &[]);
    assert!(
        err.contains(
            "error: broken link to `f.md`: the page is dated in the future\n --> content/c.md:4:9\n  |\n4 | See [f](f.md) and [d](d.md) and [x](abuot.md).\n  |         ^^^^ `f.md` is dated 2999-01-01\n  |\nhelp: pages dated in the future are left out unless you build with `--future`\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("error: broken link to `d.md`: the page is a draft\n --> content/c.md:4:23\n"),
        "{err}"
    );
    assert!(
        err.contains("help: drafts are left out unless you build with `--drafts`"),
        "{err}"
    );
}

#[test]
fn a_misspelled_link_target_gets_did_you_mean() {
    let site = linking_site();
    let err = build_errors(&site, &[]);
    assert!(
        err.contains(
            "error: broken link to `abuot.md`: no such page\n --> content/c.md:4:37\n  |\n4 | See [f](f.md) and [d](d.md) and [x](abuot.md).\n  |                                     ^^^^^^^^ did you mean `about.md`?\n"
        ),
        "{err}"
    );
}

#[test]
fn a_bad_highlight_theme_is_located_at_its_value() {
    let site = tiny_site(&[
        (
            "config.yaml",
            "title: T\nbase_url: https://example.com/\nhighlight: { light: Nope, dark: base16-ocean.dark }\n",
        ),
        ("content/a.md", "---\ntitle: A\n---\nx\n"),
    ]);
    insta::assert_snapshot!(build_errors(&site, &[]), @r"
    error: unknown highlight theme `Nope`
     --> config.yaml:3:21
      |
    3 | highlight: { light: Nope, dark: base16-ocean.dark }
      |                     ^^^^
      |
    help: available themes: InspiredGitHub, Solarized (dark), Solarized (light), base16-eighties.dark, base16-mocha.dark, base16-ocean.dark, base16-ocean.light

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn already_exists_shows_no_empty_code_frame() {
    let site = tiny_site(&[("content/a.md", "---\ntitle: A\n---\nx\n")]);
    let new = || {
        sheaf()
            .args(["new", "essay", "Hello", "--root"])
            .arg(&site.root)
            .output()
            .expect("run sheaf new")
    };
    assert!(new().status.success());
    let second = new();
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    let shown = site.path("content/essays/hello.md");
    let shown = shown.display();
    assert!(
        err.contains(&format!(
            "error: `{shown}` already exists\n --> {shown}\nhelp: choose another title, or edit that file\n"
        )),
        "{err}"
    );
}

const BAND_SHEET: &str = "---
title: W
worksheet:
  id: w
  version: 1
  result:
    by: bands
    bands:
      - key: low
        max: 1
        title: Low
        body: >-
          Some text here and
          a link [x](nope.md) there.
---
Intro.

```worksheet
- id: q
  type: single
  prompt: P
  options:
    - { id: a, label: A, score: 0 }
    - { id: b, label: B, score: 1 }
```
";

#[test]
fn a_link_in_a_band_body_is_located_at_its_line() {
    let site = tiny_site(&[("content/w.md", BAND_SHEET)]);
    insta::assert_snapshot!(build_errors(&site, &[]), @r"
    error: broken link to `nope.md`: no such page
      --> content/w.md:14:22
       |
    14 |           a link [x](nope.md) there.
       |                      ^^^^^^^ resolves to `nope.md` in the content folder
       |
    help: the path is relative to the folder of this file; check the spelling

    error: 1 problem found; nothing was written
    ");
}

/// Every subcommand's `--help` describes each argument and option and shows examples.
#[test]
fn every_subcommand_help_describes_each_argument_and_has_examples() {
    for cmd in ["", "init", "new", "build", "check", "serve"] {
        let mut command = sheaf();
        if !cmd.is_empty() {
            command.arg(cmd);
        }
        // `-h`: the one-line-per-item layout (`--help` is the long form of the same text).
        let out = command.arg("-h").output().expect("run sheaf -h");
        assert!(out.status.success(), "sheaf {cmd} --help");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            help.contains("\nExamples:\n  sheaf "),
            "sheaf {cmd} --help:\n{help}"
        );
        let mut section = "";
        for line in help.lines() {
            if !line.starts_with(' ') {
                section = line;
                continue;
            }
            if !matches!(section, "Arguments:" | "Options:" | "Commands:") {
                continue;
            }
            // `  <TITLE>  The page's title…` / `  -o, --output <OUTPUT>  Output folder…`:
            // a name, two or more spaces, a description.
            let item = line.trim_start();
            if !(item.starts_with('-') || item.starts_with('<') || section == "Commands:") {
                continue; // a wrapped description line
            }
            let described = item
                .split_once("  ")
                .is_some_and(|(_, text)| !text.trim().is_empty());
            assert!(
                described,
                "sheaf {cmd} --help: no description for `{item}`\n{help}"
            );
        }
    }
}

#[test]
fn a_worksheet_header_error_and_its_question_errors_are_reported_in_one_run() {
    let sheet = BAND_SHEET
        .replace("    by: bands", "    by: bandz")
        .replace("{ id: a, label: A", "{ label: A");
    let site = tiny_site(&[("content/w.md", &sheet)]);
    let err = build_errors(&site, &[]);
    assert!(
        err.contains("error: invalid worksheet value for `worksheet.result.by`: unknown result kind `bandz`: did you mean `bands`?\n --> content/w.md:7:9\n"),
        "{err}"
    );
    assert!(
        err.contains("error: this option has no `id`\n  --> content/w.md:23:7\n"),
        "{err}"
    );
    // Scores are not checked without the header: no error about their form.
    assert!(!err.contains("a score"), "{err}");
    assert!(err.contains("error: 2 problems found"), "{err}");
}
