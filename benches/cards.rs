//! Social card rendering cost: renders a set of sample cards (a short title, a typical
//! one, one that needs the smallest size, one cut short, a result page, markup, other
//! scripts, no text) and prints the median time of each over N runs, and the PNG size.
//! With a folder, also writes the samples there as PNGs to look at.
//!
//!     cargo bench --bench cards -- [folder] [runs]
//!
//! Then renders 40 distinct cards through `render_all` into an empty cache (all cores),
//! and again (every card read back from the cache).

use std::time::{Duration, Instant};

use sheaf::testing::{Card, CardCache, render_all, render_png};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let out = args.first().map(std::path::PathBuf::from);
    let runs: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(20);
    if let Some(out) = &out {
        std::fs::create_dir_all(out).expect("samples folder");
    }
    let site = "Small Steps";
    let samples = [
        (
            "short",
            "Know your week",
            "Five questions, two minutes, one plan.",
        ),
        (
            "typical",
            "What's my priority today?",
            "Three minutes to choose between messages, networking and the algorithm.",
        ),
        (
            "result",
            "I got Connector: make one introduction",
            "Result of “What's my priority today?” — take the worksheet",
        ),
        (
            "long",
            "A slightly overlong title about choosing between sending personal messages, \
             making introductions and posting for reach",
            "A description that runs on for a while, as descriptions written for search \
             engines tend to do, well past what fits on two lines of a card at this size.",
        ),
        (
            "truncated",
            &"The title that would not end, and went on, and on, ".repeat(6),
            "",
        ),
        (
            "markup",
            r#"<script>alert("hi")</script> & 'quotes' — Ünïcödé"#,
            "<b>not bold</b> &amp; not an entity",
        ),
        (
            "scripts",
            "今日の優先事項 · עברית · العربية · Ελληνικά · 🎉",
            "Кириллица и латиница",
        ),
        ("empty", "", ""),
    ];
    println!("{:<10} {:>9} {:>9}", "card", "median", "png");
    for (name, title, line) in samples {
        let card = Card {
            title: title.to_string(),
            site: site.to_string(),
            line: line.to_string(),
        };
        let mut times: Vec<Duration> = Vec::with_capacity(runs);
        let mut png = Vec::new();
        for _ in 0..runs.max(1) {
            let start = Instant::now();
            png = render_png(&card).expect("renders");
            times.push(start.elapsed());
        }
        times.sort();
        let median = times[times.len() / 2];
        println!(
            "{name:<10} {:>6.1} ms {:>7} B",
            median.as_secs_f64() * 1e3,
            png.len()
        );
        if let Some(out) = &out {
            std::fs::write(out.join(format!("{name}.png")), &png).expect("write sample");
        }
    }

    let cards: Vec<Card> = (0..40)
        .map(|i| Card {
            title: format!("Worksheet number {i}: what to do next"),
            site: site.to_string(),
            line: "Five questions, two minutes, one plan for the week.".to_string(),
        })
        .collect();
    let dir = tempfile::tempdir().expect("temp folder");
    let cache = CardCache::new(dir.path());
    for pass in ["cold", "warm"] {
        let start = Instant::now();
        let results = render_all(&cache, &cards);
        let elapsed = start.elapsed();
        assert!(results.iter().all(Result::is_ok));
        println!(
            "render_all, 40 cards, {pass} cache: {:.0} ms ({} threads, {} rendered so far)",
            elapsed.as_secs_f64() * 1e3,
            rayon::current_num_threads(),
            cache.renders()
        );
    }
}
