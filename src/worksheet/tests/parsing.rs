//! Every question type parses into the model, with defaults.

use super::*;
use crate::worksheet::header::{Dimension, Outcomes};
use crate::worksheet::parse::parse_block;
use crate::worksheet::question::{QType, Question, Score};

/// A block with one question of every type.
pub(super) const ALL_TYPES: &str = "\
- id: one
  type: single
  prompt: Pick *one*
  options:
    - { id: a, label: A, score: { dm: 1 } }
    - { id: b, label: B, score: { net: 2.5, dm: -1 } }
  correct: a
  explain: Because **A**.
- id: many
  type: multi
  prompt: Pick some
  min: 1
  max: 2
  options: [{ id: x, label: X }, { id: y, label: 'Y' }, { id: z, label: 3 }]
  correct: [x, y]
- id: feel
  type: scale
  prompt: How much?
  scale: { min: 1, max: 5, min_label: Not at all, max_label: Very }
  score: { algo: 1 }
- id: count
  type: number
  prompt: How many?
  min: 0
  max: 10.5
  step: 0.5
  score: { dm: -1 }
- id: name
  type: text
  prompt: Your name
- id: why
  type: textarea
  prompt: Why?
  max_length: 500
  share: false
- id: order
  type: rank
  prompt: Order these
  options:
    - id: p
      label: P
      score: { dm: 1 }
    - id: q
      label: Q
- id: todo
  type: checklist
  prompt: Done?
  options:
    - { id: r, label: R }
    - { id: s, label: S }
  correct: []
";

fn top() -> Outcomes {
    let dim = |key: &str| Dimension {
        key: key.to_string(),
        title: key.to_uppercase(),
        body: String::new(),
    };
    Outcomes::Top(vec![dim("dm"), dim("net"), dim("algo")])
}

fn questions(yaml: &str) -> Vec<Question> {
    let parsed = parse_block(yaml, &top()).unwrap();
    assert!(parsed.issues.is_empty(), "{:#?}", parsed.issues);
    parsed.questions.into_iter().map(|(q, _)| q).collect()
}

#[test]
fn every_type_parses() {
    let qs = questions(ALL_TYPES);
    let kinds: Vec<QType> = qs.iter().map(|q| q.kind).collect();
    assert_eq!(
        kinds,
        [
            QType::Single,
            QType::Multi,
            QType::Scale,
            QType::Number,
            QType::Text,
            QType::Textarea,
            QType::Rank,
            QType::Checklist
        ]
    );
    let one = &qs[0];
    assert_eq!(one.prompt_html, "Pick <em>one</em>");
    assert_eq!(
        one.options[1].score,
        Some(Score::Dims(vec![("net".into(), 2.5), ("dm".into(), -1.0)]))
    );
    assert_eq!(one.correct.as_deref(), Some(&["a".to_string()][..]));
    assert_eq!(one.explain.as_deref(), Some("Because **A**."));
    assert!(one.share);
    let many = &qs[1];
    assert_eq!((many.min, many.max), (Some(1.0), Some(2.0)));
    assert_eq!(many.options[2].label, "3", "numbers are labels too");
    let feel = &qs[2];
    assert_eq!(feel.scale_values(), [1, 2, 3, 4, 5]);
    assert_eq!(feel.min_label.as_deref(), Some("Not at all"));
    assert_eq!(feel.score, Some(Score::Dims(vec![("algo".into(), 1.0)])));
    let count = &qs[3];
    assert_eq!(
        (count.min, count.max, count.step),
        (Some(0.0), Some(10.5), Some(0.5))
    );
    assert_eq!(qs[4].max_length, Some(120), "text default");
    assert_eq!(qs[5].max_length, Some(500));
    assert!(!qs[5].share);
    assert_eq!(qs[6].options.len(), 2);
    assert_eq!(qs[6].options[1].score, None);
    assert_eq!(qs[7].correct.as_deref(), Some(&[][..]));
}

#[test]
fn one_question_as_a_map_and_defaults() {
    let qs = questions("id: q\ntype: textarea\nprompt: Say it\n");
    assert_eq!(qs.len(), 1);
    assert_eq!(qs[0].max_length, Some(280), "textarea default");
    let qs =
        questions("- {id: 1, type: multi, prompt: 2, options: [{id: a, label: A}], correct: a}\n");
    assert_eq!(qs[0].id, "1");
    assert_eq!(qs[0].prompt_html, "2");
    assert_eq!(
        qs[0].correct.as_deref(),
        Some(&["a".to_string()][..]),
        "one id for multi"
    );
}

