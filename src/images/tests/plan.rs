//! The plans: widths, heights, formats and names, decided without pixels.

use crate::images::{
    Format, ImageInfo, ImageSettings, OutputFormat, SOCIAL_SIZE, VariantSpec, social_plan,
    variant_plan,
};

fn info(width: u32, height: u32, format: Format) -> ImageInfo {
    ImageInfo {
        width,
        height,
        format,
        animated: false,
        orientation: 1,
    }
}

fn widths(specs: &[VariantSpec]) -> Vec<(u32, u32)> {
    specs.iter().map(|s| (s.width, s.height)).collect()
}

#[test]
fn widths_below_the_image_then_its_own_never_enlarged() {
    let s = ImageSettings::default();
    let plan = variant_plan(&info(4000, 3000, Format::Jpeg), &s);
    assert_eq!(
        widths(&plan),
        [(480, 360), (960, 720), (1600, 1200), (4000, 3000)]
    );
    assert_eq!(
        widths(&variant_plan(&info(1000, 333, Format::Png), &s)),
        [(480, 160), (960, 320), (1000, 333)]
    );
    // Exactly a listed width: not listed twice.
    assert_eq!(
        widths(&variant_plan(&info(960, 540, Format::Png), &s)),
        [(480, 270), (960, 540)]
    );
    assert_eq!(
        widths(&variant_plan(&info(300, 200, Format::Png), &s)),
        [(300, 200)]
    );
    // Heights round to nearest and are at least 1.
    assert_eq!(
        widths(&variant_plan(&info(5000, 1, Format::Png), &s))[0],
        (480, 1)
    );
}

#[test]
fn every_copy_is_webp_named_beside_the_original() {
    let s = ImageSettings::default();
    let plan = variant_plan(&info(2000, 1000, Format::Jpeg), &s);
    assert!(plan.iter().all(|p| p.format
        == OutputFormat::Webp {
            quality: s.photo_quality
        }
        && !p.crop));
    assert_eq!(plan[0].file_name("img/pic.jpg"), "img/pic.w480.webp");
    assert_eq!(plan[0].file_name("a.b/pic"), "a.b/pic.w480.webp");
    assert_eq!(plan[0].file_name(".hidden"), ".hidden.w480.webp");
    let graphic = variant_plan(&info(2000, 1000, Format::Png), &s);
    assert_eq!(
        graphic[0].format,
        OutputFormat::Webp {
            quality: s.graphic_quality
        }
    );
}

#[test]
fn webp_sources_get_no_copy_at_their_own_width() {
    let plan = variant_plan(
        &info(1200, 800, Format::WebpLossy),
        &ImageSettings::default(),
    );
    assert_eq!(widths(&plan), [(480, 320), (960, 640)]);
}

#[test]
fn nothing_for_svg_avif_animations_or_webp_beyond_its_limit() {
    let s = ImageSettings::default();
    for format in [Format::Svg, Format::Avif] {
        assert!(variant_plan(&info(3000, 2000, format), &s).is_empty());
    }
    let mut gif = info(800, 600, Format::Gif);
    gif.animated = true;
    assert!(variant_plan(&gif, &s).is_empty());
    // 20,000 px wide: no copy at its own width (WebP stops at 16,383), resized ones made.
    assert_eq!(variant_plan(&info(20000, 1000, Format::Png), &s).len(), 3);
    // Very tall: a resized copy taller than WebP allows is skipped.
    assert_eq!(
        widths(&variant_plan(&info(2000, 40000, Format::Png), &s)),
        [(480, 9600)]
    );
}

#[test]
fn the_plan_is_deterministic_and_the_settings_order_does_not_matter() {
    let shuffled = ImageSettings {
        widths: vec![1600, 480, 960, 480],
        ..ImageSettings::default()
    };
    let a = variant_plan(&info(3000, 2000, Format::Jpeg), &shuffled);
    let b = variant_plan(&info(3000, 2000, Format::Jpeg), &ImageSettings::default());
    assert_eq!(a, b);
}

#[test]
fn social_copy_is_cropped_to_the_card_size_and_says_when_enlarged() {
    let s = ImageSettings::default();
    let photo = social_plan(&info(4000, 3000, Format::Jpeg), &s).unwrap();
    assert_eq!((photo.spec.width, photo.spec.height), SOCIAL_SIZE);
    assert!(photo.spec.crop);
    assert_eq!(
        photo.spec.format,
        OutputFormat::Jpeg {
            quality: s.social_quality
        }
    );
    assert_eq!(photo.spec.file_name("pic.jpeg"), "pic.social.jpg");
    assert_eq!(photo.enlarged, None);
    let small = social_plan(&info(800, 600, Format::Png), &s).unwrap();
    // A PNG source too: a photo stored as PNG made a 1.1 MB PNG copy.
    assert_eq!(
        small.spec.format,
        OutputFormat::Jpeg {
            quality: s.social_quality
        }
    );
    assert_eq!(small.spec.file_name("shot.png"), "shot.social.jpg");
    // 627 / 600 is less than 1200 / 800: the width decides.
    assert_eq!(small.enlarged, Some(1.5));
    assert!(social_plan(&info(800, 600, Format::Svg), &s).is_none());
}
