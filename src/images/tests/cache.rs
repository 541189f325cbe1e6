//! The cache: warm builds render nothing, damaged entries are made again, prune keeps
//! what was used.

use super::*;
use crate::images::{IMAGE_PIPELINE_VERSION, ImageCache, ImageSettings, probe, variant_plan};

fn setup() -> (tempfile::TempDir, Vec<u8>, Vec<crate::images::VariantSpec>) {
    let dir = tempfile::tempdir().unwrap();
    let source = jpeg(&picture(1000, 600));
    let specs = variant_plan(&probe(&source).unwrap(), &ImageSettings::default());
    (dir, source, specs)
}

#[test]
fn a_warm_cache_renders_nothing_and_gives_the_same_bytes() {
    let (dir, source, specs) = setup();
    let cold = ImageCache::open(dir.path());
    let first = cold.get_or_render(&source, &specs).unwrap();
    assert!(first.iter().all(|r| r.rendered));
    assert_eq!(cold.renders(), specs.len());
    assert!(dir.path().join(".sheaf-cache/images").is_dir());

    let warm = ImageCache::open(dir.path());
    let second = warm.get_or_render(&source, &specs).unwrap();
    assert_eq!((warm.renders(), warm.found()), (0, specs.len()));
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.bytes, b.bytes);
        assert!(!b.rendered);
    }
}

#[test]
fn keys_change_with_the_source_and_every_setting() {
    let (_dir, source, specs) = setup();
    let hash = blake3::hash(&source);
    let base = ImageCache::key(&hash, &specs[0]);
    assert_eq!(base.len(), 32);
    assert_ne!(base, ImageCache::key(&blake3::hash(b"other"), &specs[0]));
    assert_ne!(base, ImageCache::key(&hash, &specs[1]));
    let mut q = specs[0].clone();
    q.format = crate::images::OutputFormat::Webp { quality: 81 };
    assert_ne!(base, ImageCache::key(&hash, &q));
    let mut crop = specs[0].clone();
    crop.crop = true;
    assert_ne!(base, ImageCache::key(&hash, &crop));
}

#[test]
fn damaged_or_moved_entries_are_made_again() {
    let (dir, source, specs) = setup();
    let specs = &specs[..1];
    let cache = ImageCache::open(dir.path());
    let good = cache.get_or_render(&source, specs).unwrap().remove(0).bytes;
    let key = ImageCache::key(&blake3::hash(&source), &specs[0]);
    let path = dir.path().join(".sheaf-cache/images").join(&key);
    let whole = std::fs::read(&path).unwrap();
    let mut flipped = whole.clone();
    flipped[whole.len() / 2] ^= 1;
    // Another copy's whole entry, under this key's name.
    let other = ImageCache::open(dir.path());
    let other_specs = variant_plan(&probe(&source).unwrap(), &ImageSettings::default());
    other.get_or_render(&source, &other_specs[1..2]).unwrap();
    let other_key = ImageCache::key(&blake3::hash(&source), &other_specs[1]);
    let moved = std::fs::read(path.with_file_name(other_key)).unwrap();
    for damaged in [
        &whole[..whole.len() - 1],
        &flipped,
        b"",
        &whole[..10],
        &moved,
    ] {
        std::fs::write(&path, damaged).unwrap();
        let cache = ImageCache::open(dir.path());
        let got = cache.get_or_render(&source, specs).unwrap().remove(0);
        assert!(got.rendered, "made again");
        assert_eq!(got.bytes, good);
    }
}

#[test]
fn prune_keeps_exactly_what_this_build_used() {
    let (dir, source, specs) = setup();
    let first = ImageCache::open(dir.path());
    first.get_or_render(&source, &specs).unwrap();
    let images = dir.path().join(".sheaf-cache/images");
    std::fs::write(images.join("README"), "not an entry").unwrap();
    let second = ImageCache::open(dir.path());
    second.get_or_render(&source, &specs[..1]).unwrap();
    assert_eq!(second.prune().unwrap(), specs.len() - 1);
    assert!(images.join("README").exists(), "only entries are pruned");
    let third = ImageCache::open(dir.path());
    third.get_or_render(&source, &specs).unwrap();
    assert_eq!(third.renders(), specs.len() - 1);
    // No folder yet: nothing to prune.
    assert_eq!(
        ImageCache::open(&dir.path().join("new")).prune().unwrap(),
        0
    );
}

#[test]
fn many_threads_share_one_cache() {
    use rayon::prelude::*;
    let (dir, _, _) = setup();
    let sources: Vec<Vec<u8>> = (0..6).map(|i| png(&picture(300 + i * 10, 200))).collect();
    let cache = ImageCache::open(dir.path());
    let settings = ImageSettings::default();
    let run = |cache: &ImageCache| {
        sources
            .par_iter()
            .flat_map(|s| {
                let specs = variant_plan(&probe(s).unwrap(), &settings);
                cache.get_or_render(s, &specs).unwrap()
            })
            .map(|r| r.bytes)
            .collect::<Vec<_>>()
    };
    let cold = run(&cache);
    let warm_cache = ImageCache::open(dir.path());
    assert_eq!(run(&warm_cache), cold);
    assert_eq!(warm_cache.renders(), 0);
}

#[test]
fn an_unwritable_folder_still_gives_copies_and_reports_once() {
    let (dir, source, specs) = setup();
    // A file where the folder should be.
    let blocked = dir.path().join("blocked");
    std::fs::write(&blocked, "").unwrap();
    let cache = ImageCache::in_dir(blocked.join("images"));
    let got = cache.get_or_render(&source, &specs).unwrap();
    assert_eq!(got.len(), specs.len());
    assert!(cache.store_error().unwrap().contains("image cache"));
}

#[test]
fn the_version_names_the_crates_in_cargo_lock() {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
    for name in [
        "image",
        "fast_image_resize",
        "webp",
        "libwebp-sys",
        "jpeg-encoder",
        "png",
    ] {
        let at = lock
            .find(&format!("name = \"{name}\"\nversion = \""))
            .unwrap_or_else(|| panic!("{name} in Cargo.lock"));
        let version = lock[at..].split('"').nth(3).unwrap();
        assert!(
            IMAGE_PIPELINE_VERSION.contains(&format!("{name} {version},"))
                || IMAGE_PIPELINE_VERSION.ends_with(&format!("{name} {version}")),
            "update IMAGE_PIPELINE_VERSION to {name} {version}: cached copies made by the old \
             release must not be reused"
        );
    }
}
