//! No input panics: truncated and randomly mutated blocks and headers, odd offsets. Every
//! diagnostic that comes back points at a real line of the file.
//!
//! For a longer run: `WS_FUZZ_ROUNDS=30000 WS_FUZZ_SEED=7 cargo test --release fuzz`;
//! `WS_FUZZ_SLOW=1` (with `--nocapture`) prints inputs taking over 100 ms, and
//! `WS_FUZZ_TRACE=file` writes each input there first, so a hang leaves its input behind.

use super::parsing::ALL_TYPES;
use super::*;
use crate::worksheet::{NotAWorksheet, PageWorksheet, parse_header};

/// xorshift64*: deterministic, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: [&str; 40] = [
    "-",
    ":",
    ": ",
    " ",
    "\n",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    "#",
    "&a ",
    "*a",
    "!!str ",
    "|",
    ">",
    "\t",
    "ü",
    "\r\n",
    "0",
    "-1",
    "1e999",
    ".nan",
    "~",
    "null",
    "type",
    "options",
    "id",
    "score",
    "min",
    "max",
    "999999999999999999999",
    "  ",
    "scale",
    "correct",
    ",",
    "<script>",
    "- id: q\n",
    "\u{0}",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut s = text.to_string();
    for _ in 0..1 + rng.below(4) {
        let mut at = rng.below(s.len() + 1);
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        match rng.below(3) {
            0 => s.insert_str(at, TOKENS[rng.below(TOKENS.len())]),
            1 => {
                let mut end = (at + 1 + rng.below(12)).min(s.len());
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                s.replace_range(at..end, "");
            }
            _ => {
                let line_start = s[..at].rfind('\n').map_or(0, |i| i + 1);
                let line_end = s[at..].find('\n').map_or(s.len(), |i| at + i + 1);
                let line = s[line_start..line_end].to_string();
                s.insert_str(line_start, &line);
            }
        }
    }
    s
}

/// Front-matter lines end with a newline, so the page's closing `---` stays a line.
fn line(text: &str) -> String {
    if text.is_empty() || text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    }
}

/// Builds `source`; whatever comes back must be well-formed.
fn check(source: &str) {
    if let Some(path) = std::env::var_os("WS_FUZZ_TRACE") {
        // To find an input that hangs: the last one written is it.
        let _ = std::fs::write(path, source);
    }
    let start = std::time::Instant::now();
    let result = std::panic::catch_unwind(|| build(source));
    if std::env::var_os("WS_FUZZ_SLOW").is_some() && start.elapsed().as_millis() > 100 {
        eprintln!("SLOW {:?}:\n{source}\n=====", start.elapsed());
    }
    let Ok(result) = result else {
        panic!("panicked on:\n{source}");
    };
    let diagnostics = match result {
        Ok((html, w)) => {
            assert!(!html.contains("</script><"), "{source}");
            w.warnings
        }
        Err(ds) => {
            assert!(
                ds.iter().any(Diagnostic::is_error),
                "an error result has an error: {source}"
            );
            ds
        }
    };
    let lines: Vec<&str> = source.split('\n').collect();
    for d in diagnostics {
        let l = d.location.as_ref().expect("located");
        if l.line == 0 {
            continue;
        }
        assert!(l.line <= lines.len(), "{d}\n{source}");
        assert_eq!(
            l.line_text,
            lines[l.line - 1].trim_end_matches('\r'),
            "{d}\n{source}"
        );
        let _ = d.render(false);
    }
}

#[test]
fn truncated_blocks() {
    for header in [
        TOP.to_string(),
        bands_header("      - { max: 3, title: A, body: x }\n"),
    ] {
        let mut end = 0;
        while end <= ALL_TYPES.len() {
            check(&block_page(&header, &ALL_TYPES[..end]));
            end += 7;
        }
    }
}

#[test]
fn truncated_headers() {
    let mut end = 0;
    while end <= TOP.len() {
        check(&block_page(
            &line(&TOP[..end]),
            "- { id: q, type: text, prompt: P }\n",
        ));
        end += 3;
    }
}

#[test]
fn mutated_blocks_and_headers() {
    let seed = std::env::var("WS_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_cafe_f00d_1234);
    let mut rng = Rng(seed);
    let bands = bands_header(
        "      - { max: 3, title: A, body: x }\n      - { min: 4, max: 9, title: B, body: y }\n",
    );
    let scored = "- id: q\n  type: single\n  prompt: P\n  options:\n    - { id: a, label: A, score: 1 }\n    - { id: b, label: B, score: 3 }\n- id: s\n  type: scale\n  prompt: S\n  scale: { min: 0, max: 2 }\n  score: 3\n";
    let rounds = std::env::var("WS_FUZZ_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(600);
    for round in 0..rounds {
        let block = mutate(&mut rng, ALL_TYPES);
        check(&block_page(TOP, &block));
        let block = mutate(&mut rng, scored);
        check(&block_page(&bands, &block));
        if round % 3 == 0 {
            let header = line(&mutate(&mut rng, TOP));
            check(&block_page(&header, ALL_TYPES));
            let header = line(&mutate(&mut rng, &bands));
            check(&block_page(&header, scored));
        }
    }
}

#[test]
fn odd_offsets_and_sources() {
    let source = block_page(TOP, "- { id: q, type: text, prompt: P }\n");
    let (yaml, _) = (
        source.find('\n').unwrap() + 1..source.find("\n---").unwrap() + 1,
        0,
    );
    let header = parse_header(Path::new(FILE), &source, yaml).unwrap();
    let page = PageWorksheet::new(header, Path::new(FILE), &source);
    // Offsets past the end, inside a character, or not matching the text (as inside a list).
    for offset in [0, 1, source.len(), source.len() + 100, usize::MAX / 2] {
        let r = page.render(
            "worksheet",
            "- { id: a, type: txt, prompt: P }\n  x: [",
            offset,
        );
        assert!(matches!(r, Some(Err(_))));
    }
    assert!(page.render("rust", "fn main() {}", 0).is_none());
    let not = NotAWorksheet::new(Path::new(FILE), "é```worksheet\n");
    for offset in [0, 1, 2, 100] {
        assert!(matches!(
            not.render("worksheet x", "", offset),
            Some(Err(_))
        ));
    }
    // Header ranges out of bounds.
    let _ = parse_header(Path::new(FILE), "é", 0..100);
    let _ = parse_header(Path::new(FILE), "é", 1..2);
}

#[test]
fn alias_bombs_in_blocks_are_refused() {
    let mut yaml = String::from(
        "- id: q\n  type: text\n  prompt: &a P\n  x0: &x0 [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
    );
    for i in 1..10 {
        let p = i - 1;
        yaml.push_str(&format!(
            "  x{i}: &x{i} [*x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}]\n"
        ));
    }
    let errs = errors(&block_page(TOP, &yaml));
    assert!(!errs.is_empty());
}
