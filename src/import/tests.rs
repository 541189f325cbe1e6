//! Whole imports of small sites made in temporary folders (the fixture sites of
//! `tests/it/import.rs` cover the mappings end to end).

use std::fs;
use std::path::Path;

use super::*;

fn write(root: &Path, rel: &str, text: &[u8]) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn zola_site(root: &Path) {
    write(
        root,
        "config.toml",
        b"title = \"Old\"\nbase_url = \"https://old.example/blog\"\n[extra]\nx = 1\n",
    );
    write(
        root,
        "content/_index.md",
        b"+++\ntitle = \"Home\"\n+++\nHi [a](@/posts/a.md#what-s-next)\n",
    );
    write(
        root,
        "content/posts/_index.md",
        b"+++\ntitle = \"Posts\"\nsort_by = \"date\"\n+++\n",
    );
    write(
        root,
        "content/posts/a.md",
        b"+++\ntitle = \"A\"\ndate = 2020-05-01T10:00:00Z\naliases = [\"/old/a.html\"]\n+++\n## What's next\n{{ youtube(id=\"x\") }}\n",
    );
    write(root, "content/posts/bad.md", b"+++\ntitle = = \n+++\n");
    write(
        root,
        "content/posts/latin1.md",
        b"+++\ntitle = \"x\"\n+++\ncaf\xe9\n",
    );
    write(root, "static/CNAME", b"old.example\n");
}

fn options() -> Options {
    Options {
        categories_as_tags: true,
        workflow: "workflow\n".into(),
        ..Options::default()
    }
}

#[test]
fn a_zola_site_is_imported_and_the_source_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("blog");
    zola_site(&source);
    let before = fs::read_dir(source.join("content/posts")).unwrap().count();
    let dest = tmp.path().join("out");
    let report = run(Dialect::Zola, &source, &dest, &options()).unwrap();
    assert_eq!(
        fs::read_dir(source.join("content/posts")).unwrap().count(),
        before
    );
    let text = report.to_string();
    assert!(
        text.contains("imported 1 pages, 2 sections, 1 assets"),
        "{text}"
    );
    assert!(text.contains("content/posts/bad.md:2:"), "{text}");
    assert!(
        text.contains("content/posts/latin1.md  not UTF-8"),
        "{text}"
    );
    assert!(text.contains("shortcode `youtube`"), "{text}");
    let home = fs::read_to_string(dest.join("content/_index.md")).unwrap();
    assert!(home.contains("[a](posts/a.md#whats-next)"), "{home}");
    let a = fs::read_to_string(dest.join("content/posts/a.md")).unwrap();
    assert!(a.contains("aliases:\n- /old/a.html"), "{a}");
    assert!(!a.contains("path:"), "{a}");
    assert!(dest.join("static/CNAME").is_file());
    assert!(dest.join(".github/workflows/pages.yml").is_file());
    let config = fs::read_to_string(dest.join("config.yaml")).unwrap();
    assert!(
        config.contains("base_url: https://old.example/blog/"),
        "{config}"
    );
    assert!(config.contains("extra:\n  x: 1"), "{config}");
}

#[test]
fn a_dry_run_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("blog");
    zola_site(&source);
    let dest = tmp.path().join("out");
    let opts = Options {
        dry_run: true,
        ..options()
    };
    let report = run(Dialect::Zola, &source, &dest, &opts).unwrap();
    assert!(!dest.exists());
    assert!(report.to_string().starts_with("dry run: nothing written\n"));
}

#[test]
fn dest_is_refused_inside_equal_containing_or_non_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("blog");
    zola_site(&source);
    for dest in [source.clone(), source.join("out"), tmp.path().to_path_buf()] {
        let err = run(Dialect::Zola, &source, &dest, &options()).unwrap_err();
        assert_eq!(err.exit, 2, "{dest:?}");
    }
    let full = tmp.path().join("full");
    write(&full, "x", b"x");
    let err = run(Dialect::Zola, &source, &full, &options()).unwrap_err();
    assert_eq!(err.exit, 2);
    assert!(
        err.diagnostics
            .iter()
            .any(|d| d.help.as_deref().unwrap_or("").contains("--force"))
    );
    let forced = Options {
        force: true,
        ..options()
    };
    assert!(run(Dialect::Zola, &source, &full, &forced).is_ok());
}

#[test]
fn not_a_site_is_exit_one() {
    let tmp = tempfile::tempdir().unwrap();
    let err = run(
        Dialect::Zola,
        tmp.path(),
        &tmp.path().join("../elsewhere-x"),
        &options(),
    )
    .unwrap_err();
    assert_eq!(err.exit, 1);
    let bad = tmp.path().join("bad");
    write(&bad, "config.toml", b"title = \n");
    let err = run(Dialect::Zola, &bad, &tmp.path().join("o"), &options()).unwrap_err();
    assert_eq!(err.exit, 1);
    let d = err.diagnostics.iter().next().unwrap();
    assert_eq!(d.location.as_ref().unwrap().line, 1);
}

