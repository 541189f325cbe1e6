//! A generated chart: flat fills, thin anti-aliased lines and hard edges, the kind of image
//! that blurs or rings where a photo would not. Drawn at 4x and box-filtered down, so edges
//! are anti-aliased as a browser's screenshot would be.

use image::{Rgb, RgbImage};

const SCALE: u32 = 4;

pub fn draw(width: u32, height: u32) -> RgbImage {
    let (w, h) = (width * SCALE, height * SCALE);
    let mut big = RgbImage::from_pixel(w, h, Rgb([250, 250, 247]));
    let ink = Rgb([40, 40, 48]);
    let margin = 120 * SCALE;
    // Axes and a grid.
    fill(&mut big, margin, h - margin, w - margin, 3 * SCALE, ink);
    fill(&mut big, margin, margin, 3 * SCALE, h - 2 * margin, ink);
    for i in 1..10 {
        let y = h - margin - i * (h - 2 * margin) / 10;
        fill(
            &mut big,
            margin,
            y,
            w - 2 * margin,
            SCALE,
            Rgb([215, 215, 220]),
        );
        // A "label": a row of small blocks like text.
        for j in 0..5 {
            fill(
                &mut big,
                margin - 90 * SCALE + j * 14 * SCALE,
                y - 6 * SCALE,
                9 * SCALE,
                12 * SCALE,
                ink,
            );
        }
    }
    // Bars in four flat colours.
    let colours = [
        Rgb([31, 119, 180]),
        Rgb([255, 127, 14]),
        Rgb([44, 160, 44]),
        Rgb([214, 39, 40]),
    ];
    let bars = 24;
    let slot = (w - 2 * margin) / bars;
    for b in 0..bars {
        let value = 0.2
            + 0.75
                * (0.5 + 0.5 * ((b as f64) * 0.7).sin())
                * (0.6 + 0.4 * ((b as f64) * 0.23).cos());
        let top = h - margin - (value * f64::from(h - 2 * margin)) as u32;
        fill(
            &mut big,
            margin + b * slot + slot / 6,
            top,
            slot * 2 / 3,
            h - margin - top,
            colours[(b % 4) as usize],
        );
    }
    // Two thin curves over the bars.
    for (k, colour) in [(1.0, Rgb([20, 20, 20])), (2.3, Rgb([148, 103, 189]))] {
        let mut x = margin;
        while x < w - margin {
            let t = f64::from(x - margin) / f64::from(w - 2 * margin);
            let y = f64::from(h) * (0.45 + 0.25 * (t * 6.0 * k).sin() * (1.0 - t * 0.5));
            fill(&mut big, x, y as u32, SCALE, 3 * SCALE, colour);
            x += 1;
        }
    }
    image::imageops::resize(&big, width, height, image::imageops::FilterType::Triangle)
}

fn fill(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, colour: Rgb<u8>) {
    for yy in y..(y + h).min(img.height()) {
        for xx in x..(x + w).min(img.width()) {
            img.put_pixel(xx, yy, colour);
        }
    }
}
