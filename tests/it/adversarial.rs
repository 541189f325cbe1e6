//! Hostile and extreme content through the real `sheaf build` (issue #7).
//!
//! Each case writes a small site into a temporary folder at test time (nothing big is
//! committed), runs the binary under `/usr/bin/time` (peak RSS) and `timeout` (a hard
//! stop), and asserts: the exit status, correct output or an error naming file, line and
//! column, no panic, and bounded time and memory. Every case prints its figures
//! (`adversarial: <case>: exit 0, 1.2 s, 85 MB`); run with `--no-capture` to see them.
//!
//! Bounds are generous (the suite runs on 2 shared cores in the debug profile, with
//! dependencies at opt-level 2) but mean something: a quadratic pass over a 50 MB file,
//! or an alias bomb expanded, blows through them.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::{self, Run};

/// No case may use more memory than this (peak resident set of the build).
const MAX_RSS_MB: u64 = 2048;
/// A build that has not finished after this long is killed, and the case fails.
const HARD_TIMEOUT_S: u64 = 120;

const CONFIG: &str = "title: Adversarial\nbase_url: https://example.org/base/\n";

/// The shared [`support::Site`], with a case's own build: bounded in time and memory.
struct Site(support::Site);

impl std::ops::Deref for Site {
    type Target = support::Site;

    fn deref(&self) -> &support::Site {
        &self.0
    }
}

impl Site {
    /// A config, a home page and an `essays` section; cases add the rest.
    fn new() -> Site {
        Site(
            support::Site::new()
                .prefix("adversarial")
                .config(CONFIG)
                .page("_index.md", "---\ntitle: Home\n---\nHome.\n")
                .page(
                    "essays/_index.md",
                    "---\ntitle: Essays\nsort_by: date\n---\n",
                )
                .create(),
        )
    }

    /// An essay with `front` (YAML lines, no markers) and `body`.
    fn essay(&self, name: &str, front: &str, body: &str) {
        self.write(
            &format!("content/essays/{name}"),
            format!("---\n{front}\n---\n{body}"),
        );
    }

    /// Runs `sheaf build` and checks the bounds every case shares: no panic, finished in
    /// `max_seconds`, at most [`MAX_RSS_MB`]. (Shadows the shared `Site::build`.)
    fn build(&self, case: &str, max_seconds: f64) -> Measured {
        self.build_within(case, max_seconds, MAX_RSS_MB)
    }

    fn build_within(&self, case: &str, max_seconds: f64, max_rss_mb: u64) -> Measured {
        let run = Measured::build(&self.0);
        let rss = run.peak_rss_kb.map_or_else(
            || "RSS not measured".to_string(),
            |kb| format!("{} MB", kb / 1024),
        );
        let first_error = run
            .stderr
            .lines()
            .zip(run.stderr.lines().skip(1))
            .find(|(l, _)| l.starts_with("error:"))
            .map(|(l, at)| {
                format!(
                    " [{} {}]",
                    l.chars().take(100).collect::<String>(),
                    at.trim()
                )
            })
            .unwrap_or_default();
        println!(
            "adversarial: {case}: exit {:?}, {:.1} s, {rss}{first_error}",
            run.code,
            run.elapsed.as_secs_f64()
        );
        assert!(
            !run.stderr.contains("panicked") && !run.stdout.contains("panicked"),
            "{case}: sheaf panicked\n{run}"
        );
        assert_ne!(
            run.code,
            Some(137),
            "{case}: killed after {HARD_TIMEOUT_S} s\n{run}"
        );
        assert!(
            run.elapsed.as_secs_f64() < max_seconds,
            "{case}: took {:.1} s, bound {max_seconds} s\n{run}",
            run.elapsed.as_secs_f64()
        );
        if let Some(kb) = run.peak_rss_kb {
            assert!(
                kb / 1024 < max_rss_mb,
                "{case}: peak RSS {} MB, bound {max_rss_mb} MB\n{run}",
                kb / 1024
            );
        }
        run
    }
}

/// One build under `timeout` and `/usr/bin/time`: the shared [`Run`] and its peak memory.
struct Measured {
    run: Run,
    /// From `/usr/bin/time -f %M`; `None` where that tool is missing.
    peak_rss_kb: Option<u64>,
}

impl std::ops::Deref for Measured {
    type Target = Run;

    fn deref(&self) -> &Run {
        &self.run
    }
}

impl std::fmt::Display for Measured {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.run.fmt(f)
    }
}

