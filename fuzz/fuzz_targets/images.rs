//! Image headers and pixels: `probe` on any bytes, and, for what it accepts as small enough,
//! `render` of a small copy and of a cropped one. Neither may panic; a probed size must be
//! non-zero, and a rendered copy must have the size it was asked for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sheaf::testing::{OutputFormat, VariantSpec, probe, render};

fuzz_target!(|data: &[u8]| {
    let Ok(info) = probe(data) else {
        return;
    };
    assert!(info.width > 0 && info.height > 0);
    // Decoding a large claimed size is slow by design (up to the 100-megapixel limit).
    if u64::from(info.width) * u64::from(info.height) > 1 << 20 {
        return;
    }
    for (crop, format) in [(false, OutputFormat::Webp { quality: 50 }), (true, OutputFormat::Png)] {
        let spec = VariantSpec {
            width: 9,
            height: 5,
            format,
            crop,
            suffix: "fuzz".into(),
        };
        if let Ok(bytes) = render(data, &spec) {
            let copy = probe(&bytes).expect("a rendered copy probes");
            assert_eq!((copy.width, copy.height), (9, 5));
        }
    }
});
