use std::collections::HashSet;

use super::design::{lay_out, svg};
use super::*;

fn card(title: &str, line: &str) -> Card {
    Card {
        title: title.into(),
        site: "Small Steps".into(),
        line: line.into(),
    }
}

/// Decodes a card and returns its RGB pixels, checking the format on the way.
fn pixels(png: &[u8]) -> Vec<[u8; 3]> {
    let decoder = ::png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buf).expect("decodes");
    assert_eq!((frame.width, frame.height), (1200, 627));
    assert_eq!(frame.color_type, ::png::ColorType::Rgb);
    buf[..frame.buffer_size()]
        .chunks_exact(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect()
}

/// Pixels dark enough to be title text (the theme's text colour is #1d1f23).
fn dark(px: &[[u8; 3]]) -> usize {
    px.iter().filter(|p| p.iter().all(|&c| c < 80)).count()
}

fn rendered(card: &Card) -> Vec<[u8; 3]> {
    pixels(&render_png(card).expect("renders"))
}

#[test]
fn renders_a_1200x627_png_with_text() {
    let px = rendered(&card(
        "What's my priority today?",
        "Three minutes to choose.",
    ));
    let colours: HashSet<[u8; 3]> = px.iter().copied().collect();
    assert!(colours.len() > 50, "{} colours", colours.len());
    assert!(dark(&px) > 5_000, "{} dark pixels", dark(&px));
}

#[test]
fn rendering_is_deterministic() {
    let c = card("Same card, same bytes", "so builds are reproducible");
    assert_eq!(render_png(&c).unwrap(), render_png(&c).unwrap());
}

#[test]
fn markup_in_text_is_drawn_as_text() {
    let title = r#"<script>alert("x")</script> & 'quotes' ]]> <!--"#;
    let c = card(title, "<b>not bold</b> &amp;");
    let doc = svg(&lay_out(&c));
    assert!(!doc.contains("<script>") && !doc.contains("<b>") && !doc.contains("<!--"));
    assert!(doc.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    assert!(doc.contains("&amp;amp;"));
    let px = rendered(&c);
    assert!(dark(&px) > 5_000, "the title was drawn");
}

#[test]
fn long_titles_shrink_then_end_in_an_ellipsis() {
    let short = lay_out(&card("Short", ""));
    assert_eq!((short.title.len(), short.title_size), (1, 84.0));

    let medium = "How to choose between sending messages, making introductions and posting";
    let medium = lay_out(&card(medium, ""));
    assert!(medium.title.len() <= 3 && medium.title_size >= 64.0);
    assert!(!medium.title.concat().contains('…'));

    let words = "worksheet ".repeat(300);
    let long = lay_out(&card(&words, &words));
    assert_eq!((long.title.len(), long.title_size), (3, 64.0));
    assert!(long.title[2].ends_with('…'), "{:?}", long.title);
    assert_eq!(long.line.len(), 2);
    assert!(long.line[1].ends_with('…'));
    assert!(dark(&rendered(&card(&words, &words))) > 20_000);
}

#[test]
fn one_long_word_is_broken() {
    let url = "https://example.com/".to_string() + &"a-very-long-path-segment/".repeat(20);
    let laid = lay_out(&card(&url, &url));
    assert_eq!(laid.title.len(), 3);
    assert!(laid.title[2].ends_with('…'));
    rendered(&card(&url, &url));
}

#[test]
fn empty_text_renders_a_card_anyway() {
    // No title: the site's name takes its place.
    let laid = lay_out(&card("", ""));
    assert_eq!(laid.title, ["Small Steps"]);
    assert!(dark(&rendered(&card(" \n\t ", "\u{0}\u{1b}[31m"))) > 5_000);
    // Nothing at all: the frame, the mark and the band.
    let empty = Card {
        title: String::new(),
        site: String::new(),
        line: String::new(),
    };
    let px = rendered(&empty);
    assert!(dark(&px) < 100, "no text");
    assert!(
        px.iter().collect::<HashSet<_>>().len() > 10,
        "mark and band"
    );
}

#[test]
fn any_script_renders_without_panicking() {
    for title in [
        "Ça va? Ünïcödé açcents, Ελληνικά, Кириллица",
        "今日の優先事項は何ですか？ 三分で選ぶ",
        "ما هي أولويتي اليوم؟",
        "מה העדיפות שלי היום?",
        "Mixed עברית and English العربية 123",
        "Emoji 🎉🚀 and ZWJ 👩‍👩‍👧 and flags 🇫🇷",
        "Combining e\u{301}\u{301}\u{301} and bidi \u{202E}override\u{202C} and \u{200B}zwsp",
    ] {
        let px = rendered(&card(title, title));
        assert!(dark(&px) > 1_000, "{title}: something was drawn");
    }
    // Characters the font lacks are drawn as squares, one per character.
    let laid = lay_out(&card("日本語 & עברית", "🎉"));
    assert_eq!(laid.title, ["□□□ & □□□□□"]);
    assert_eq!(laid.line, ["□"]);
}

#[test]
fn cache_renders_once_and_survives_a_new_build() {
    let dir = tempfile::tempdir().unwrap();
    let cache = CardCache::new(dir.path().join("cards"));
    let c = card("Cached", "once");
    let (first, rendered) = cache.get_or_render(&c).unwrap();
    assert!(rendered);
    let (second, rendered) = cache.get_or_render(&c).unwrap();
    assert!(!rendered);
    assert_eq!(first, second);
    assert_eq!(cache.renders(), 1);

    // A later build, with a cache of its own over the same folder.
    let next = CardCache::new(dir.path().join("cards"));
    assert!(!next.get_or_render(&c).unwrap().1);
    assert!(next.get_or_render(&card("Cached", "twice")).unwrap().1);
    assert_eq!(next.renders(), 1);
    let names: Vec<_> = std::fs::read_dir(dir.path().join("cards"))
        .unwrap()
        .collect();
    assert_eq!(names.len(), 2, "no temporary files left behind");
}

#[test]
fn keys_separate_fields() {
    let a = Card {
        title: "ab".into(),
        site: "c".into(),
        line: String::new(),
    };
    let b = Card {
        title: "a".into(),
        site: "bc".into(),
        line: String::new(),
    };
    assert_ne!(CardCache::key(&a), CardCache::key(&b));
    assert_eq!(CardCache::key(&a), CardCache::key(&a.clone()));
}

#[test]
fn damaged_entries_are_rendered_again() {
    let dir = tempfile::tempdir().unwrap();
    let cache = CardCache::new(dir.path());
    let c = card("Damaged", "entry");
    let (good, _) = cache.get_or_render(&c).unwrap();
    let path = cache.path(&c);
    for bad in [&b"not a png"[..], &good[..good.len() / 2], &[][..]] {
        std::fs::write(&path, bad).unwrap();
        let (png, rendered) = cache.get_or_render(&c).unwrap();
        assert!(rendered);
        assert_eq!(png, good);
        assert_eq!(std::fs::read(&path).unwrap(), good);
    }
}

#[test]
fn render_all_keeps_order_and_shares_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let cache = CardCache::new(dir.path());
    let cards: Vec<Card> = (0..6).map(|i| card(&format!("Card {i}"), "line")).collect();
    let results = render_all(&cache, &cards);
    for (c, result) in cards.iter().zip(&results) {
        let (png, rendered) = result.as_ref().unwrap();
        assert!(rendered);
        assert_eq!(png, &render_png(c).unwrap());
    }
    assert!(
        render_all(&cache, &cards)
            .iter()
            .all(|r| !r.as_ref().unwrap().1)
    );
    assert_eq!(cache.renders(), 6);
}