impl Measured {
    fn build(site: &support::Site) -> Measured {
        let time = Path::new("/usr/bin/time");
        let stats = tempfile::NamedTempFile::new().expect("a temporary file");
        let mut wrapper = if time.exists() {
            let mut cmd = Command::new(time);
            cmd.arg("-f").arg("%M").arg("-o").arg(stats.path());
            cmd.arg("timeout");
            cmd
        } else {
            Command::new("timeout")
        };
        wrapper.args(["-s", "KILL", &HARD_TIMEOUT_S.to_string()]);
        let run = Run::of(&mut support::run::wrapped(wrapper, &site.command(&[])));
        let peak_rss_kb = fs::read_to_string(stats.path())
            .ok()
            .and_then(|s| s.lines().last()?.trim().parse().ok());
        Measured { run, peak_rss_kb }
    }

    /// Exit 0 and no error printed. (Shadows the shared `Run::assert_success`.)
    fn assert_success(&self) {
        assert_eq!(self.code, Some(0), "the build should succeed\n{self}");
        assert!(
            !self.stderr.contains("error"),
            "a successful build printed an error\n{self}"
        );
    }

    /// Exit 1 with an error `message` located at `file:line:col`.
    fn assert_error_at(&self, message: &str, file: &str, line: usize, col: usize) {
        assert_eq!(self.code, Some(1), "the build should fail\n{self}");
        assert!(
            self.stderr.contains(message),
            "no error `{message}`\n{self}"
        );
        let at = format!("{file}:{line}:{col}");
        assert!(
            self.stderr.contains(&at),
            "the error is not located at {at}\n{self}"
        );
    }
}

/// Counts of `needle` in `haystack`.
fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

// ------------------------------------------------------------------ structure

#[test]
fn ten_thousand_nested_blockquotes() {
    let site = Site::new();
    let body = format!("{}deep\n", "> ".repeat(10_000));
    site.essay("deep.md", "title: Deep\ndate: 2025-01-01", &body);
    let run = site.build("10,000 nested blockquotes", 30.0);
    run.assert_success();
    let html = site.read("essays/deep/index.html");
    assert_eq!(count(&html, "<blockquote>"), 10_000);
    assert_eq!(count(&html, "</blockquote>"), 10_000);
    assert!(html.contains("deep"));
}

#[test]
fn ten_thousand_nested_lists() {
    let site = Site::new();
    // `- - - x` nests a list in each item: 10,000 levels on one line, then the same depth
    // again as indented lines, and ordered lists inside blockquotes.
    let mut body = format!("{}leaf\n\n", "- ".repeat(10_000));
    body.push_str(&format!("{}mixed\n", "> 1. ".repeat(2_000)));
    site.essay("lists.md", "title: Lists\ndate: 2025-01-01", &body);
    let run = site.build("10,000 nested lists", 30.0);
    run.assert_success();
    let html = site.read("essays/lists/index.html");
    // (`<ul` and `<ol`: the theme's own lists have classes.)
    assert!(count(&html, "<ul>") >= 10_000, "{}", count(&html, "<ul>"));
    assert_eq!(count(&html, "<ul"), count(&html, "</ul>"));
    assert!(count(&html, "<ol>") >= 2_000, "{}", count(&html, "<ol>"));
    assert_eq!(count(&html, "<ol"), count(&html, "</ol>"));
    assert!(html.contains("leaf") && html.contains("mixed"));
}

/// Issue #13 (same class as item 7): every `#fragment` link was checked by a linear search
/// of the target's heading ids, so 20,000 links into a page of 20,000 headings took seconds
/// (and grew with the square). Now one set of ids per target and check.
#[test]
fn twenty_thousand_anchor_links_into_twenty_thousand_headings() {
    let site = Site::new();
    let mut body = String::new();
    for i in 0..20_000 {
        body.push_str(&format!("## Part {i}\n\n"));
    }
    for _ in 0..20_000 {
        // One a line: a diagnostic location keeps its whole line (see the closing note).
        body.push_str("[last](#part-19999)\n");
    }
    body.push_str("[broken](#part-20000)\n");
    site.essay("anchors.md", "title: Anchors\ndate: 2025-01-01", &body);
    let run = site.build("20,000 anchor links into 20,000 headings", 5.0);
    assert!(!run.stderr.contains("#part-19999"), "{}", run.stderr);
    assert!(
        run.stderr.contains("broken anchor `#part-20000`"),
        "{}",
        run.stderr
    );
}