#[test]
fn bands_scores_are_numbers() {
    let bands = Outcomes::Bands(Vec::new());
    let parsed = parse_block(
        "- id: q\n  type: single\n  prompt: P\n  options:\n    - { id: a, label: A, score: 2 }\n    - { id: b, label: B }\n",
        &bands,
    )
    .unwrap();
    assert!(parsed.issues.is_empty(), "{:#?}", parsed.issues);
    assert_eq!(
        parsed.questions[0].0.options[0].score,
        Some(Score::Total(2.0))
    );
}

#[test]
fn whole_pages_build_with_every_type() {
    let (html, w) = ok(&block_page(TOP, ALL_TYPES));
    assert_eq!(w.questions, 8);
    assert_eq!(w.id, "todays-priority");
    assert_eq!(w.version, 1);
    assert_eq!(w.by, crate::worksheet::ResultBy::Top);
    let keys: Vec<&str> = w.results.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["dm", "net", "algo"], "declaration order");
    assert_eq!(w.results[0].description, "Write to three people. Today.");
    assert_eq!(
        w.results[0].body_html,
        "<p>Write to <em>three</em> people. Today.</p>\n"
    );
    assert_eq!(
        w.results[2].description,
        "Post once, then go talk to people: a result of “A worksheet”."
    );
    assert_eq!((w.id_location.line, w.id_location.column), (4, 7));
    assert!(w.warnings.is_empty());
    assert!(html.starts_with("<form class=\"worksheet\""));
}

/// The example of DESIGN section 6, as written there.
#[test]
fn the_design_example_builds() {
    let source = r#"---
title: What's my priority today?
description: Three minutes to choose between messages, networking and the algorithm.
tags: [daily habits]
worksheet:
  id: todays-priority          # [a-z0-9-]+, unique on the site; key for storage and links
  version: 1                   # bump only when old answers can no longer apply
  result:
    by: top                    # top: the highest-scoring dimension wins; bands: total score
    dimensions:
      dm:   { title: "Send three real messages", body: "Markdown..." }
      net:  { title: "Make one introduction",    body: "..." }
      algo: { title: "Post once, then go talk to people", body: "..." }
---
Some prose.

```worksheet
- id: last-message
  type: single
  prompt: When did you last send a **personal** message?
  options:
    - { id: today, label: Today,         score: { dm: 0 } }
    - { id: week,  label: This week,     score: { dm: 1 } }
    - { id: older, label: Can't recall,  score: { dm: 3 } }
- id: reach-time
  type: scale
  prompt: How much of your time goes to posting for reach?
  scale: { min: 1, max: 5, min_label: Almost none, max_label: Most of it }
  score: { algo: 1 }           # value x weight
- id: two-people
  type: textarea
  prompt: Name two people you will message, and why.
  max_length: 280
  share: false                 # never put into a share link
```
"#;
    let (html, w) = ok(source);
    assert_eq!(w.questions, 3);
    assert_eq!((w.id_location.line, w.id_location.column), (6, 7));
    assert!(html.contains("<label for=\"ws-last-message-older\"><input type=\"radio\" id=\"ws-last-message-older\" name=\"last-message\" value=\"older\"> Can&#39;t recall</label>"));
    assert!(html.contains("aria-label=\"5: Most of it\""));
    assert_eq!(
        w.results[0].description, "Markdown…",
        "smart punctuation, as in pages"
    );
}

/// The worksheets of the browser-test site (`tests/browser/site`), which `worksheet.js` is
/// tested against once built, build here too.
#[test]
fn the_browser_test_worksheets_build() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/site/content/worksheets");
    let mut built = 0;
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") || path.ends_with("_index.md") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let (html, w) = ok(&source);
        assert!(w.warnings.is_empty(), "{:?}", w.warnings);
        assert!(html.contains(&format!("data-worksheet=\"{}\"", w.id)));
        built += 1;
    }
    assert!(built >= 2, "found {built} worksheets in {}", dir.display());
}
