//! `by: bands`: reachable totals and coverage. The `bands:` key is at line 8, column 5.

use super::*;

fn bands_page(bands: &str, yaml: &str) -> String {
    block_page(&bands_header(bands), yaml)
}

fn band(spec: &str) -> String {
    format!("      - {{ {spec} }}\n")
}

/// One single question scoring 0, 1, 2 or 3.
const ZERO_TO_THREE: &str = "- id: q\n  type: single\n  prompt: P\n  options:\n    - { id: a, label: A, score: 0 }\n    - { id: b, label: B, score: 1 }\n    - { id: c, label: C, score: 2 }\n    - { id: d, label: D, score: 3 }\n";

/// The results' `[min, max]` in the definition.
fn ranges(html: &str) -> Vec<(i64, i64)> {
    let json = definition(html);
    json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["min"].as_i64().unwrap(), r["max"].as_i64().unwrap()))
        .collect()
}

pub(super) fn definition(html: &str) -> serde_json::Value {
    let start = html.find("id=\"ws-definition\">").unwrap() + "id=\"ws-definition\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[test]
fn exact_cover() {
    let bands = band("max: 1, title: Low, body: Few.") + &band("max: 3, title: High, body: Many.");
    let (html, w) = ok(&bands_page(&bands, ZERO_TO_THREE));
    assert!(w.warnings.is_empty());
    assert_eq!(w.by, crate::worksheet::ResultBy::Bands);
    let keys: Vec<&str> = w.results.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["low", "high"], "keys default to the slugified title");
    assert_eq!(ranges(&html), [(0, 1), (2, 3)]);
}

#[test]
fn gap() {
    let bands = band("max: 1, title: Low, body: x") + &band("min: 3, max: 3, title: High, body: y");
    let d = one_error(
        &bands_page(&bands, ZERO_TO_THREE),
        8,
        5,
        "total 2 is not covered by any band; the reachable range is 0–3",
    );
    assert_eq!(d.location.unwrap().width, 5);
}

#[test]
fn gap_at_the_top_as_in_the_spec() {
    let yaml = "- id: q\n  type: checklist\n  prompt: P\n  options:\n    - { id: a, label: A, score: 1 }\n    - { id: b, label: B, score: 2 }\n    - { id: c, label: C, score: 4 }\n    - { id: d, label: D, score: 8 }\n";
    let bands = band("max: 5, title: Low, body: x") + &band("max: 12, title: High, body: y");
    one_error(
        &bands_page(&bands, yaml),
        8,
        5,
        "totals 13–15 are not covered by any band; the reachable range is 0–15",
    );
}

#[test]
fn several_gaps_are_listed() {
    let bands = band("min: 1, max: 1, title: One, body: x")
        + &band("min: 3, max: 3, title: Three, body: y");
    one_error(
        &bands_page(&bands, ZERO_TO_THREE),
        8,
        5,
        "totals 0 and 2 are not covered by any band",
    );
}

#[test]
fn overlap() {
    let bands = band("max: 2, title: Low, body: x") + &band("min: 2, max: 3, title: High, body: y");
    one_error(
        &bands_page(&bands, ZERO_TO_THREE),
        8,
        5,
        "bands `low` (0–2) and `high` (2–3) overlap: total 2 in both",
    );
}

#[test]
fn above_range_totals_uncovered() {
    let bands = band("max: 1, title: Low, body: x") + &band("max: 2, title: High, body: y");
    one_error(
        &bands_page(&bands, ZERO_TO_THREE),
        8,
        5,
        "total 3 is not covered by any band; the reachable range is 0–3",
    );
}

#[test]
fn unreachable_band_is_a_warning() {
    let bands = band("max: 3, title: All, body: x") + &band("max: 10, title: Never, body: y");
    let (html, w) = ok(&bands_page(&bands, ZERO_TO_THREE));
    assert_eq!(w.warnings.len(), 1);
    let d = &w.warnings[0];
    assert!(!d.is_error());
    assert_eq!(
        d.message,
        "band `never` (4–10) can never be reached; the reachable totals are 0–3"
    );
    let l = d.location.as_ref().unwrap();
    assert_eq!((l.line, l.column), (10, 11));
    assert_eq!(ranges(&html), [(0, 3), (4, 10)]);
    // A band between reachable totals is unreachable too.
    let yaml = "- id: q\n  type: single\n  prompt: P\n  options:\n    - { id: a, label: A, score: 2 }\n    - { id: b, label: B, score: 4 }\n";
    let bands = band("max: 0, title: None, body: x")
        + &band("max: 1, title: Odd, body: y")
        + &band("max: 4, title: Some, body: z");
    let (_, w) = ok(&bands_page(&bands, yaml));
    assert_eq!(w.warnings.len(), 1);
    assert!(
        w.warnings[0]
            .message
            .starts_with("band `odd` (1) can never be reached")
    );
}