// ------------------------------------------------------------------ size

/// About `bytes` of varied Markdown: headings (repeated texts, so ids get suffixes),
/// paragraphs with emphasis, links to another page and to anchors, lists, code.
fn big_markdown(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 4096);
    let mut i = 0usize;
    while out.len() < bytes {
        out.push_str(&format!("## Section {}\n\n", i % 500));
        out.push_str(&format!(
            "Paragraph {i} with *emphasis*, **strong**, `code`, a [link](other.md#section-{}) \
             and a [same-page link](#section-{}). Words words words words words words \
             words words words words words words words words words words words words.\n\n",
            i % 3,
            i % 500
        ));
        out.push_str("- one\n- two\n  - nested\n\n");
        if i.is_multiple_of(50) {
            out.push_str("```rust\nfn main() { println!(\"hi\"); }\n```\n\n");
        }
        i += 1;
    }
    out
}

/// A content file may be at most 10 MiB (`sheaf::MAX_FILE_BYTES`, issue #13): this
/// case used to build a 50 MB file, which took about 40 bytes of memory per byte of
/// Markdown (1.97 GB) and went whole into the feeds. Now such a file is refused unread,
/// with an error at its first line, and a file just under the limit still builds.
#[test]
fn a_fifty_megabyte_markdown_file() {
    let site = Site::new();
    let body = big_markdown(50 * 1024 * 1024);
    site.essay("big.md", "title: Big\ndate: 2025-01-02", &body);
    site.essay("fine.md", "title: Fine\ndate: 2025-01-01", "x\n");
    let run = site.build_within("50 MB Markdown file", 30.0, 512);
    run.assert_error_at(
        "the file is 50.0 MB; a content file may be at most 10 MB",
        "content/essays/big.md",
        1,
        1,
    );
    assert!(!run.stderr.contains("panicked"), "{run}");
}

