//! Every validation error, at its exact file line:column (LF and CRLF).
//!
//! With the `TOP` header the block's first YAML line is line 16 of the file.

use super::*;

fn q(yaml: &str) -> String {
    block_page(TOP, yaml)
}

#[test]
fn unknown_type_with_did_you_mean() {
    let d = one_error(
        &q("- id: q\n  type: singel\n  prompt: P\n"),
        17,
        9,
        "unknown question type `singel`",
    );
    assert_eq!(d.label.as_deref(), Some("did you mean `single`?"));
    assert_eq!(d.location.unwrap().width, 6);
    one_error(
        &q("- id: q\n  type: essay\n  prompt: P\n"),
        17,
        9,
        "unknown question type `essay`",
    );
    one_error(&q("- id: q\n  prompt: P\n"), 16, 3, "has no `type`");
}

#[test]
fn keys_that_do_not_apply_to_the_type() {
    let d = one_error(
        &q("- id: q\n  type: text\n  prompt: P\n  options: []\n"),
        19,
        3,
        "`options` does not apply to a text question",
    );
    assert!(
        d.help
            .unwrap()
            .contains("text questions take: id, type, prompt, share, max_length")
    );
    one_error(
        &q(
            "- id: q\n  type: single\n  prompt: P\n  max_length: 10\n  options: [{ id: a, label: A }]\n",
        ),
        19,
        3,
        "`max_length` does not apply to a single question",
    );
    let d = one_error(
        &q(
            "- id: q\n  type: single\n  prompt: P\n  options: [{ id: a, label: A }]\n  score: { dm: 1 }\n",
        ),
        20,
        3,
        "`score` does not apply to a single question",
    );
    assert!(d.help.unwrap().contains("put scores on the options"));
    one_error(
        &q("- id: q\n  type: rank\n  prompt: P\n  options: [{ id: a, label: A }]\n  correct: a\n"),
        20,
        3,
        "`correct` does not apply to a rank question",
    );
    one_error(
        &q("- id: q\n  type: scale\n  prompt: P\n  scale: { min: 1, max: 3 }\n  step: 1\n"),
        20,
        3,
        "`step` does not apply",
    );
}

#[test]
fn unknown_keys_get_a_hint_for_the_type() {
    let errs = errors(&q(
        "- id: q\n  type: single\n  prompt: P\n  optons: [{ id: a, label: A }]\n",
    ));
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert_eq!((errs[0].0, errs[0].1), (17, 9), "{errs:#?}");
    assert!(errs[0].2.contains("needs `options`"));
    assert_eq!((errs[1].0, errs[1].1), (19, 3));
    assert_eq!(errs[1].2, "unknown key `optons` in a single question");
    let d = build(&q(
        "- id: q\n  type: single\n  prompt: P\n  optons: [{ id: a, label: A }]\n",
    ))
    .unwrap_err();
    assert_eq!(d[1].label.as_deref(), Some("did you mean `options`?"));
    let d = one_error(
        &q("- id: q\n  type: text\n  prompt: P\n  required: true\n"),
        19,
        3,
        "unknown key `required`",
    );
    assert_eq!(d.label.as_deref(), Some("not a known key"));
    let errs = errors(&q(
        "- id: q\n  type: single\n  prompt: P\n  options:\n    - { id: a, lable: A }\n",
    ));
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert_eq!(errs[0], (20, 7, "this option has no `label`".to_string()));
    assert_eq!(errs[1], (20, 16, "unknown option key `lable`".to_string()));
}

#[test]
fn missing_options_for_choice_types() {
    for kind in ["single", "multi", "rank", "checklist"] {
        one_error(
            &q(&format!("- id: q\n  type: {kind}\n  prompt: P\n")),
            17,
            9,
            &format!("a {kind} question needs `options`"),
        );
    }
    one_error(
        &q("- id: q\n  type: single\n  prompt: P\n  options: []\n"),
        19,
        3,
        "`options` is empty",
    );
    let errs = errors(&q(
        "- id: q\n  type: single\n  prompt: P\n  options: [Yes, No]\n",
    ));
    assert_eq!(
        errs,
        [
            (19, 13, "an option is a map, not text".to_string()),
            (19, 18, "an option is a map, not text".to_string())
        ]
    );
}