#[test]
fn bands_out_of_order() {
    let bands = band("max: 3, title: A, body: x") + &band("max: 2, title: B, body: y");
    one_error(
        &bands_page(&bands, ZERO_TO_THREE),
        10,
        16,
        "band `b` ends at 2 but it starts after the previous band's `max` (3)",
    );
    let bands = band("min: 2, max: 1, title: A, body: x");
    let errs = errors(&bands_page(&bands, ZERO_TO_THREE));
    assert_eq!((errs[0].0, errs[0].1), (9, 24), "{errs:#?}");
    assert!(errs[0].2.contains("its `min` is 2"), "{errs:#?}");
}

#[test]
fn band_keys() {
    let bands =
        band("max: 1, title: Low, body: x") + &band("key: low, max: 3, title: Other, body: y");
    one_error(
        &bands_page(&bands, ZERO_TO_THREE),
        10,
        16,
        "two bands have the key `low`",
    );
    let bands = band("max: 1, title: Low, body: x") + &band("max: 3, title: \"LOW!\", body: y");
    one_error(
        &bands_page(&bands, ZERO_TO_THREE),
        10,
        26,
        "two bands have the key `low`",
    );
    let bands = band("max: 3, title: \"???\", body: x");
    one_error(
        &bands_page(&bands, ZERO_TO_THREE),
        9,
        26,
        "this band's title gives no URL key",
    );
    let bands = band("key: Low, max: 3, title: A, body: x");
    one_error(
        &bands_page(&bands, ZERO_TO_THREE),
        9,
        16,
        "`Low` is not a valid key",
    );
    let bands = band("max: 3, title: A, body: x, colour: red");
    one_error(
        &bands_page(&bands, ZERO_TO_THREE),
        9,
        38,
        "unknown worksheet key `colour`",
    );
}

#[test]
fn negative_scores_and_scales_combine() {
    let yaml = "- id: a\n  type: single\n  prompt: P\n  options:\n    - { id: x, label: X, score: -2 }\n    - { id: y, label: Y, score: 1 }\n- id: b\n  type: scale\n  prompt: Q\n  scale: { min: 1, max: 3 }\n  score: 2\n";
    // {0, -2, 1} + {0, 2, 4, 6} = {-2, 0..=7}: -1 is unreachable.
    let bands = band("max: -1, title: Neg, body: x") + &band("max: 7, title: Pos, body: y");
    let (html, w) = ok(&bands_page(&bands, yaml));
    assert!(w.warnings.is_empty());
    assert_eq!(ranges(&html), [(-2, -1), (0, 7)]);
    let bands = band("max: -2, title: Neg, body: x") + &band("min: 0, max: 6, title: Pos, body: y");
    one_error(&bands_page(&bands, yaml), 8, 5, "total 7 is not covered");
}

#[test]
fn multi_limits_and_rank_orders() {
    let multi = "- id: m\n  type: multi\n  prompt: P\n  min: 2\n  max: 2\n  options:\n    - { id: a, label: A, score: 1 }\n    - { id: b, label: B, score: 2 }\n    - { id: c, label: C, score: 4 }\n";
    // Unanswered 0, two of them (3, 5, 6), and, as worksheet.js scores a choice below
    // `min` as it stands, one of them (1, 2, 4); never all three (7).
    let bands = band("max: 6, title: Some, body: x") + &band("max: 7, title: All, body: y");
    let (_, w) = ok(&bands_page(&bands, multi));
    assert_eq!(w.warnings.len(), 1, "{:?}", w.warnings);
    assert!(
        w.warnings[0]
            .message
            .starts_with("band `all` (7) can never be reached")
    );
    let bands = band("max: 0, title: None, body: x") + &band("min: 3, max: 6, title: Two, body: z");
    one_error(
        &bands_page(&bands, multi),
        8,
        5,
        "totals 1–2 are not covered by any band",
    );
    let rank = "- id: r\n  type: rank\n  prompt: P\n  options:\n    - { id: a, label: A, score: 1 }\n    - { id: b, label: B }\n    - { id: c, label: C }\n";
    // Weight n - position: a first scores 3, last 1; unanswered 0.
    let bands = band("max: 1, title: Low, body: x") + &band("max: 3, title: High, body: y");
    let (_, w) = ok(&bands_page(&bands, rank));
    assert!(w.warnings.is_empty());
    let bands = band("min: 1, max: 3, title: All, body: x");
    one_error(&bands_page(&bands, rank), 8, 5, "total 0 is not covered");
}

