//! The output folder under faults: a build killed mid-write, two builds of one site at
//! once, an output folder that cannot be written, and rebuilds that leave unchanged files
//! alone. The previous site must always survive whole.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use tempfile::TempDir;

use crate::support;

/// A site of `pages` essays (enough that writing it takes a while), in a temp folder.
fn big_site(pages: usize) -> TempDir {
    let dir = tempfile::Builder::new()
        .prefix("sheaf-faults-")
        .tempdir()
        .unwrap();
    let root = dir.path().join("site");
    fs::create_dir_all(root.join("content/essays")).unwrap();
    fs::write(
        root.join("config.yaml"),
        "title: Faults\nbase_url: https://example.org/\n",
    )
    .unwrap();
    fs::write(
        root.join("content/_index.md"),
        "---\ntitle: Home\n---\nHello.\n",
    )
    .unwrap();
    let paragraph =
        "Some words about keeping in touch with people, and why it matters. ".repeat(40);
    for i in 0..pages {
        fs::write(
            root.join(format!("content/essays/essay-{i:05}.md")),
            format!(
                "---\ntitle: Essay {i}\ndate: 2024-01-{:02}\ntags: [t{}, common]\n---\n{paragraph}\n\n```rust\nfn main() {{ println!(\"{i}\"); }}\n```\n",
                i % 28 + 1,
                i % 7
            ),
        )
        .unwrap();
    }
    dir
}

fn build(root: &Path, out: &Path) -> std::process::Output {
    support::sheaf()
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .expect("run sheaf")
}

/// Every file under `dir` with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walk(dir)
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (rel, fs::read(&p).unwrap())
        })
        .collect()
}