#[test]
fn empty_and_multi_block_prompts() {
    one_error(
        &q("- id: q\n  type: text\n  prompt: \"\"\n"),
        18,
        3,
        "empty prompt",
    );
    one_error(
        &q("- id: q\n  type: text\n  prompt:\n"),
        18,
        3,
        "empty prompt",
    );
    one_error(
        &q("- id: q\n  type: text\n"),
        16,
        3,
        "question `q` has no `prompt`",
    );
    let d = one_error(
        &q("- id: q\n  type: text\n  prompt: |\n    One.\n\n    Two.\n"),
        18,
        11,
        "one paragraph",
    );
    assert!(
        d.message.contains("more than one paragraph"),
        "{}",
        d.message
    );
    one_error(
        &q("- id: q\n  type: text\n  prompt: '# Big'\n"),
        18,
        11,
        "has a heading",
    );
}

#[test]
fn duplicate_question_ids_across_the_page() {
    let body = "```worksheet\n- id: a\n  type: text\n  prompt: A\n```\n\nText\n\n```worksheet\n- id: b\n  type: text\n  prompt: B\n- id: a\n  type: text\n  prompt: C\n```\n";
    let d = one_error(
        &page(TOP, body),
        25,
        7,
        "question id `a` is used twice on this page",
    );
    assert_eq!(
        d.label.as_deref(),
        Some("also the id of the question at line 14")
    );
}

#[test]
fn duplicate_option_ids() {
    let d = one_error(
        &q(
            "- id: q\n  type: single\n  prompt: P\n  options:\n    - { id: a, label: A }\n    - { id: a, label: B }\n",
        ),
        21,
        13,
        "option id `a` is used twice in this question",
    );
    assert_eq!(d.label.as_deref(), Some("also option 1"));
}

#[test]
fn invalid_ids() {
    one_error(
        &q("- id: My Question\n  type: text\n  prompt: P\n"),
        16,
        7,
        "question id `My Question` is not valid",
    );
    one_error(
        &q("- id: q\n  type: single\n  prompt: P\n  options:\n    - { id: A_1, label: A }\n"),
        20,
        13,
        "option id `A_1` is not valid",
    );
}

#[test]
fn scores_must_name_declared_dimensions() {
    let d = one_error(
        &q(
            "- id: q\n  type: scale\n  prompt: P\n  scale: { min: 1, max: 3 }\n  score: { nett: 1 }\n",
        ),
        20,
        12,
        "unknown dimension `nett`",
    );
    assert_eq!(d.label.as_deref(), Some("did you mean `net`?"));
    assert_eq!(
        d.help.as_deref(),
        Some("dimensions declared in the front matter: dm, net, algo")
    );
    one_error(
        &q(
            "- id: q\n  type: single\n  prompt: P\n  options:\n    - { id: a, label: A, score: { dn: 1 } }\n",
        ),
        20,
        35,
        "unknown dimension `dn`",
    );
    one_error(
        &q(
            "- id: q\n  type: single\n  prompt: P\n  options:\n    - { id: a, label: A, score: 3 }\n",
        ),
        20,
        33,
        "in a `by: top` worksheet a score names its dimensions",
    );
    one_error(
        &q(
            "- id: q\n  type: single\n  prompt: P\n  options:\n    - { id: a, label: A, score: { dm: lots } }\n",
        ),
        20,
        39,
        "a score must be a number, not text",
    );
}

#[test]
fn result_kind_needs_its_results() {
    let top = "worksheet:\n  id: x\n  version: 1\n  result:\n    by: top\n";
    one_error(
        &block_page(top, "- { id: q, type: text, prompt: P }\n"),
        7,
        5,
        "`by: top` needs `dimensions`",
    );
    let bands = "worksheet:\n  id: x\n  version: 1\n  result:\n    by: bands\n";
    one_error(
        &block_page(bands, "- { id: q, type: text, prompt: P }\n"),
        7,
        5,
        "`by: bands` needs `bands`",
    );
    let mixed = "worksheet:\n  id: x\n  version: 1\n  result:\n    by: top\n    dimensions: { a: { title: A, body: B } }\n    bands: []\n";
    one_error(
        &block_page(mixed, "- { id: q, type: text, prompt: P }\n"),
        9,
        5,
        "`bands` is only used with `by: bands`",
    );
    let d = one_error(
        &block_page(
            "worksheet:\n  id: x\n  version: 1\n  result:\n    by: topp\n",
            "",
        ),
        7,
        9,
        "unknown result kind `topp`",
    );
    assert!(d.message.contains("did you mean `top`?"), "{}", d.message);
}

