//! The highlight cache (`.sheaf-cache/highlight`) in real builds: a second build finds every
//! block and writes the same site; a theme change, a damaged file, an unwritable cache and a
//! failed build each behave.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::support;
use crate::support::{BuiltSite, build_fixture, try_build};

const CACHE: &str = ".sheaf-cache/highlight";

fn build(root: &Path) -> BuiltSite {
    build_fixture(root, &["--verbose"])
}

/// "N code blocks highlighted, M found in the cache" from `--verbose`.
fn blocks(site: &BuiltSite) -> (usize, usize) {
    let line = site
        .stderr
        .lines()
        .find(|l| l.contains("code blocks highlighted"))
        .unwrap_or_else(|| panic!("no code block count in {:?}", site.stderr));
    let numbers: Vec<usize> = line
        .split_whitespace()
        .filter_map(|w| w.trim_end_matches(',').parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

/// Every output file and its bytes.
fn snapshot(site: &BuiltSite) -> Vec<(String, Vec<u8>)> {
    site.files()
        .into_iter()
        .map(|f| {
            let bytes = fs::read(site.out_path(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

/// A copy of the basic fixture with one more page of code in three languages.
fn site_with_code() -> tempfile::TempDir {
    let dir = support::copy_fixture("site-basic");
    support::write(
        dir.path().join("content/essays/code.md"),
        "---\ntitle: Code\ndate: 2025-03-01\n---\n\n```rust\nfn main() { println!(\"hi\"); }\n```\n\n\
         ```python\ndef f(x):\n    return x * 2  # twice\n```\n\n```yaml\nkey: [1, 'two']\n```\n",
    );
    dir
}

#[test]
fn a_second_build_finds_every_block_and_writes_the_same_site() {
    let dir = site_with_code();
    let first = build(dir.path());
    let (made, found) = blocks(&first);
    assert!(made >= 4, "{made} blocks highlighted");
    assert_eq!(found, 0);
    assert!(dir.path().join(CACHE).is_file());

    let second = build(dir.path());
    assert_eq!(blocks(&second), (0, made));
    assert_eq!(snapshot(&first), snapshot(&second));
}

#[test]
fn a_theme_change_highlights_again_and_matches_a_cold_build() {
    let dir = site_with_code();
    build(dir.path());
    let config = dir.path().join("config.yaml");
    let text = support::read(&config).replace(
        "highlight: { light: InspiredGitHub, dark: base16-ocean.dark }",
        "highlight: { light: Solarized (light), dark: Solarized (dark) }",
    );
    fs::write(&config, text).unwrap();
    let warm = build(dir.path());
    let (made, found) = blocks(&warm);
    assert!(made >= 4 && found == 0, "({made}, {found})");

    let cold_dir = support::copy_site(dir.path());
    let cold = build(cold_dir.path());
    assert_eq!(blocks(&cold).1, 0);
    assert_eq!(snapshot(&warm), snapshot(&cold));
}

#[test]
fn a_damaged_cache_is_ignored_and_replaced() {
    let dir = site_with_code();
    let first = build(dir.path());
    let cache = dir.path().join(CACHE);
    let mut bytes = fs::read(&cache).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    fs::write(&cache, &bytes).unwrap();

    let second = build(dir.path());
    assert_eq!(blocks(&second).1, 0, "nothing trusted from a damaged file");
    assert_eq!(snapshot(&first), snapshot(&second));
    assert_eq!(
        blocks(&build(dir.path())).0,
        0,
        "the file was written whole again"
    );
}

#[test]
fn an_unwritable_cache_is_a_warning() {
    let dir = site_with_code();
    fs::write(dir.path().join(".sheaf-cache"), "a file, not a folder").unwrap();
    let site = build(dir.path());
    assert!(
        site.stderr
            .contains("could not keep highlighted code in .sheaf-cache/highlight"),
        "{}",
        site.stderr
    );
    assert!(site.stdout.starts_with("built "), "{}", site.stdout);
}

#[test]
fn a_failed_build_leaves_the_cache_alone() {
    let dir = site_with_code();
    build(dir.path());
    let cache = dir.path().join(CACHE);
    let before = (
        fs::read(&cache).unwrap(),
        fs::metadata(&cache).unwrap().ino(),
    );
    support::write(
        dir.path().join("content/essays/broken.md"),
        "---\ntitle: Broken\ndate: 2025-03-02\n---\n\n```rust\nlet new = 1;\n```\n\n[x](gone.md)\n",
    );
    let (output, _built) = try_build(dir.path(), &[]);
    assert_eq!(output.code, Some(1));
    let after = (
        fs::read(&cache).unwrap(),
        fs::metadata(&cache).unwrap().ino(),
    );
    assert_eq!(before, after);
}