fn mtimes(dir: &Path) -> BTreeMap<String, SystemTime> {
    walk(dir)
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (rel, fs::metadata(&p).unwrap().modified().unwrap())
        })
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// What is beside the output folder (staging folders, old sites, lock files left over).
fn beside(parent: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_build_killed_at_any_point_leaves_the_previous_site_whole() {
    let dir = big_site(300);
    let root = dir.path().join("site");
    let out = dir.path().join("public");
    assert!(build(&root, &out).status.success());
    let old = contents(&out);
    // The next build writes different bytes to every page.
    let config = root.join("config.yaml");
    fs::write(
        &config,
        "title: Faults, again\nbase_url: https://example.org/\n",
    )
    .unwrap();

    // How long a whole build takes, to spread the kills over it.
    let started = Instant::now();
    let scratch = dir.path().join("scratch");
    assert!(build(&root, &scratch).status.success());
    let new = contents(&scratch);
    fs::remove_dir_all(&scratch).unwrap();
    let whole = started.elapsed();

    let mut outcomes = BTreeMap::new();
    for step in 1..=8u32 {
        let mut child = support::sheaf()
            .arg("build")
            .arg("--root")
            .arg(&root)
            .arg("--output")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Up to one and a half builds' time: some kills land after the swap.
        std::thread::sleep(whole * step * 3 / 16);
        // SIGKILL: no destructor, no cleanup; the worst case.
        let _ = child.kill();
        let _ = child.wait();
        let now = contents(&out);
        let outcome = if now == old {
            "old site"
        } else if now == new {
            "new site"
        } else {
            let differing: Vec<&String> = now
                .keys()
                .chain(old.keys())
                .filter(|k| now.get(*k) != old.get(*k) && now.get(*k) != new.get(*k))
                .take(5)
                .collect();
            panic!("killed at {step}/8 of a build: the output is neither site: {differing:?}");
        };
        *outcomes.entry(outcome).or_insert(0) += 1;
        if outcome == "new site" {
            // Start each kill from the old site again.
            fs::remove_dir_all(&out).unwrap();
            write_all(&out, &old);
        }
    }
    eprintln!("kills: {outcomes:?}");
    assert!(
        outcomes.contains_key("old site"),
        "no kill landed mid-build: {outcomes:?}"
    );
    // The next build cleans up whatever the killed ones left, and succeeds.
    assert!(build(&root, &out).status.success());
    assert_eq!(contents(&out), new);
    assert_eq!(beside(dir.path()), ["public", "site"]);
}

fn write_all(dir: &Path, files: &BTreeMap<String, Vec<u8>>) {
    for (rel, bytes) in files {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
}

#[test]
fn two_builds_of_one_site_at_once_do_not_mix() {
    let dir = big_site(150);
    let root = dir.path().join("site");
    let out = dir.path().join("public");
    let reference = dir.path().join("reference");
    assert!(build(&root, &reference).status.success());
    let expected = contents(&reference);
    fs::remove_dir_all(&reference).unwrap();

    let spawn = || {
        support::sheaf()
            .arg("build")
            .arg("--root")
            .arg(&root)
            .arg("--output")
            .arg(&out)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    for round in 0..2 {
        let children: Vec<_> = (0..3).map(|_| spawn()).collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        assert!(
            contents(&out) == expected,
            "round {round}: the output differs from a lone build"
        );
        assert_eq!(beside(dir.path()), ["public", "site"], "round {round}");
    }
}

#[test]
fn a_second_build_leaves_unchanged_files_untouched() {
    let dir = big_site(20);
    let root = dir.path().join("site");
    let out = dir.path().join("public");
    assert!(build(&root, &out).status.success());
    let first = mtimes(&out);
    // Coarse file-system clocks: make a rewrite visible.
    std::thread::sleep(Duration::from_millis(1100));
    let essay = root.join("content/essays/essay-00003.md");
    let text = fs::read_to_string(&essay).unwrap();
    fs::write(&essay, text.replace("Some words", "Other words")).unwrap();
    let output = support::sheaf()
        .args(["build", "-v", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success());
    let second = mtimes(&out);
    let changed: Vec<&String> = second
        .iter()
        .filter(|(path, time)| first.get(*path) != Some(time))
        .map(|(path, _)| path)
        .collect();
    assert!(
        changed.contains(&&"essays/essay-00003/index.html".to_string()),
        "{changed:?}"
    );
    // The essay, and the lists and feeds that show its summary; not the other essays.
    assert!(
        !changed.iter().any(|p| p.starts_with("essays/essay-00004")),
        "{changed:?}"
    );
    assert!(
        changed.len() < first.len() / 2,
        "{} of {} files rewritten: {changed:?}",
        changed.len(),
        first.len()
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("of them unchanged"), "{stderr}");
}

#[test]
fn an_output_folder_that_cannot_be_written_is_a_clear_error() {
    let dir = big_site(3);
    let root = dir.path().join("site");
    // A file where the output's parent folder should be: fails for root too, unlike
    // permissions.
    fs::write(dir.path().join("blocked"), "a file").unwrap();
    let out = dir.path().join("blocked/public");
    let output = build(&root, &out);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("blocked"), "{stderr}");
    assert!(stderr.contains("cannot create"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_full_disk_is_a_clear_error_and_the_old_site_stays() {
    // A tiny tmpfs stands in for a full disk; mounting needs root and a kernel that allows
    // it here. Without one this test says so and checks nothing.
    let dir = big_site(200);
    let root = dir.path().join("site");
    let mount = dir.path().join("small");
    fs::create_dir_all(&mount).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&mount)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("SKIPPED: cannot mount a small tmpfs here (needs root)");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mount.clone());
    let out = mount.join("public");
    // A small first site fits.
    let small = big_site(2);
    assert!(build(&small.path().join("site"), &out).status.success());
    let old = contents(&out);
    let output = build(&root, &out);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(
        stderr.contains("the previous output is unchanged"),
        "{stderr}"
    );
    assert_eq!(contents(&out), old);
    assert_eq!(beside(&mount), ["public"]);
}
