//! Content image cost through sheaf's own pipeline (src/images/): for each image given, the
//! time to probe it, to make every copy its plan asks for (the `srcset` WebPs and the
//! link-preview copy; decoded once, copies in parallel) into an empty cache, and to get them
//! again from the warm cache; with the bytes of each copy.
//!
//!     cargo bench --bench images -- IMAGE...
//!
//! `benches/image-codecs/fetch-images.sh` gets photos and screenshots to try; the crate
//! comparison behind the choice of encoders is `benches/image-codecs/` itself.

use std::time::Instant;

use sheaf::testing::{ImageCache, ImageSettings, probe_file, social_plan, variant_plan};

fn main() {
    let paths: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if paths.is_empty() {
        eprintln!("usage: cargo bench --bench images -- IMAGE...");
        return;
    }
    let settings = ImageSettings::default();
    let dir = std::env::temp_dir().join(format!("sheaf-bench-images-{}", std::process::id()));
    for path in &paths {
        let start = Instant::now();
        let info = match probe_file(path.as_ref()) {
            Ok(info) => info,
            Err(e) => {
                println!("{path}: {e}");
                continue;
            }
        };
        let probe_us = start.elapsed().as_micros();
        let mut specs = variant_plan(&info, &settings);
        specs.extend(social_plan(&info, &settings).map(|s| s.spec));
        let source = std::fs::read(path).expect("readable");
        let _ = std::fs::remove_dir_all(&dir);
        let cold = ImageCache::in_dir(&dir);
        let start = Instant::now();
        let copies = match cold.get_or_render(&source, &specs) {
            Ok(copies) => copies,
            Err(e) => {
                println!("{path}: {e}");
                continue;
            }
        };
        let cold_ms = start.elapsed().as_secs_f64() * 1e3;
        let warm = ImageCache::in_dir(&dir);
        let start = Instant::now();
        warm.get_or_render(&source, &specs).expect("warm");
        let warm_ms = start.elapsed().as_secs_f64() * 1e3;
        let sizes: Vec<String> = specs
            .iter()
            .zip(&copies)
            .map(|(s, c)| format!("{} {} KB", s.suffix, c.bytes.len() / 1000))
            .collect();
        println!(
            "{path}: {}×{} {} ({} KB); probe {probe_us} µs; {} copies cold {cold_ms:.0} ms, \
             warm {warm_ms:.1} ms ({} rendered); {}",
            info.width,
            info.height,
            info.format.name(),
            source.len() / 1000,
            specs.len(),
            warm.renders(),
            sizes.join(", ")
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
