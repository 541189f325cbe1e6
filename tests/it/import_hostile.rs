//! `sheaf import` on hostile and broken sources: it never panics, never hangs, never reads
//! outside SOURCE, never writes outside DEST, and says what it skipped, located.

use std::fs;
use std::path::Path;
use std::time::Duration;

use crate::support::{Run, sheaf};

const ZOLA_CONFIG: &str = "base_url = \"https://example.org/\"\ntitle = \"Hostile\"\n";

fn zola_source(root: &Path) {
    fs::create_dir_all(root.join("content/blog")).unwrap();
    fs::write(root.join("config.toml"), ZOLA_CONFIG).unwrap();
    fs::write(
        root.join("content/blog/_index.md"),
        "+++\ntitle = \"Blog\"\nsort_by = \"date\"\n+++\n",
    )
    .unwrap();
    fs::write(
        root.join("content/blog/good.md"),
        "+++\ntitle = \"Good\"\ndate = 2021-01-01\n+++\nFine.\n",
    )
    .unwrap();
}

fn import(kind: &str, source: &Path, dest: &Path) -> Run {
    let run = Run::of(
        sheaf()
            .arg("import")
            .arg(kind)
            .arg(source)
            .arg(dest)
            .env("NO_COLOR", "1"),
    );
    run.assert_no_panic();
    assert!(
        run.elapsed < Duration::from_secs(30),
        "import took {:?}\n{run}",
        run.elapsed
    );
    run
}

#[test]
fn deeply_nested_front_matter_is_reported_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("src");
    zola_source(&source);
    let depth = 100_000;
    fs::write(
        source.join("content/blog/toml.md"),
        format!(
            "+++\ntitle = \"T\"\nx = {}{}\n+++\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    )
    .unwrap();
    fs::write(
        source.join("content/blog/inline.md"),
        format!(
            "+++\ntitle = \"T\"\nx = {}1{}\n+++\n",
            "{a = ".repeat(depth),
            "}".repeat(depth)
        ),
    )
    .unwrap();
    let run = import("zola", &source, &tmp.path().join("dest"));
    run.assert_success();
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains("toml.md"), "{run}");
    assert!(all.contains("inline.md"), "{run}");
    assert!(
        tmp.path().join("dest/content/blog/good.md").exists(),
        "{run}"
    );
}

#[test]
fn deeply_nested_yaml_and_json_front_matter_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("src");
    fs::create_dir_all(source.join("content/posts")).unwrap();
    fs::write(
        source.join("hugo.toml"),
        "baseURL = \"https://example.org/\"\ntitle = \"Hostile\"\n",
    )
    .unwrap();
    fs::write(
        source.join("content/posts/good.md"),
        "---\ntitle: Good\ndate: 2021-01-01\n---\nFine.\n",
    )
    .unwrap();
    let depth = 50_000;
    fs::write(
        source.join("content/posts/yaml.md"),
        format!(
            "---\ntitle: T\nx: {}{}\n---\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    )
    .unwrap();
    fs::write(
        source.join("content/posts/json.md"),
        format!(
            "{{\"title\": \"T\", \"x\": {}{}}}\n\nBody.\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    )
    .unwrap();
    let laughs = "---\ntitle: T\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n\
                  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n\
                  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n\
                  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n---\n";
    fs::write(source.join("content/posts/laughs.md"), laughs).unwrap();
    let run = import("hugo", &source, &tmp.path().join("dest"));
    run.assert_success();
    let all = format!("{}{}", run.stdout, run.stderr);
    for file in ["yaml.md", "json.md", "laughs.md"] {
        assert!(all.contains(file), "{file} not reported\n{run}");
    }
    assert!(
        tmp.path().join("dest/content/posts/good.md").exists(),
        "{run}"
    );
}

#[cfg(unix)]
#[test]
fn links_out_of_the_source_and_loops_are_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("src");
    zola_source(&source);
    let secret = tmp.path().join("secret");
    fs::create_dir_all(&secret).unwrap();
    fs::write(
        secret.join("key.md"),
        "+++\ntitle = \"Secret\"\n+++\nsecret text\n",
    )
    .unwrap();
    fs::write(secret.join("id_rsa"), "PRIVATE KEY").unwrap();
    std::os::unix::fs::symlink(&secret, source.join("content/blog/outside")).unwrap();
    std::os::unix::fs::symlink(&secret, source.join("static")).unwrap();
    std::os::unix::fs::symlink(source.join("content"), source.join("content/blog/loop")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", source.join("content/blog/passwd.md")).unwrap();
    let dest = tmp.path().join("dest");
    let run = import("zola", &source, &dest);
    run.assert_success();
    for entry in walkdir::WalkDir::new(&dest) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = fs::read(entry.path()).unwrap();
            let text = String::from_utf8_lossy(&text);
            assert!(
                !text.contains("secret text")
                    && !text.contains("PRIVATE KEY")
                    && !text.contains("root:"),
                "{} holds a file from outside SOURCE",
                entry.path().display()
            );
        }
    }
}

#[test]
fn a_huge_file_and_binary_content_are_skipped_with_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("src");
    zola_source(&source);
    let mut big = b"+++\ntitle = \"Big\"\n+++\n".to_vec();
    big.resize(12 * 1024 * 1024, b'a');
    fs::write(source.join("content/blog/big.md"), big).unwrap();
    fs::write(
        source.join("content/blog/binary.md"),
        [0xff, 0xfe, 0x00, 0x2b, 0x2b, 0x2b, 0x0a, 0x80, 0x81],
    )
    .unwrap();
    let run = import("zola", &source, &tmp.path().join("dest"));
    run.assert_success();
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains("big.md") && all.contains("binary.md"), "{run}");
}