#[test]
fn header_keys_and_values() {
    let d = one_error(
        &block_page(
            &TOP.replace("version", "verison"),
            "- { id: q, type: text, prompt: P }\n",
        ),
        5,
        3,
        "unknown worksheet key `verison`",
    );
    assert_eq!(d.label.as_deref(), Some("did you mean `version`?"));
    one_error(
        &block_page(&TOP.replace("todays-priority", "Today's"), ""),
        4,
        7,
        "`Today's` is not a valid key",
    );
    one_error(
        &block_page(&TOP.replace("version: 1", "version: 0"), ""),
        5,
        12,
        "version `0` is out of range",
    );
    one_error(
        &block_page(&TOP.replace("version: 1", "version: 1.5"), ""),
        5,
        12,
        "invalid type",
    );
    one_error(
        &block_page(&TOP.replace("dm:  ", "Dm:  "), ""),
        9,
        7,
        "dimension key `Dm` is not valid",
    );
    one_error(
        &block_page(&TOP.replace("net:", "dm: "), ""),
        10,
        7,
        "dimension `dm` is declared twice",
    );
    one_error(
        &block_page(&TOP.replace("body: \"\"", "bdy: \"\""), ""),
        11,
        59,
        "unknown worksheet key `bdy`",
    );
}

#[test]
fn correct_must_name_options() {
    let base = "- id: q\n  type: single\n  prompt: P\n  options:\n    - { id: a, label: A }\n    - { id: b, label: B }\n";
    let d = one_error(
        &q(&format!("{base}  correct: bb\n")),
        22,
        12,
        "`correct` names `bb`, which is not an option",
    );
    assert_eq!(d.label.as_deref(), Some("did you mean `b`?"));
    one_error(
        &q(&format!("{base}  correct: [a, b]\n")),
        22,
        12,
        "a single question has one correct option",
    );
    let multi = base.replace("single", "multi");
    one_error(
        &q(&format!("{multi}  correct: [a, c]\n")),
        22,
        16,
        "`correct` names `c`",
    );
    one_error(
        &q(&format!("{multi}  correct: [a, a]\n")),
        22,
        16,
        "listed twice",
    );
    one_error(
        &q(&format!("{multi}  max: 1\n  correct: [a, b]\n")),
        23,
        12,
        "cannot be chosen within `min`/`max`",
    );
    one_error(
        &q(&format!("{base}  explain: Why\n")),
        22,
        3,
        "`explain` goes with `correct`",
    );
}

#[test]
fn ranges() {
    one_error(
        &q("- id: q\n  type: scale\n  prompt: P\n  scale: { min: 5, max: 5 }\n"),
        19,
        25,
        "the scale's `max` (5) must be greater than its `min` (5)",
    );
    one_error(
        &q("- id: q\n  type: scale\n  prompt: P\n  scale: { min: 0, max: 11 }\n"),
        19,
        25,
        "at most 11 steps",
    );
    one_error(
        &q("- id: q\n  type: scale\n  prompt: P\n  scale: { min: 1 }\n"),
        19,
        10,
        "`scale` has no `max`",
    );
    one_error(
        &q("- id: q\n  type: scale\n  prompt: P\n  scale: { min: 1, max: 2, mid_label: x }\n"),
        19,
        28,
        "unknown scale key `mid_label`",
    );
    one_error(
        &q("- id: q\n  type: scale\n  prompt: P\n"),
        17,
        9,
        "a scale question needs `scale: { min, max }`",
    );
    one_error(
        &q("- id: q\n  type: number\n  prompt: P\n  min: 5\n  max: 1\n"),
        20,
        8,
        "`max` (1) is less than `min` (5)",
    );
    one_error(
        &q("- id: q\n  type: number\n  prompt: P\n  step: 0\n"),
        19,
        9,
        "`step` must be greater than 0",
    );
    one_error(
        &q("- id: q\n  type: number\n  prompt: P\n  min: .nan\n"),
        19,
        8,
        "finite number",
    );
    let opts = "  options: [{ id: a, label: A }, { id: b, label: B }, { id: c, label: C }]\n";
    one_error(
        &q(&format!(
            "- id: q\n  type: multi\n  prompt: P\n{opts}  min: 3\n  max: 2\n"
        )),
        21,
        8,
        "`max` (2) is less than `min` (3)",
    );
    one_error(
        &q(&format!(
            "- id: q\n  type: multi\n  prompt: P\n{opts}  max: 4\n"
        )),
        20,
        8,
        "`max` is 4 but the question has only 3 options",
    );
    one_error(
        &q(&format!(
            "- id: q\n  type: multi\n  prompt: P\n{opts}  min: 5\n"
        )),
        20,
        8,
        "`min` is 5 but the question has only 3 options",
    );
    one_error(
        &q(&format!(
            "- id: q\n  type: multi\n  prompt: P\n{opts}  max: 0\n"
        )),
        20,
        8,
        "`max` is 0",
    );
    one_error(
        &q(&format!(
            "- id: q\n  type: multi\n  prompt: P\n{opts}  min: -1\n"
        )),
        20,
        8,
        "cannot be negative",
    );
    one_error(
        &q("- id: q\n  type: textarea\n  prompt: P\n  max_length: 5001\n"),
        19,
        15,
        "`max_length` must be between 1 and 5000",
    );
    one_error(
        &q("- id: q\n  type: text\n  prompt: P\n  share: no\n"),
        19,
        10,
        "`share` must be `true` or `false`",
    );
}