#[test]
fn large_scored_rank_is_refused() {
    let mut rank = String::from("- id: r\n  type: rank\n  prompt: P\n  options:\n");
    for i in 0..9 {
        rank.push_str(&format!("    - {{ id: o{i}, label: O, score: {i} }}\n"));
    }
    let bands = band("max: 1000, title: All, body: x");
    one_error(
        &bands_page(&bands, &rank),
        17,
        3,
        "a scored rank question in a bands worksheet can have at most 8 options",
    );
    // Equal scores make every order the same total: fine.
    let equal: String = rank
        .lines()
        .map(|l| match l.find("score: ") {
            Some(i) => format!("{}score: 1 }}\n", &l[..i]),
            None => format!("{l}\n"),
        })
        .collect();
    let bands =
        band("max: 0, title: None, body: x") + &band("min: 45, max: 45, title: All, body: y");
    ok(&bands_page(&bands, &equal));
}

#[test]
fn numbers_need_bounds() {
    let number =
        "- id: n\n  type: number\n  prompt: P\n  min: 0\n  max: 10\n  step: 5\n  score: 1\n";
    let bands = band("max: 4, title: Low, body: x") + &band("max: 10, title: High, body: y");
    let (html, w) = ok(&bands_page(&bands, number));
    assert!(w.warnings.is_empty());
    assert_eq!(ranges(&html), [(0, 4), (5, 10)]);
    let unbounded = "- id: n\n  type: number\n  prompt: P\n  min: 0\n";
    one_error(
        &bands_page(&bands, unbounded),
        16,
        9,
        "number questions need min and max in a bands worksheet",
    );
    let fractional = "- id: n\n  type: number\n  prompt: P\n  min: 0\n  max: 1\n  step: 0.5\n";
    one_error(
        &bands_page(&bands, fractional),
        20,
        9,
        "`step` must be a whole number in a bands worksheet",
    );
}

#[test]
fn scores_are_whole_numbers() {
    let yaml =
        "- id: q\n  type: single\n  prompt: P\n  options:\n    - { id: a, label: A, score: 1.5 }\n";
    let bands = band("max: 3, title: All, body: x");
    one_error(
        &bands_page(&bands, yaml),
        18,
        33,
        "scores must be whole numbers in a `by: bands` worksheet",
    );
    let yaml = "- id: q\n  type: single\n  prompt: P\n  options:\n    - { id: a, label: A, score: { x: 1 } }\n";
    one_error(
        &bands_page(&bands, yaml),
        18,
        33,
        "in a `by: bands` worksheet a score is one number",
    );
}

#[test]
fn totals_are_bounded() {
    let yaml = "- id: q\n  type: single\n  prompt: P\n  options:\n    - { id: a, label: A, score: 200000 }\n";
    let bands = band("max: 3, title: All, body: x");
    one_error(
        &bands_page(&bands, yaml),
        8,
        5,
        "the scores reach totals from 0 to 200000",
    );
    let yaml = "- id: q\n  type: number\n  prompt: P\n  min: 0\n  max: 1000000000000\n  score: 1\n";
    one_error(
        &bands_page(&bands, yaml),
        8,
        5,
        "the scores reach totals from 0 to 1000000000000",
    );
    // Weight 0: a huge range contributes nothing, and is not enumerated.
    let yaml = "- id: q\n  type: number\n  prompt: P\n  min: 0\n  max: 1000000000000\n";
    let bands = band("max: 0, title: All, body: x");
    ok(&bands_page(&bands, yaml));
}

#[test]
fn large_worksheets_are_checked_quickly() {
    let mut yaml = String::new();
    for i in 0..60 {
        yaml.push_str(&format!(
            "- {{ id: n{i}, type: number, prompt: P, min: -500, max: 1000, score: 1 }}\n"
        ));
        yaml.push_str(&format!(
            "- id: c{i}\n  type: checklist\n  prompt: P\n  options:\n"
        ));
        for j in 0..12 {
            yaml.push_str(&format!(
                "    - {{ id: o{j}, label: O, score: {} }}\n",
                (j * 7) % 13 + 1
            ));
        }
    }
    let bands = band("max: 0, title: Low, body: x") + &band("max: 70000, title: High, body: y");
    let start = std::time::Instant::now();
    let (html, w) = ok(&bands_page(&bands, &yaml));
    assert!(w.warnings.is_empty(), "{:?}", w.warnings);
    assert_eq!(ranges(&html)[0], (-30000, 0));
    assert!(start.elapsed().as_secs() < 20);
}

#[test]
fn text_answers_score_nothing() {
    let yaml = "- { id: t, type: textarea, prompt: P }\n";
    let bands = band("max: 0, title: Only, body: x");
    let (html, _) = ok(&bands_page(&bands, yaml));
    assert_eq!(ranges(&html), [(0, 0)]);
}
