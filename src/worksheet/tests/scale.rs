//! Bounded cost on big worksheets (issue #13): every check is linear in the number of
//! questions, options and ids. Bounds are loose (debug build, shared cores); the quadratic
//! versions took 25 s and more.

use std::time::{Duration, Instant};

use super::*;
use crate::worksheet::source::reported;

const BOUND: Duration = Duration::from_secs(15);

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    let took = started.elapsed();
    eprintln!("{what}: {took:?}");
    assert!(took < BOUND, "{what} took {took:?}");
    out
}

/// Regression: element ids were checked with a search of a list per id, so 20,000
/// options on a page took about 25 s.
#[test]
fn twenty_thousand_options_are_checked_in_linear_time() {
    let options: String = (0..20_000)
        .map(|i| format!("    - {{ id: o{i}, label: O{i} }}\n"))
        .collect();
    let yaml = format!("- id: q\n  type: single\n  prompt: P\n  options:\n{options}");
    let (html, w) = timed("20,000 options", || ok(&block_page(TOP, &yaml)));
    assert_eq!(w.questions, 1);
    assert!(html.contains("id=\"ws-q-o19999\""));
}

#[test]
fn twenty_thousand_questions_are_checked_in_linear_time() {
    let questions: String = (0..20_000)
        .map(|i| format!("- {{ id: q{i}, type: text, prompt: P }}\n"))
        .collect();
    let (_, w) = timed("20,000 questions", || ok(&block_page(TOP, &questions)));
    assert_eq!(w.questions, 20_000);
    // The same ids again in a second block: 5,000 duplicates, a few of them shown. (Each
    // shown error re-reads its block to locate itself, so a big block shows fewer; each
    // duplicate used to cost one.)
    let questions: String = (0..5_000)
        .map(|i| format!("- {{ id: q{i}, type: text, prompt: P }}\n"))
        .collect();
    let page = page(
        TOP,
        &format!("```worksheet\n{questions}```\n\n```worksheet\n{questions}```\n"),
    );
    let errors = timed("5,000 duplicate ids", || errors(&page));
    let shown = reported(questions.len());
    assert!((10..50).contains(&shown), "{shown}");
    assert_eq!(
        errors.len(),
        shown + 1,
        "some shown and a count of the rest"
    );
    assert!(errors[0].2.contains("question id `q0` is used twice"));
    let more = format!("{} more problems", 5_000 - shown);
    assert!(errors[shown].2.contains(&more), "{:?}", errors[shown]);
}

#[test]
fn thousands_of_faulty_questions_and_wrong_answers_stay_linear() {
    let questions: String = (0..5_000)
        .map(|i| format!("- {{ id: q{i}, type: text, prompt: P, colour: red }}\n"))
        .collect();
    let errors = timed("5,000 faulty questions", || {
        errors(&block_page(TOP, &questions))
    });
    assert_eq!(errors.len(), reported(questions.len()) + 1);
    // `correct` naming 5,000 ids none of which is an option among 5,000: each hint
    // searched every option, and each help listed them all.
    let options: String = (0..5_000)
        .map(|i| format!("    - {{ id: o{i}, label: O{i} }}\n"))
        .collect();
    let wrong: Vec<String> = (0..5_000).map(|i| format!("x{i}")).collect();
    let yaml = format!(
        "- id: q\n  type: multi\n  prompt: P\n  correct: [{}]\n  options:\n{options}",
        wrong.join(", ")
    );
    let errors = timed("5,000 wrong answers", || build(&block_page(TOP, &yaml)));
    let errors = errors.err().unwrap();
    assert_eq!(errors.len(), reported(yaml.len()) + 1);
    assert!(errors.iter().all(|d| d.render(false).len() < 2_000));
}

#[test]
fn many_dimensions_and_scores_stay_linear() {
    let dims: String = (0..5_000)
        .map(|i| format!("      d{i}: {{ title: D{i}, body: x }}\n"))
        .collect();
    let header = format!(
        "worksheet:\n  id: big\n  version: 1\n  result:\n    by: top\n    dimensions:\n{dims}"
    );
    let scores: Vec<String> = (0..5_000).map(|i| format!("d{i}: 1")).collect();
    let options: String = (0..20)
        .map(|i| {
            format!(
                "    - {{ id: o{i}, label: O{i}, score: {{ {} }} }}\n",
                scores.join(", ")
            )
        })
        .collect();
    let yaml = format!("- id: q\n  type: single\n  prompt: P\n  options:\n{options}");
    let (_, w) = timed("5,000 dimensions x 20 scored options", || {
        ok(&block_page(&header, &yaml))
    });
    assert_eq!(w.results.len(), 5_000);
}

/// Same class: a key given twice is found by searching for its name, which searched back
/// to the line start from every occurrence.
#[test]
fn a_repeated_key_after_a_long_line_full_of_it_is_found_in_linear_time() {
    let labels = vec!["label"; 200_000].join(", ");
    let yaml = format!(
        "- id: q\n  type: single\n  prompt: P\n  options:\n    - {{ id: a, label: A, x: [{labels}], label: B }}\n"
    );
    let errors = timed("repeated key after 200,000 mentions", || {
        errors(&block_page(TOP, &yaml))
    });
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].2.contains("`label` appears twice"), "{errors:?}");
}

/// Same class: each element id that clashes with another id on the page was located, re-reading
/// its block once per clash; now the first 50 are located and the rest counted.
#[test]
fn thousands_of_id_clashes_with_headings_stay_linear() {
    let options: String = (0..3_000)
        .map(|i| format!("    - {{ id: o{i}, label: O{i} }}\n"))
        .collect();
    let headings: String = (0..3_000)
        .map(|i| format!("<p id=\"ws-q-o{i}\">x</p>\n\n"))
        .collect();
    let source = page(
        TOP,
        &format!(
            "{headings}```worksheet\n- id: q\n  type: single\n  prompt: P\n  options:\n{options}```\n"
        ),
    );
    let errors = timed("3,000 id clashes", || errors(&source));
    assert_eq!(errors.len(), 51, "{:?}", errors.last());
    assert!(
        errors[50].2.contains("2950 more HTML ids"),
        "{:?}",
        errors[50]
    );
}
