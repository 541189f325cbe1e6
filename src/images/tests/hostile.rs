//! No input panics: random bytes, truncations and bit flips of real images go through
//! `probe` and `render`, which may fail but must return.

use proptest::prelude::*;

use super::*;
use crate::images::{OutputFormat, VariantSpec, probe, render};

fn seeds() -> Vec<Vec<u8>> {
    let img = picture(24, 16);
    vec![
        png(&img),
        jpeg_with_orientation(&img, 6, true),
        gif(2, 8, 8),
        testdata("lossy-64x48.webp"),
        testdata("animated-64x48.webp"),
        testdata("still-64x48.avif"),
        testdata("irot-64x48.avif"),
        br#"<?xml version="1.0"?><svg width="10" viewBox="0 0 4 3"/>"#.to_vec(),
    ]
}

fn small_spec() -> VariantSpec {
    VariantSpec {
        width: 7,
        height: 5,
        format: OutputFormat::Webp { quality: 50 },
        crop: true,
        suffix: "t".into(),
    }
}

#[test]
fn every_truncation_of_every_seed_returns() {
    let spec = small_spec();
    for seed in seeds() {
        for len in 0..seed.len() {
            let _ = probe(&seed[..len]);
            // Rendering decodes: every 7th length keeps the test fast.
            if len % 7 == 0 {
                let _ = render(&seed[..len], &spec);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = probe(&bytes);
        let _ = render(&bytes, &small_spec());
    }

    #[test]
    fn flipped_bytes_in_real_images_never_panic(
        which in 0usize..8,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = seeds().swap_remove(which);
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let _ = probe(&bytes);
        let _ = render(&bytes, &small_spec());
    }

    #[test]
    fn random_headers_after_a_signature_never_panic(
        which in 0usize..6,
        tail in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let signatures: [&[u8]; 6] = [
            b"\x89PNG\r\n\x1a\n",
            &[0xFF, 0xD8, 0xFF],
            b"GIF89a",
            b"RIFF\0\0\0\0WEBP",
            b"\0\0\0\x1cftypavif",
            b"<svg ",
        ];
        let mut bytes = signatures[which].to_vec();
        bytes.extend_from_slice(&tail);
        let _ = probe(&bytes);
        let _ = render(&bytes, &small_spec());
    }
}
