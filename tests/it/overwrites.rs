//! Nothing a flag or a file name can make sheaf overwrite, lose or read outside the site:
//! output folders sheaf did not write, aliases over generated files, file names that are
//! not UTF-8, symbolic links out of the site, a closed output pipe. Also the page-level
//! guards that go with them: the default Content Security Policy and warnings for script
//! URLs in links.

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::support::{self, Run};

/// The shared [`support::Site`], built into `public/` inside the site (as a user who runs
/// `sheaf build` in their site would) or into any folder.
struct Site(support::Site);

impl std::ops::Deref for Site {
    type Target = support::Site;

    fn deref(&self) -> &support::Site {
        &self.0
    }
}

impl Site {
    fn new() -> Site {
        Site(
            support::Site::new()
                .prefix("overwrites")
                .config("title: Overwrites\nbase_url: https://example.org/\n")
                .page("_index.md", "---\ntitle: Home\n---\nHello.\n")
                .page(
                    "essays/_index.md",
                    "---\ntitle: Essays\nsort_by: date\n---\n",
                )
                .page(
                    "essays/one.md",
                    "---\ntitle: One\ndate: 2024-01-01\ntags: [people]\n---\nFirst.\n",
                )
                .page(
                    "essays/two.md",
                    "---\ntitle: Two\ndate: 2024-01-02\n---\nSecond.\n",
                )
                .create(),
        )
    }

    /// `sheaf build --root <site> --output <out> ARGS`.
    fn build_into(&self, out: &Path, args: &[&str]) -> Run {
        Run::of(
            support::sheaf()
                .arg("build")
                .arg("--root")
                .arg(&self.root)
                .arg("--output")
                .arg(out)
                .args(args),
        )
    }

    /// Into `<site>/public`. (Shadows the shared `Site::build`.)
    fn build(&self) -> Run {
        self.build_into(&self.path("public"), &[])
    }
}