#[test]
fn yaml_syntax_errors_are_located_in_the_block() {
    let errs = errors(&q("- id: q\n  type: [text\n  prompt: P\n"));
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].2 == "unclosed `[` in the worksheet block",
        "{}",
        errs[0].2
    );
    // Issue #14: at the `[` that is never closed, not where libyaml gave up.
    assert_eq!(errs[0].0, 17, "{errs:#?}"); // `  type: [text`
    one_error(
        &q("- id: q\n  type: text\n  type: text\n  prompt: P\n"),
        18,
        3,
        "`type` appears twice in the same map",
    );
    one_error(
        &q("just some text\n"),
        16,
        1,
        "a worksheet block holds a question or a list of questions, not text",
    );
    one_error(&q("[]\n"), 16, 1, "has no questions");
}

#[test]
fn empty_block_points_at_its_fence() {
    one_error(&q(""), 15, 4, "this worksheet block is empty");
}

#[test]
fn columns_count_characters() {
    one_error(
        &q("- id: q\n  type: text\n  prompt: Ünïcödé\n  max_length: x\n"),
        19,
        15,
        "`max_length` must be a number",
    );
    one_error(
        &q("- { id: q, prompt: \"Ünï\", type: txt }\n"),
        16,
        33,
        "unknown question type `txt`",
    );
}

#[test]
fn not_a_worksheet_page() {
    let source = page(
        "",
        "Intro.\n\n```worksheet\n- id: q\n```\n\n```yaml\na: 1\n```\n",
    );
    let (html, ds) = build_plain(&source);
    assert_eq!(ds.len(), 1);
    let l = ds[0].location.as_ref().unwrap();
    assert_eq!((l.line, l.column, l.width), (6, 4, 9));
    assert_eq!(
        ds[0].message,
        "a worksheet block needs `worksheet:` in the front matter"
    );
    assert!(
        html.contains("<code class=\"language-yaml\">"),
        "other blocks are left alone: {html}"
    );
    let (_, ds) = build_plain(&crlf(&source));
    assert_eq!(ds[0].location.as_ref().unwrap().line, 6);
}

#[test]
fn every_error_of_a_block_is_reported_at_once() {
    let errs = errors(&q(
        "- id: a\n  type: single\n  prompt: P\n  options: [{ id: x, label: X }]\n  correct: y\n- id: B\n  type: txt\n  prompt: Q\n",
    ));
    let places: Vec<(usize, usize)> = errs.iter().map(|e| (e.0, e.1)).collect();
    assert_eq!(places, [(20, 12), (21, 7), (22, 9)], "{errs:#?}");
}

#[test]
fn empty_keys_do_not_hang() {
    one_error(
        &block_page(&TOP.replace("body: \"\" }", "\"\" }"), ""),
        11,
        59,
        "empty key in the worksheet front matter",
    );
    one_error(
        &q("- { id: q, type: text, prompt: P, \"\": 1 }\n"),
        16,
        35,
        "unknown key `` in a text question",
    );
}

#[test]
fn header_shape_errors_say_what_is_expected() {
    let d = one_error(
        &block_page("worksheet: 3\n", ""),
        3,
        12,
        "expected the worksheet header",
    );
    assert!(
        d.message.contains("`id`, `version` and `result`"),
        "{}",
        d.message
    );
    one_error(
        &block_page("worksheet:\n  id: x\n  version: 1\n", ""),
        4,
        3,
        "missing field `result`",
    );
}

#[test]
fn single_correct_may_be_a_list_of_one() {
    let base = "- id: q\n  type: single\n  prompt: P\n  options:\n    - { id: a, label: A }\n    - { id: b, label: B }\n";
    assert!(errors(&q(&format!("{base}  correct: [b]\n"))).is_empty());
    one_error(
        &q(&format!("{base}  correct: [bb]\n")),
        22,
        13,
        "`correct` names `bb`",
    );
}
