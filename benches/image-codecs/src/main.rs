//! The measurement behind sheaf's image crates (issue #18, notes-images-choice.md).
//!
//! For each input image: the 1600 px wide copy a site would publish (or the image itself when
//! narrower) is made by each resizer, timed; then each lossy encoder is driven, by a binary
//! search over its quality setting, to the smallest file whose DSSIM against that copy is at
//! most `TARGET` (dssim-core, the metric of the `dssim` tool: 0 is identical). Equal DSSIM is
//! what "visually equivalent" means here, so bytes compare fairly across codecs. Encode
//! times are single-threaded (a build runs one image per core) and the fastest of three runs.
//! Lossless rows (PNG, lossless WebP) have DSSIM 0 by construction.
//!
//! AVIF outputs are decoded for the metric by `avifdec` (Debian's libavif-bin): the Rust
//! `image` crate decodes AVIF only through the C dav1d. Without `avifdec` the AVIF rows are
//! skipped.
//!
//! Usage: `cargo run --release --manifest-path benches/image-codecs/Cargo.toml -- IMAGE...`
//! (plus a generated chart, always). `fetch-images.sh` beside this file gets the photos.

use std::path::Path;
use std::time::{Duration, Instant};

use image::{DynamicImage, RgbImage};

mod chart;
mod codecs;

/// The DSSIM every lossy row is driven to: about what a careful `cwebp -q 80` gives on a
/// photo, where artefacts are hard to see without flipping between the two.
const TARGET: f64 = 0.0015;
/// The published width the encoders see (the largest of sheaf's variant widths).
const WIDTH: u32 = 1600;

fn main() {
    let mut inputs: Vec<(String, DynamicImage)> = Vec::new();
    for arg in std::env::args().skip(1) {
        let name = Path::new(&arg)
            .file_name()
            .map_or(arg.clone(), |n| n.to_string_lossy().into_owned());
        match image::open(&arg) {
            Ok(img) => inputs.push((name, img)),
            Err(e) => eprintln!("skipped {arg}: {e}"),
        }
    }
    inputs.push((
        "chart (generated)".into(),
        DynamicImage::ImageRgb8(chart::draw(1800, 1100)),
    ));
    let avifdec = std::process::Command::new("avifdec")
        .arg("--version")
        .output()
        .is_ok();
    if !avifdec {
        eprintln!("avifdec not found: AVIF rows skipped (apt-get install libavif-bin)");
    }

    // SHEAF_CODECS=avif,libwebp: only the encoders whose name contains one of these.
    let only: Vec<String> = std::env::var("SHEAF_CODECS")
        .map(|v| v.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    // SHEAF_FIXED=75,80,90: instead of the search, libwebp and jpeg-encoder at these
    // qualities (what a fixed setting gives on each image).
    let fixed: Option<Vec<u8>> = std::env::var("SHEAF_FIXED")
        .ok()
        .map(|v| v.split(',').filter_map(|q| q.parse().ok()).collect());
    let mut totals: Vec<Total> = Vec::new();
    println!("target DSSIM {TARGET}; times single-threaded, fastest of 3\n");
    for (name, img) in &inputs {
        let rgb = flatten(img);
        println!(
            "## {name}: {}x{} → {} wide",
            rgb.width(),
            rgb.height(),
            WIDTH.min(rgb.width())
        );
        let small = resize_rows(&rgb);
        let (w, h) = small.dimensions();
        let megapixels = f64::from(w * h) / 1e6;
        let reference = codecs::Metric::new(&small);
        if let Some(qualities) = &fixed {
            fixed_rows(&small, &reference, qualities, megapixels);
            println!();
            continue;
        }
        println!("| encoder | setting | bytes | DSSIM | encode ms | ms/MP |");
        println!("|---|---|---:|---:|---:|---:|");
        for codec in codecs::all() {
            if codec.avif && !avifdec {
                continue;
            }
            if !only.is_empty() && !only.iter().any(|o| codec.name.contains(o.as_str())) {
                continue;
            }
            let row = if codec.lossless {
                let (bytes, time) = timed(|| (codec.encode)(&small, 100));
                Some((100, bytes.len(), 0.0, time))
            } else {
                search(&codec, &small, &reference)
            };
            let Some((q, bytes, dssim, time)) = row else {
                println!("| {} | – | did not reach the target | | | |", codec.name);
                continue;
            };
            let ms = time.as_secs_f64() * 1e3;
            println!(
                "| {} | {} | {bytes} | {dssim:.5} | {ms:.0} | {:.0} |",
                codec.name,
                if codec.lossless {
                    "-".into()
                } else {
                    format!("q{q}")
                },
                ms / megapixels
            );
            match totals.iter_mut().find(|t| t.name == codec.name) {
                Some(t) => {
                    t.bytes += bytes;
                    t.ms += ms;
                    t.megapixels += megapixels;
                    t.images += 1;
                }
                None => totals.push(Total {
                    name: codec.name,
                    bytes,
                    ms,
                    megapixels,
                    images: 1,
                }),
            }
        }
        println!();
    }
    println!("## all images");
    println!("| encoder | images | total bytes | ms/MP |");
    println!("|---|---:|---:|---:|");
    for t in &totals {
        println!(
            "| {} | {} | {} | {:.0} |",
            t.name,
            t.images,
            t.bytes,
            t.ms / t.megapixels
        );
    }
}

struct Total {
    name: &'static str,
    bytes: usize,
    ms: f64,
    megapixels: f64,
    images: usize,
}

/// Alpha over white: the photos have none, and the screenshot's is fully opaque.
fn flatten(img: &DynamicImage) -> RgbImage {
    let rgba = img.to_rgba8();
    let mut out = RgbImage::new(rgba.width(), rgba.height());
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u32::from(p[3]);
        for c in 0..3 {
            o[c] = ((u32::from(p[c]) * a + 255 * (255 - a) + 127) / 255) as u8;
        }
    }
    out
}