#[test]
fn hostile_input_never_panics() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("s");
    zola_site(&source);
    let long = format!(
        "+++\ntitle = \"L\"\n+++\n{}\n",
        "a[b](@/x#".repeat(1_100_000)
    );
    write(&source, "content/long.md", long.as_bytes());
    write(&source, "content/empty.md", b"");
    write(&source, "content/frontonly.md", b"+++\n");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/passwd", source.join("static/passwd")).unwrap();
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"content/bad\xffname.md");
        write(&source, name.to_str().unwrap_or("content/x.md"), b"x");
        let _ = fs::write(source.join(Path::new(name)), b"+++\ntitle=\"n\"\n+++\n");
    }
    let dest = tmp.path().join("out");
    let report = run(Dialect::Zola, &source, &dest, &options()).unwrap();
    let text = report.to_string();
    assert!(!dest.join("static/passwd").exists());
    #[cfg(unix)]
    assert!(
        text.contains("static/passwd  a symbolic link out of the source site"),
        "{text}"
    );
}

#[test]
fn a_zola_site_is_not_a_hugo_site() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("blog");
    zola_site(&source);
    let err = run(Dialect::Hugo, &source, &tmp.path().join("o"), &options()).unwrap_err();
    assert_eq!(err.exit, 1);
    let d = err.diagnostics.iter().next().unwrap();
    assert!(d.message.contains("not a Hugo site"), "{}", d.message);
}

#[test]
fn hugo_split_config_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("site");
    write(
        &source,
        "config/_default/hugo.yaml",
        b"baseURL: https://split.example/\ntitle: Split\n",
    );
    write(
        &source,
        "config/_default/permalinks.yaml",
        b"page:\n  blog: /:year/:month/:slug/\n",
    );
    write(
        &source,
        "config/_default/params.toml",
        b"description = \"From params\"\n",
    );
    write(
        &source,
        "content/blog/p.md",
        b"---\ntitle: P\ndate: 2021-02-03\nslug: the-p\n---\nx\n",
    );
    let dest = tmp.path().join("out");
    let report = run(Dialect::Hugo, &source, &dest, &options()).unwrap();
    let config = fs::read_to_string(dest.join("config.yaml")).unwrap();
    assert!(
        config.contains("base_url: https://split.example/"),
        "{config}"
    );
    assert!(config.contains("description: From params"), "{config}");
    // Hugo's default page size, so `/tags/x/page/2/` stays the same list page.
    assert!(config.contains("paginate_by: 10"), "{config}");
    // `content/blog/` has no `_index.md`: Hugo lists it at /blog/ all the same.
    let blog = fs::read_to_string(dest.join("content/blog/_index.md")).unwrap();
    assert!(blog.contains("title: Blog"), "{blog}");
    let page = fs::read_to_string(dest.join("content/blog/p.md")).unwrap();
    assert!(page.contains("path: /2021/02/the-p/"), "{page}\n{report}");
    assert!(dest.join(report::REPORT_FILE).is_file());
}

/// blog.rust-lang.org: no `title` in config.toml (its templates name it), and a feed made by
/// a template of its own (`releases.json`) beside an Atom one (`feed.xml`).
#[test]
fn a_zola_site_without_a_title_and_with_custom_feed_templates() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("blog");
    write(
        &source,
        "config.toml",
        b"base_url = \"https://blog.example.org\"\ngenerate_feeds = true\nfeed_filenames = [\"feed.xml\", \"releases.json\", \"plain.rss\"]\n",
    );
    write(
        &source,
        "templates/feed.xml",
        b"<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>\n",
    );
    write(&source, "templates/releases.json", b"{\"releases\": []}\n");
    write(
        &source,
        "content/_index.md",
        b"+++\ntitle = \"Home\"\n+++\n",
    );
    let dest = tmp.path().join("out");
    let report = run(Dialect::Zola, &source, &dest, &options()).unwrap();
    let text = report.to_string();
    let config = fs::read_to_string(dest.join("config.yaml")).unwrap();
    assert!(config.contains("title: blog.example.org"), "{config}");
    assert!(config.contains("/feed.xml: atom"), "{config}");
    assert!(config.contains("/plain.rss: rss"), "{config}");
    assert!(!config.contains("releases.json"), "{config}");
    assert!(text.contains("no site title"), "{text}");
    assert!(
        text.contains("`/releases.json` is made by the site's own template"),
        "{text}"
    );
}