#[test]
fn a_markdown_file_just_under_the_size_limit() {
    let site = Site::new();
    site.write(
        "content/essays/other.md",
        "---\ntitle: Other\ndate: 2025-01-01\n---\n## Section 0\n## Section 1\n## Section 2\n",
    );
    let front = "title: Big\ndate: 2025-01-02";
    let body = big_markdown(sheaf::MAX_FILE_BYTES as usize - 64 * 1024);
    let len = body.len();
    site.essay("big.md", front, &body);
    // Memory: about 40 bytes per byte of Markdown, most of it the parser's events held
    // twice while the body is rewritten (src/markdown).
    let run = site.build_within("10 MB Markdown file", 60.0, 1024);
    run.assert_success();
    let html = site.read("essays/big/index.html");
    assert!(html.len() > len, "{} bytes of HTML from {len}", html.len());
    assert!(html.contains(r#"href="/base/essays/other/#section-1""#));
    assert!(
        html.contains(r#"id="section-499-1""#),
        "repeated headings get unique ids"
    );
    // Feeds carry a summary of it, not the whole article.
    let rss = site.read("rss.xml");
    assert!(rss.len() < 256 * 1024, "rss.xml is {} bytes", rss.len());
}

#[test]
fn a_one_megabyte_single_line() {
    let site = Site::new();
    let line: String = (0..)
        .map(|i| format!("word{i} "))
        .take_while({
            let mut total = 0;
            move |w| {
                total += w.len();
                total <= 1024 * 1024
            }
        })
        .collect();
    site.essay("line.md", "title: Line\ndate: 2025-01-01", &line);
    let long_title = "t".repeat(1024 * 1024);
    site.essay(
        "title.md",
        &format!("title: {long_title}\ndate: 2025-01-01"),
        "x\n",
    );
    let run = site.build("1 MB single line (body and title)", 30.0);
    run.assert_success();
    let html = site.read("essays/line/index.html");
    assert!(html.contains("word0 word1") && html.contains("word100000 "));
    assert!(site.read("essays/title/index.html").contains(&long_title));
}

/// `essays/tagged.md` with the tags `tag 0` to `tag <n-1>` on line 4.
fn tagged_essay(site: &Site, n: usize) {
    let tags: Vec<String> = (0..n).map(|i| format!("tag {i}")).collect();
    let front = format!(
        "title: Tagged\ndate: 2025-01-01\ntags: [{}]",
        tags.join(", ")
    );
    site.essay("tagged.md", &front, "Many tags.\n");
}

#[test]
fn a_hundred_thousand_tags_on_one_page() {
    let site = Site::new();
    tagged_essay(&site, 100_000);
    // Every tag page lists the page with all its tags: the output would grow with the
    // square of the count (5,000 tags made 2.2 GB), so a page may have at most 100.
    let run = site.build("100,000 tags on one page", 30.0);
    run.assert_error_at(
        "this page has 100000 tags; at most 100 are allowed",
        "content/essays/tagged.md",
        4,
        1,
    );
    assert!(run.stderr.contains("help:"), "{run}");

    let site = Site::new();
    tagged_essay(&site, 100);
    let run = site.build("100 tags on one page (the limit)", 30.0);
    run.assert_success();
    for slug in ["tag-0", "tag-99"] {
        assert!(
            site.out.join(format!("tags/{slug}/index.html")).is_file(),
            "{slug}"
        );
        assert!(
            site.out.join(format!("tags/{slug}/rss.xml")).is_file(),
            "{slug}"
        );
    }
    assert!(site.read("tags/index.html").contains("/base/tags/tag-99/"));
}

#[test]
fn pathological_emphasis() {
    let site = Site::new();
    let body = format!(
        "{}\n\n{}\n",
        "*a**b*".repeat(100_000),
        "_a__b_".repeat(100_000)
    );
    site.essay("emph.md", "title: Emphasis\ndate: 2025-01-01", &body);
    let body = format!("{}\n", "[a](b".repeat(50_000) + &"`".repeat(50_000));
    site.essay("brackets.md", "title: Brackets\ndate: 2025-01-01", &body);
    let run = site.build("pathological emphasis x 100,000", 30.0);
    run.assert_success();
    // `*a**b**a**b*…` is one emphasis holding a strong run per `**b**` (CommonMark's rule
    // of three), as pulldown-cmark renders three repeats: `<em>a<strong>b</strong>a…`.
    let html = site.read("essays/emph/index.html");
    assert_eq!(count(&html, "<em>"), count(&html, "</em>"));
    assert_eq!(count(&html, "<strong>"), count(&html, "</strong>"));
    assert!(
        count(&html, "<strong>") >= 99_000,
        "{}",
        count(&html, "<strong>")
    );
}

// ------------------------------------------------------------------ names and text

#[test]
fn zero_width_and_right_to_left_characters() {
    let site = Site::new();
    site.essay(
        "bidi.md",
        "title: \"Safe \\u202Egnp.exe\\u200B and \\u200F\u{5e9}\u{5dc}\u{5d5}\u{5dd}\"\n\
         date: 2025-01-01\n\
         description: \"\\u2066isolate\\u2069 \\uFEFF\"\n\
         tags: [\"a\\u200Bb\", \"ab\", \"\\u202Ertl\", \"\u{5e9}\u{5dc}\u{5d5}\u{5dd}\", \"\\u200D\\u200C\"]",
        "Body with \u{202e}reversed\u{202c} text.\n",
    );
    let run = site.build("zero-width and RTL characters in titles and tags", 30.0);
    run.assert_success();
    let html = site.read("essays/bidi/index.html");
    // The characters are kept, not stripped or mangled (escaping is the templates' job).
    assert!(html.contains("Safe \u{202e}gnp.exe\u{200b}"), "title kept");
    assert!(html.contains("\u{5e9}\u{5dc}\u{5d5}\u{5dd}"));
    // `a<ZWSP>b` and `ab` look alike but are different tags: different URLs.
    let tags = fs::read_dir(site.out.join("tags")).expect("tags folder");
    let mut slugs: Vec<String> = tags
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".html") && !n.ends_with(".xml"))
        .collect();
    slugs.sort();
    assert_eq!(slugs.len(), 5, "{slugs:?}");
    assert!(
        slugs.iter().all(|s| s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')),
        "{slugs:?}"
    );
}

#[test]
fn file_names_with_spaces_and_unicode() {
    let site = Site::new();
    site.essay(
        "My First Essay.md",
        "title: One\ndate: 2025-01-01",
        "[two](Ünïcode%20Ünï.md)\n",
    );
    site.essay(
        "Ünïcode Ünï.md",
        "title: Two\ndate: 2025-01-02",
        "[one](<My First Essay.md>)\n",
    );
    site.write("content/essays/pic 1 é.png", b"\x89PNG\r\n\x1a\n");
    site.essay(
        "pics.md",
        "title: Pics\ndate: 2025-01-03",
        "![pic](<pic 1 é.png>)\n",
    );
    let run = site.build("file names with spaces and unicode", 30.0);
    run.assert_success();
    let one = site.read("essays/my-first-essay/index.html");
    assert!(
        one.contains(r#"href="/base/essays/unicode-uni/""#),
        "link rewritten"
    );
    let two = site.read("essays/unicode-uni/index.html");
    assert!(two.contains(r#"href="/base/essays/my-first-essay/""#));
    assert!(site.out.join("essays/pic 1 é.png").is_file());
    let pics = site.read("essays/pics/index.html");
    assert!(
        pics.contains(r#"src="/base/essays/pic%201%20%C3%A9.png""#),
        "image URL encoded"
    );
}

#[test]
fn file_names_differing_only_in_case_or_normalisation() {
    let site = Site::new();
    site.essay("Notes.md", "title: Upper\ndate: 2025-01-01", "x\n");
    site.essay("notes.md", "title: Lower\ndate: 2025-01-02", "x\n");
    // `é` composed (NFC) and decomposed (NFD): different files, one slug.
    site.essay("caf\u{e9}.md", "title: NFC\ndate: 2025-01-03", "x\n");
    site.essay("cafe\u{301}.md", "title: NFD\ndate: 2025-01-04", "x\n");
    let run = site.build("file names differing only in case or Unicode form", 30.0);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(
        run.stderr
            .contains("two pages have the URL `/essays/notes/`"),
        "{run}"
    );
    assert!(
        run.stderr
            .contains("two pages have the URL `/essays/cafe/`"),
        "{run}"
    );
    // Located at the start of the later file (by path order), line 1 column 1.
    assert!(
        run.stderr.contains("content/essays/notes.md:1:1")
            || run.stderr.contains("content/essays/Notes.md:1:1"),
        "{run}"
    );
    assert!(run.stderr.contains("help:"), "{run}");
    assert!(!site.out.exists(), "a failed build writes nothing");
}

// ------------------------------------------------------------------ file system

#[cfg(unix)]
#[test]
fn symlink_loops_and_symlinks_out_of_content() {
    use std::os::unix::fs::symlink;
    let site = Site::new();
    site.essay("real.md", "title: Real\ndate: 2025-01-01", "x\n");
    // A folder that links to its own parent, and one that links to itself.
    symlink(
        site.path("content/essays"),
        site.path("content/essays/loop"),
    )
    .expect("symlink");
    symlink("self", site.path("content/self")).expect("symlink");
    // A secret outside the site, linked into content/ as a file and as a folder.
    let secret = site.tmp().join("secret");
    fs::create_dir_all(&secret).expect("mkdir");
    fs::write(secret.join("key.md"), "---\ntitle: SECRET\n---\nSECRET\n").expect("write");
    symlink(secret.join("key.md"), site.path("content/essays/stolen.md")).expect("symlink");
    symlink(&secret, site.path("content/outside")).expect("symlink");
    let run = site.build("symlink loops and symlinks out of content/", 30.0);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(run.stderr.contains("content/essays/loop"), "{run}");
    assert!(run.stderr.contains("content/essays/stolen.md"), "{run}");
    assert!(run.stderr.contains("content/outside"), "{run}");
    assert!(run.stderr.contains("content/self"), "{run}");
    assert!(!run.stderr.contains("panicked"));
    assert!(!site.out.exists());
}

#[cfg(unix)]
#[test]
fn unreadable_files() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::new();
    site.essay("locked.md", "title: Locked\ndate: 2025-01-01", "x\n");
    let locked = site.path("content/essays/locked.md");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    let run = site.build("unreadable file (chmod 000)", 30.0);
    if fs::read(&locked).is_ok() {
        // Root reads a file whatever its mode: the case cannot be made here. Say so, and
        // check the build at least reads it like any other file.
        println!(
            "adversarial: unreadable file: running as root, chmod 000 does not stop reads; checked that the build succeeds instead"
        );
        run.assert_success();
    } else {
        assert_eq!(run.code, Some(1), "{run}");
        assert!(run.stderr.contains("cannot read"), "{run}");
        assert!(run.stderr.contains("content/essays/locked.md"), "{run}");
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).expect("chmod back");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_and_a_dangling_link_named_md() {
    use std::os::unix::fs::symlink;
    let site = Site::new();
    site.essay("real.md", "title: Real\ndate: 2025-01-01", "x\n");
    // Reading a FIFO blocks until someone writes: a build must not hang on one.
    let fifo = site.path("content/essays/pipe.md");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    symlink("nowhere.md", site.path("content/essays/dangling.md")).expect("symlink");
    let run = site.build("a FIFO and a dangling symlink named *.md", 30.0);
    // The FIFO is not a regular file: skipped, never opened (the bound above is the
    // proof: opening it would block forever). The dangling link is reported by name.
    assert_eq!(run.code, Some(1), "{run}");
    assert!(run.stderr.contains("content/essays/dangling.md"), "{run}");
    assert!(run.stderr.contains("help:"), "{run}");
    assert!(!run.stderr.contains("pipe.md"), "{run}");
}

// ------------------------------------------------------------------ YAML

/// Nine levels of nine aliases each: 9^9 (387 million) strings if expanded.
fn billion_laughs(indent: &str) -> String {
    let mut yaml = format!(
        "{indent}a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        yaml.push_str(&format!("{indent}{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    yaml
}

#[test]
fn billion_laughs_in_front_matter() {
    let site = Site::new();
    site.essay(
        "laughs.md",
        &format!(
            "title: Laughs\ndate: 2025-01-01\nextra:\n{}",
            billion_laughs("  ")
        ),
        "x\n",
    );
    let run = site.build("YAML billion laughs in front matter", 30.0);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(run.stderr.contains("content/essays/laughs.md:"), "{run}");
    assert!(run.stderr.contains("help:"), "{run}");
}

#[test]
fn billion_laughs_in_config_and_worksheet() {
    let site = Site::new();
    site.write(
        "config.yaml",
        format!("{CONFIG}extra:\n{}", billion_laughs("  ")),
    );
    let run = site.build("YAML billion laughs in config.yaml", 30.0);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(run.stderr.contains("config.yaml:"), "{run}");

    let site = Site::new();
    site.write(
        "content/worksheets/_index.md",
        "---\ntitle: Worksheets\nsort_by: title\n---\n",
    );
    site.write(
        "content/worksheets/w.md",
        format!(
            "---\ntitle: W\nworksheet:\n  id: w\n  version: 1\n  result:\n    by: top\n    dimensions:\n      a: {{ title: A, body: x }}\n---\n```worksheet\n- id: q\n  type: single\n  prompt: P\n  options:\n    - {{ id: o, label: O, score: {{ a: 1 }} }}\n  laughs:\n{}```\n",
            billion_laughs("    ")
        ),
    );
    let run = site.build("YAML billion laughs in a worksheet block", 30.0);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(run.stderr.contains("content/worksheets/w.md:"), "{run}");
}

/// Regression (issue #13): nested flow collections cost libyaml the square of their depth
/// (40,000 levels in 160 KB of front matter: about 8 s; 200,000: over a minute). They are
/// refused at the 65th level, at its line and column, in all three places YAML is read.
#[test]
fn deeply_nested_yaml_in_front_matter_config_and_worksheet() {
    let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
    let site = Site::new();
    site.essay(
        "deep.md",
        &format!(
            "title: Deep\ndate: 2025-01-01\nextra:\n  x: {}",
            deep(200_000)
        ),
        "x\n",
    );
    let run = site.build("200,000 nested [ in front matter", 20.0);
    // `extra:` and `x:` are two levels; the 63rd bracket (column 6 + 62) is the 65th.
    run.assert_error_at(
        "the YAML is nested more than 64 levels deep",
        "content/essays/deep.md",
        5,
        68,
    );
    assert!(run.stderr.contains("help:"), "{run}");

    let site = Site::new();
    site.write("config.yaml", format!("{CONFIG}extra: {}\n", deep(200_000)));
    let run = site.build("200,000 nested [ in config.yaml", 20.0);
    run.assert_error_at("nested more than 64 levels deep", "config.yaml", 3, 71);

    let site = Site::new();
    site.write(
        "content/worksheets/_index.md",
        "---\ntitle: Worksheets\nsort_by: title\n---\n",
    );
    site.write(
        "content/worksheets/w.md",
        format!(
            "---\ntitle: W\nworksheet:\n  id: w\n  version: 1\n  result:\n    by: top\n    dimensions:\n      a: {{ title: A, body: x }}\n---\n```worksheet\n- id: q\n  type: single\n  prompt: {}\n```\n",
            deep(200_000)
        ),
    );
    let run = site.build("200,000 nested [ in a worksheet block", 20.0);
    run.assert_error_at(
        "nested more than 64 levels deep",
        "content/worksheets/w.md",
        14,
        73,
    );
}