/// Times the resizers on this image and returns fast_image_resize's Lanczos3 copy.
fn resize_rows(rgb: &RgbImage) -> RgbImage {
    let w = WIDTH.min(rgb.width());
    let h = ((u64::from(rgb.height()) * u64::from(w) + u64::from(rgb.width()) / 2)
        / u64::from(rgb.width()))
    .max(1) as u32;
    let (fir_l3, t_fir_l3) =
        timed(|| codecs::fir(rgb, w, h, fast_image_resize::FilterType::Lanczos3));
    let (fir_cr, t_fir_cr) =
        timed(|| codecs::fir(rgb, w, h, fast_image_resize::FilterType::CatmullRom));
    let (img_l3, t_img_l3) =
        timed(|| image::imageops::resize(rgb, w, h, image::imageops::FilterType::Lanczos3));
    let (_, t_img_cr) =
        timed(|| image::imageops::resize(rgb, w, h, image::imageops::FilterType::CatmullRom));
    let same = codecs::Metric::new(&fir_l3).dssim(&img_l3);
    let ms = |t: Duration| t.as_secs_f64() * 1e3;
    println!(
        "resize ms: fast_image_resize Lanczos3 {:.1}, CatmullRom {:.1}; image::imageops \
         Lanczos3 {:.1}, CatmullRom {:.1} (DSSIM between the two Lanczos3 copies {same:.6}; \
         fir CatmullRom vs Lanczos3 {:.6})\n",
        ms(t_fir_l3),
        ms(t_fir_cr),
        ms(t_img_l3),
        ms(t_img_cr),
        codecs::Metric::new(&fir_l3).dssim(&fir_cr),
    );
    fir_l3
}

/// libwebp and jpeg-encoder at each of `qualities`: bytes, DSSIM and time.
fn fixed_rows(img: &RgbImage, reference: &codecs::Metric, qualities: &[u8], megapixels: f64) {
    println!("| encoder | setting | bytes | DSSIM | encode ms | ms/MP |");
    println!("|---|---|---:|---:|---:|---:|");
    for codec in codecs::all()
        .into_iter()
        .filter(|c| c.name.contains("libwebp") || c.name.contains("jpeg-encoder"))
    {
        let qs: Vec<u8> = if codec.lossless {
            vec![100]
        } else {
            qualities.to_vec()
        };
        for q in qs {
            let (bytes, time) = timed(|| (codec.encode)(img, q));
            let dssim = reference.dssim(&(codec.decode)(&bytes));
            let ms = time.as_secs_f64() * 1e3;
            println!(
                "| {} | q{q} | {} | {dssim:.5} | {ms:.0} | {:.0} |",
                codec.name,
                bytes.len(),
                ms / megapixels
            );
        }
    }
}

/// The smallest-quality setting (1..=100) whose output reaches `TARGET`, with its size,
/// DSSIM and encode time. Quality is monotonic enough in every encoder for a bisection.
fn search(
    codec: &codecs::Codec,
    img: &RgbImage,
    reference: &codecs::Metric,
) -> Option<(u8, usize, f64, Duration)> {
    let (mut lo, mut hi) = (1u8, 100u8);
    let mut best: Option<(u8, Vec<u8>, f64)> = None;
    while lo <= hi {
        let q = lo + (hi - lo) / 2;
        let bytes = (codec.encode)(img, q);
        let dssim = reference.dssim(&(codec.decode)(&bytes));
        if dssim <= TARGET {
            best = Some((q, bytes, dssim));
            if q == 1 {
                break;
            }
            hi = q - 1;
        } else {
            lo = q + 1;
        }
    }
    let (q, bytes, dssim) = best?;
    let runs = if codec.avif { 1 } else { 3 };
    let time = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box((codec.encode)(img, q));
            start.elapsed()
        })
        .min()
        .unwrap_or_default();
    Some((q, bytes.len(), dssim, time))
}

/// The value and the fastest of three runs of `f`.
fn timed<T>(mut f: impl FnMut() -> T) -> (T, Duration) {
    let mut best = Duration::MAX;
    let mut value = None;
    for _ in 0..3 {
        let start = Instant::now();
        let v = f();
        best = best.min(start.elapsed());
        value = Some(v);
    }
    (value.expect("ran"), best)
}