fn assert_fails_with(output: &Run, needles: &[&str]) {
    let err = &output.stderr;
    assert_eq!(output.code, Some(1), "expected exit 1:\n{err}");
    for needle in needles {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

fn assert_ok(output: &Run) {
    assert!(output.success(), "build failed:\n{}", output.stderr);
}

// --- 1. Output folders sheaf did not write ---------------------------------------------

#[test]
fn a_folder_sheaf_did_not_write_is_refused_and_kept_until_forced() {
    let site = Site::new();
    let out = site.tmp().join("documents");
    support::write(out.join("thesis.docx"), "years of work");
    support::write(out.join("notes/today.txt"), "notes");
    let refused = site.build_into(&out, &[]);
    assert_fails_with(
        &refused,
        &[
            "refusing to replace",
            "thesis.docx",
            "notes/today.txt",
            "--force",
        ],
    );
    assert_eq!(support::read(out.join("thesis.docx")), "years of work");
    assert!(!out.join(".sheaf-output").exists());

    assert_ok(&site.build_into(&out, &["--force"]));
    assert!(
        !out.join("thesis.docx").exists(),
        "--force replaces the folder"
    );
    assert!(out.join(".sheaf-output").is_file(), "the output is marked");
    // Marked: later builds replace it without --force.
    support::write(out.join("left-by-a-tool.txt"), "x");
    assert_ok(&site.build_into(&out, &[]));
    assert!(!out.join("left-by-a-tool.txt").exists());
}

#[test]
fn an_empty_or_missing_folder_is_written() {
    let site = Site::new();
    let empty = site.tmp().join("empty");
    fs::create_dir_all(&empty).unwrap();
    assert_ok(&site.build_into(&empty, &[]));
    assert!(empty.join("index.html").is_file());
    let missing = site.tmp().join("a/b/c");
    assert_ok(&site.build_into(&missing, &[]));
    assert!(missing.join(".sheaf-output").is_file());
}

#[test]
fn a_public_folder_from_before_the_marker_is_replaced_when_every_file_is_sheafs() {
    let site = Site::new();
    assert_ok(&site.build());
    let public = site.path("public");
    fs::remove_file(public.join(".sheaf-output")).unwrap();
    // An older build's stylesheet under another content hash is one of ours too.
    let css = fs::read_dir(&public)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("style.") && n.ends_with(".css"))
        .expect("a fingerprinted stylesheet");
    fs::rename(public.join(&css), public.join("style.0badf00d.css")).unwrap();
    assert_ok(&site.build());
    assert!(public.join(".sheaf-output").is_file());
    assert!(!public.join("style.0badf00d.css").exists());

    fs::remove_file(public.join(".sheaf-output")).unwrap();
    support::write(public.join("my-notes.md"), "mine");
    assert_fails_with(&site.build(), &["my-notes.md"]);
    assert_eq!(support::read(public.join("my-notes.md")), "mine");
}

#[test]
fn a_repository_inside_the_output_survives_a_build() {
    let site = Site::new();
    assert_ok(&site.build());
    let public = site.path("public");
    support::write(public.join(".git/HEAD"), "ref: refs/heads/gh-pages\n");
    assert_ok(&site.build());
    assert_eq!(
        support::read(public.join(".git/HEAD")),
        "ref: refs/heads/gh-pages\n"
    );
    // Also when the folder predates the marker.
    fs::remove_file(public.join(".sheaf-output")).unwrap();
    assert_ok(&site.build());
    assert!(public.join(".git/HEAD").is_file());
}

#[test]
fn outputs_inside_the_sites_own_folders_are_refused() {
    let site = Site::new();
    support::write(site.path(".git/HEAD"), "ref: refs/heads/main\n");
    support::write(site.path(".sheaf-cache/highlight"), "cache");
    for (out, why) in [
        (".git", "inside the site's .git/"),
        (".git/objects", "inside the site's .git/"),
        (".sheaf-cache", "inside the site's .sheaf-cache/"),
        (".github/workflows", "inside the site's .github/"),
        ("content/out", "inside the site's content/"),
    ] {
        for force in [&[][..], &["--force"][..]] {
            let output = site.build_into(&site.path(out), force);
            assert_fails_with(&output, &["refusing to write the site", why]);
        }
    }
    assert_eq!(
        support::read(site.path(".git/HEAD")),
        "ref: refs/heads/main\n"
    );
    assert_eq!(support::read(site.path(".sheaf-cache/highlight")), "cache");
}

// --- 2. Aliases and other sources over generated files ---------------------------------

#[test]
fn aliases_naming_generated_files_are_located_errors() {
    let site = Site::new();
    let aliases = [
        "/index.html",
        "/essays/one/index.html",
        "/essays/",
        "/tags/",
        "/tags/people/",
        "/404.html",
        "/rss.xml/",
        "/atom.xml",
        "/feed.json",
        "/sitemap.xml/",
        "/tags/people/rss.xml/",
    ];
    let list: String = aliases.iter().map(|a| format!("  - {a}\n")).collect();
    site.write(
        "content/essays/two.md",
        format!("---\ntitle: Two\ndate: 2024-01-02\naliases:\n{list}---\nSecond.\n"),
    );
    let output = site.build();
    let err = &output.stderr;
    assert_eq!(output.code, Some(1), "{err}");
    for (i, alias) in aliases.iter().enumerate() {
        let line = 5 + i;
        let at = format!("content/essays/two.md:{line}:5");
        assert!(
            err.contains(&at),
            "alias {alias} should be an error at {at}:\n{err}"
        );
    }
    assert!(
        !err.contains("cannot write"),
        "no unlocated staging error:\n{err}"
    );
    assert!(!err.contains("panicked"));
    assert!(!site.path("public").exists(), "nothing written");
}

#[test]
fn a_content_page_or_file_over_a_generated_file_is_a_located_error() {
    let site = Site::new();
    // A page where the tag page of `people` goes, and a copied file over the 404 page.
    site.write("content/tags/people.md", "---\ntitle: People\n---\nMine.\n");
    site.write("content/404.html", "<p>custom</p>");
    site.write(
        "static/rss.xml/index.html",
        "<p>a folder named like a file</p>",
    );
    let output = site.build();
    assert_fails_with(
        &output,
        &[
            "content/tags/people.md",
            "the tag page of `people`",
            "content/404.html",
            "the 404 page",
            "`rss.xml` is needed both as a file and as a folder",
        ],
    );
}

#[test]
fn a_static_file_may_replace_a_generated_one_but_not_an_alias() {
    let site = Site::new();
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    assert_ok(&site.build());
    assert_eq!(
        support::read(site.path("public/robots.txt")),
        "User-agent: *\nDisallow: /\n"
    );
    site.write(
        "content/essays/two.md",
        "---\ntitle: Two\ndate: 2024-01-02\naliases: [/old.html]\n---\nSecond.\n",
    );
    site.write("static/old.html", "<p>old</p>");
    assert_fails_with(
        &site.build(),
        &[
            "content/essays/two.md:4:",
            "alias `/old.html` would replace the file `static/old.html`",
        ],
    );
}

// --- 3. File names that are not UTF-8 --------------------------------------------------

fn non_utf8(dir: &Path, bytes: &[u8]) -> PathBuf {
    dir.join(std::ffi::OsStr::from_bytes(bytes))
}

#[test]
fn file_names_that_are_not_utf8_are_reported_not_merged() {
    let site = Site::new();
    let essays = site.path("content/essays");
    // Both would be `caf�.md` converted lossily: one page would vanish.
    fs::write(
        non_utf8(&essays, b"caf\xE9.md"),
        "---\ntitle: Latin-1\n---\nx\n",
    )
    .unwrap();
    fs::write(
        non_utf8(&essays, b"caf\xFF.md"),
        "---\ntitle: Other\n---\ny\n",
    )
    .unwrap();
    fs::create_dir_all(site.path("static")).unwrap();
    fs::write(non_utf8(&site.path("static"), b"logo\xE9.png"), b"png").unwrap();
    fs::write(non_utf8(&site.path("static"), b"logo\xFF.png"), b"png").unwrap();
    let output = site.build();
    assert_fails_with(
        &output,
        &[
            "content/essays/caf\\xE9.md",
            "content/essays/caf\\xFF.md",
            "static/logo\\xE9.png",
            "static/logo\\xFF.png",
            "is not valid UTF-8",
            "rename it",
        ],
    );
}

// --- 4. Symbolic links out of the site -------------------------------------------------

#[test]
fn a_folder_link_out_of_content_is_not_read() {
    let site = Site::new();
    let outside = site.tmp().join("outside");
    // If the walk went in, this file's bad front matter would be reported.
    support::write(
        outside.join("deep/secret.md"),
        "---\ntitle: [unclosed\n---\n",
    );
    std::os::unix::fs::symlink(&outside, site.path("content/linked")).unwrap();
    let output = site.build();
    let err = &output.stderr;
    assert_fails_with(&output, &["content/linked", "points outside content/"]);
    assert!(!err.contains("secret.md"), "the link was followed:\n{err}");
}

#[test]
fn static_links_and_themes_outside_the_site_are_refused() {
    let site = Site::new();
    let outside = site.tmp().join("outside");
    support::write(outside.join("id_rsa"), "PRIVATE KEY");
    support::write(outside.join("templates/page.html"), "{{ config.title }}");
    fs::create_dir_all(site.path("static")).unwrap();
    std::os::unix::fs::symlink(outside.join("id_rsa"), site.path("static/key.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("static/dir")).unwrap();
    let output = site.build();
    assert_fails_with(
        &output,
        &["static/key.txt", "static/dir", "points outside static/"],
    );
    assert!(!site.path("public").exists());

    // static/ itself a link out of the site.
    fs::remove_dir_all(site.path("static")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("static")).unwrap();
    assert_fails_with(
        &site.build(),
        &["`static` is a symbolic link", "outside the site folder"],
    );
    fs::remove_file(site.path("static")).unwrap();

    // A theme named by an absolute or climbing path, or linked from outside.
    for theme in [outside.display().to_string(), "../outside".to_string()] {
        site.write(
            "config.yaml",
            format!("title: T\nbase_url: https://example.org/\ntheme: {theme}\n"),
        );
        assert_fails_with(&site.build(), &["config.yaml:3:", "is not a folder name"]);
    }
    fs::create_dir_all(site.path("themes")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("themes/mine")).unwrap();
    site.write(
        "config.yaml",
        "title: T\nbase_url: https://example.org/\ntheme: mine\n",
    );
    assert_fails_with(&site.build(), &["themes/mine", "outside the site folder"]);
}

#[test]
fn links_inside_the_site_are_followed() {
    let site = Site::new();
    site.write("static/img/a.png", "png");
    std::os::unix::fs::symlink("img", site.path("static/pictures")).unwrap();
    assert_ok(&site.build());
    assert_eq!(support::read(site.path("public/pictures/a.png")), "png");
}

// --- 5. .well-known ---------------------------------------------------------------------

#[test]
fn well_known_is_published_and_other_hidden_files_are_not() {
    let site = Site::new();
    site.write(
        "static/.well-known/security.txt",
        "Contact: mailto:a@b.org\n",
    );
    site.write(
        "static/.well-known/github-pages-challenge-owner.txt",
        "abc123\n",
    );
    site.write("static/.DS_Store", "junk");
    site.write("static/docs/.hidden", "junk");
    site.write("static/docs/.well-known/x", "not at the top");
    assert_ok(&site.build());
    assert_eq!(
        support::read(site.path("public/.well-known/security.txt")),
        "Contact: mailto:a@b.org\n"
    );
    assert!(
        site.path("public/.well-known/github-pages-challenge-owner.txt")
            .is_file()
    );
    assert!(!site.path("public/.DS_Store").exists());
    assert!(!site.path("public/docs/.hidden").exists());
    assert!(!site.path("public/docs/.well-known").exists());
}

// --- 15. A closed pipe -------------------------------------------------------------------

#[test]
fn a_closed_stdout_or_stderr_ends_the_process_quietly() {
    let site = Site::new();
    // Warnings on stderr and the summary on stdout: each stream gets written.
    site.write(
        "content/essays/two.md",
        "---\ntitle: Two\ndate: 2024-01-02\n---\n[x](javascript:alert(1))\n",
    );
    for closed in ["stdout", "stderr"] {
        let mut cmd = support::sheaf();
        cmd.arg("build")
            .arg("--root")
            .arg(&site.root)
            .arg("--output")
            .arg(site.tmp().join(format!("out-{closed}")))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        // Close one end before the process writes anything; read the other.
        let mut other = if closed == "stdout" {
            drop(child.stdout.take());
            Box::new(child.stderr.take().unwrap()) as Box<dyn std::io::Read + Send>
        } else {
            drop(child.stderr.take());
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>
        };
        let mut text = String::new();
        std::io::Read::read_to_string(&mut other, &mut text).unwrap();
        let status = child.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert!(
            status.success() || status.signal() == Some(13),
            "{closed} closed: {status:?}\n{text}"
        );
        assert_ne!(status.code(), Some(101), "{closed} closed: a panic\n{text}");
        assert!(!text.contains("panicked"), "{text}");
    }
}

// --- 16. The default Content Security Policy ---------------------------------------------

#[test]
fn every_page_carries_the_default_policy_unless_configured() {
    let site = Site::new();
    site.write(
        "content/essays/one.md",
        "---\ntitle: One\ndate: 2024-01-01\ntags: [people]\naliases: [/first/]\n---\nFirst.\n",
    );
    assert_ok(&site.build());
    let meta = r#"<meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;"#;
    for page in [
        "index.html",
        "essays/one/index.html",
        "essays/index.html",
        "tags/people/index.html",
        "tags/index.html",
        "404.html",
        "first/index.html",
    ] {
        let html = support::read(site.path("public").join(page));
        assert!(html.contains(meta), "{page} has no default policy:\n{html}");
        let head = &html[..html.find("</head>").unwrap()];
        let at = head.find(meta).unwrap();
        assert!(
            !head[..at].contains("<script") && !head[..at].contains("<link"),
            "{page}: the policy must come before anything that loads"
        );
    }
    site.write(
        "config.yaml",
        "title: T\nbase_url: https://example.org/\ncsp: \"default-src 'none'; img-src 'self'\"\nsearch: { enabled: false }\n",
    );
    assert_ok(&site.build());
    let html = support::read(site.path("public/index.html"));
    assert!(html.contains("content=\"default-src &#39;none&#39;; img-src &#39;self&#39;\""));
    site.write(
        "config.yaml",
        "title: T\nbase_url: https://example.org/\ncsp: false\n",
    );
    assert_ok(&site.build());
    let html = support::read(site.path("public/index.html"));
    assert!(!html.contains("Content-Security-Policy"));
}

// --- 17. Script URLs in links -----------------------------------------------------------

#[test]
fn script_and_data_urls_in_links_are_located_warnings() {
    let site = Site::new();
    site.write(
        "content/essays/two.md",
        "---\ntitle: Two\ndate: 2024-01-02\n---\n\
         [a](javascript:alert(1)) and [b](JavaScript:void(0))\n\n\
         [c](data:text/html;base64,PHNjcmlwdD4=)\n\n\
         ![ok](data:image/png;base64,iVBORw0KGgo=)\n\n\
         <a href=\"vbscript:msgbox\">d</a>\n\n\
         [e]: javascript:alert(2)\n\n\
         [see e][e]\n",
    );
    let output = site.build();
    assert_ok(&output);
    let err = &output.stderr;
    for at in [
        "content/essays/two.md:5:5",
        "content/essays/two.md:5:34",
        "content/essays/two.md:7:5",
        "content/essays/two.md:11:10",
        "content/essays/two.md:13:6",
    ] {
        assert!(err.contains(at), "no warning at {at}:\n{err}");
    }
    assert!(err.contains("`javascript:` URL"), "{err}");
    assert!(err.contains("`data:` URL"), "{err}");
    assert!(err.contains("`vbscript:` URL"), "{err}");
    assert!(!err.contains("two.md:9:"), "a data: image is fine:\n{err}");
}