#[test]
fn a_source_that_is_not_a_site_is_refused_quickly() {
    let tmp = tempfile::tempdir().unwrap();
    for kind in ["jekyll", "hugo", "zola"] {
        // Refused before anything is read: not a site (1), or DEST inside SOURCE (2).
        let run = import(kind, Path::new("/"), &tmp.path().join(kind));
        assert!(run.code == Some(1) || run.code == Some(2), "{run}");
        assert!(!tmp.path().join(kind).exists(), "{kind}: wrote DEST\n{run}");
        let run = import(kind, &tmp.path().join("missing"), &tmp.path().join(kind));
        assert!(run.code == Some(1) || run.code == Some(2), "{run}");
    }
}

#[test]
fn a_dest_that_is_a_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("src");
    zola_source(&source);
    let dest = tmp.path().join("file");
    fs::write(&dest, "keep me").unwrap();
    let run = import("zola", &source, &dest);
    assert!(run.code == Some(1) || run.code == Some(2), "{run}");
    assert_eq!(fs::read_to_string(&dest).unwrap(), "keep me");
}

#[cfg(unix)]
#[test]
fn a_dest_that_links_into_the_source_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("src");
    zola_source(&source);
    fs::create_dir_all(source.join("out")).unwrap();
    let dest = tmp.path().join("dest");
    std::os::unix::fs::symlink(source.join("out"), &dest).unwrap();
    let run = import("zola", &source, &dest);
    run.assert_exit(2);
    assert_eq!(
        fs::read_dir(source.join("out")).unwrap().count(),
        0,
        "{run}"
    );
}

#[test]
fn hostile_names_and_keys_stay_data() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("src");
    zola_source(&source);
    fs::write(
        source.join("content/blog/xss.md"),
        "+++\ntitle = \"<script>alert(1)</script>\"\ndate = 2021-01-02\n\
         \"weird: key\" = \"--- \\n+++\"\npath = \"../../../../etc\"\n\
         aliases = [\"/../../x/\", \"javascript:alert(1)\"]\n\
         [extra]\n\"<img src=x onerror=alert(1)>\" = \"v\"\n+++\nBody.\n",
    )
    .unwrap();
    let dest = tmp.path().join("dest");
    let run = import("zola", &source, &dest);
    run.assert_success();
    assert!(!tmp.path().join("etc").exists());
    let build = Run::of(
        sheaf()
            .arg("build")
            .arg("--root")
            .arg(&dest)
            .arg("--output")
            .arg(tmp.path().join("public")),
    );
    build.assert_no_panic();
    let public = tmp.path().join("public");
    if public.exists() {
        for entry in walkdir::WalkDir::new(&public) {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "html") {
                let text = fs::read_to_string(entry.path()).unwrap();
                assert!(
                    !text.contains("<script>alert(1)") && !text.contains("<img src=x"),
                    "{} carries markup from front matter",
                    entry.path().display()
                );
            }
        }
    }
}