#[test]
fn concurrent_builds_leave_whole_files() {
    let dir = tempfile::tempdir().unwrap();
    let c = card("Two builds", "at once");
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                let cache = CardCache::new(dir.path());
                cache.get_or_render(&c).unwrap();
            });
        }
    });
    let cache = CardCache::new(dir.path());
    assert!(!cache.get_or_render(&c).unwrap().1);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn an_unwritable_cache_still_gives_the_card_and_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a file");
    std::fs::write(&file, "").unwrap();
    let cache = CardCache::new(file.join("cards"));
    assert_eq!(cache.store_error(), None);
    let (png, rendered) = cache.get_or_render(&card("x", "y")).unwrap();
    assert!(rendered && png.starts_with(b"\x89PNG"));
    let error = cache.store_error().expect("the failed store is remembered");
    assert!(error.contains("a file"), "{error}");
}

#[test]
fn measured_lines_stay_inside_the_margins() {
    // Wide letters, a long word, a long line: the text measured to fit must be drawn
    // to fit, so nothing dark reaches the 80 px right margin.
    for title in [
        "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
        "Mmm mmm mmm mmm mmm mmm mmm mmm mmm mmm mmm mmm mmm mmm mmm",
        "Wrapped: https://example.com/worksheets/todays-priority/result/connector/",
    ] {
        let px = rendered(&card(title, &title.repeat(3)));
        let in_margin = px
            .iter()
            .enumerate()
            .filter(|(i, p)| i % 1200 >= 1200 - 76 && i / 1200 < 600 && p[0] < 160)
            .count();
        assert_eq!(in_margin, 0, "{title}");
    }
}
