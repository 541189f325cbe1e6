use std::path::Path;

use super::*;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // only the errors matter here
struct Front {
    title: String,
    #[serde(default)]
    tags: Vec<String>,
}

#[test]
fn unknown_key_points_at_the_key_with_a_hint() {
    let source = "---\ntitle: A\ntag: [x]\n---\n";
    let err = from_str::<Front>(&source[4..21]).unwrap_err();
    let d = err.to_diagnostic(Path::new("a.md"), source, 4, "front-matter");
    let loc = d.location.clone().unwrap();
    assert_eq!((loc.line, loc.column), (3, 1), "{d}");
    assert_eq!(d.message, "unknown front-matter key `tag`");
    assert_eq!(d.label.as_deref(), Some("did you mean `tags`?"));
}

#[test]
fn keeps_going_after_an_error_to_report_the_others() {
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Page {
        title: crate::load::fields::Title,
        date: Option<crate::load::fields::Date>,
        #[serde(default)]
        tags: Vec<String>,
    }
    let text = "title: A\ntag:\n  - x\ndate: 2025-13-01\ntags: [y]\n";
    let errors = from_str_all::<Page>(text).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].message.contains("unknown field `tag`"));
    assert!(errors[1].message.contains("invalid date"));
    assert_eq!(errors[1].offset, Some(text.find("2025-13").unwrap()));
    let errors = from_str_all::<Page>("title: [\n").unwrap_err();
    assert_eq!(errors.len(), 1, "syntax errors stop the search");
    let errors = from_str_all::<Page>("titel: A\n").unwrap_err();
    assert_eq!(
        errors.len(),
        2,
        "a genuinely missing title is still reported: {errors:?}"
    );
    let errors = from_str_all::<Page>("title: ''\n").unwrap_err();
    assert_eq!(
        errors.len(),
        1,
        "no follow-up 'missing title' after blanking it: {errors:?}"
    );
}

#[test]
fn a_repeated_key_is_reported_once_at_the_repeat() {
    let text = "date: 2025-01-02\ntitle: First\ndescription: x\ntitle: Second\n";
    let errors = from_str_all::<Value>(text).unwrap_err();
    let d = errors[0].to_diagnostic(Path::new("a.md"), text, 0, "front-matter");
    assert_eq!(d.location.unwrap().line, 4, "untyped maps too");
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct T {
        title: String,
        date: String,
        description: String,
    }
    let errors = from_str_all::<T>(text).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let d = errors[0].to_diagnostic(Path::new("a.md"), text, 0, "front-matter");
    assert_eq!(d.location.unwrap().line, 4);
    assert_eq!(d.message, "duplicate key `title` in the front-matter");
}

#[test]
fn unknown_enum_value_gets_a_hint() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct S {
        sort_by: crate::load::fields::SortBy,
    }
    let text = "sort_by: dates\n";
    let err = from_str::<S>(text).unwrap_err();
    let d = err.to_diagnostic(Path::new("_index.md"), text, 0, "front-matter");
    assert_eq!(d.label.as_deref(), Some("did you mean `date`?"), "{d}");
    assert_eq!(d.location.unwrap().column, 10);
}

#[test]
fn an_empty_unknown_key_does_not_hang() {
    let text = "title: A\n\"\": x\n";
    let errors = from_str_all::<Front>(text).unwrap_err();
    let d = errors[0].to_diagnostic(Path::new("a.md"), text, 0, "front-matter");
    assert!(d.message.contains("unknown front-matter key ``"), "{d}");
}

#[test]
fn empty_document_reports_missing_field() {
    let err = from_str::<Front>("").unwrap_err();
    assert!(
        err.message.contains("missing field `title`"),
        "{}",
        err.message
    );
}

#[test]
fn syntax_errors_are_positioned() {
    let err = from_str::<Front>("title: a\n  bad: : x\n").unwrap_err();
    assert!(err.offset.is_some());
    assert!(!err.message.contains(" at line "), "{}", err.message);
}

#[test]
fn alias_bombs_are_refused() {
    let mut doc = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for i in 0..9 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("l{}", i - 1)
        };
        doc.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    doc.push_str("title: x\n");
    assert!(from_str::<Value>(&doc).is_err());
}

// ---------------------------------------------------------------- limits (issue #13)

use super::limits::{MAX_BYTES, MAX_DEPTH, depth};

/// Regression: 40,000 nested `[` took about 8 s inside libyaml (the cost grows with the
/// square of the depth) and 200,000 over a minute; refused now at the 65th level, at once.
#[test]
fn deep_flow_nesting_is_refused_quickly_where_it_gets_too_deep() {
    for (open, close) in [("[", "]"), ("{a: ", "}")] {
        let text = format!("a: {}1{}\n", open.repeat(200_000), close.repeat(200_000));
        let started = std::time::Instant::now();
        let err = from_str::<Value>(&text).unwrap_err();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(3),
            "took {:?}",
            started.elapsed()
        );
        // `a:` is one level; the 64th bracket makes 65.
        assert_eq!(
            err.offset,
            Some(3 + (MAX_DEPTH - 1) * open.len()),
            "{err:?}"
        );
        let d = err.to_diagnostic(Path::new("a.md"), &text, 0, "front-matter");
        assert_eq!(
            d.message,
            "invalid front-matter: the YAML is nested more than 64 levels deep"
        );
        assert!(d.help.as_deref().unwrap().contains("unclosed"), "{d}");
        let errors = from_str_all::<Value>(&text).unwrap_err();
        assert_eq!(errors.len(), 1);
    }
}

#[test]
fn deep_block_nesting_is_refused_too() {
    // `- - - x`, indented keys, and indented `- ` items each nest one level.
    let dashes = format!("{}x\n", "- ".repeat(100_000));
    let keys: String = (0..1_000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let items: String = (0..1_000)
        .map(|i| format!("{}-\n", " ".repeat(i)))
        .collect();
    for text in [dashes, keys, items] {
        let started = std::time::Instant::now();
        let err = from_str::<Value>(&text).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(3));
        assert!(err.message.contains("64 levels deep"), "{err:?}");
    }
    let ok = format!("{}x\n", "- ".repeat(MAX_DEPTH));
    assert!(from_str::<Value>(&ok).is_ok());
    let too_deep = format!("{}x\n", "- ".repeat(MAX_DEPTH + 1));
    assert_eq!(
        from_str::<Value>(&too_deep).unwrap_err().offset,
        Some(2 * MAX_DEPTH)
    );
}

#[test]
fn too_much_yaml_is_refused_at_the_limit() {
    let text = format!("title: {}\n", "x".repeat(MAX_BYTES));
    let err = from_str::<Value>(&text).unwrap_err();
    assert_eq!(err.offset, Some(MAX_BYTES));
    assert!(err.message.contains("more than the limit"), "{err:?}");
    let text = format!("title: {}\n", "x".repeat(MAX_BYTES - 100));
    assert!(from_str::<Value>(&text).is_ok());
}

#[test]
fn nesting_is_counted_like_the_parser_counts_it() {
    let cases = [
        ("a: 1\n", 1),
        ("a:\n  b:\n    c: [1, {d: e}]\n", 5),
        ("- - - x\n", 3),
        ("a:\n- b:\n  - c\n", 4), // sequences in the key's column
        ("a: [b: [c]]\n", 4),     // `b: ...` is a single-pair map
        // Brackets in quotes, comments, block scalars and plain text are text.
        ("a: '[[[['\nb: \"]]\\\"[[\"\n", 1),
        ("a: 'it''s [['\n", 1),
        ("a: x # [[[[\n", 1),
        ("a: |\n  [[[[\n  - - -\nb: 1\n", 1),
        ("a: >-\n    [[[[\n\n    {{{{\n", 1),
        ("a: see [1] and {x}\n", 1),
        ("a: b[[c\n", 1),
    ];
    for (text, expected) in cases {
        assert_eq!(depth(text), expected, "{text:?}");
        assert!(from_str::<Value>(text).is_ok(), "{text:?}");
    }
    // Flow context ends plain scalars at brackets (a syntax error, counted all the same).
    assert_eq!(depth("a: [b[c]]\n"), 3);
}

/// A quote that libyaml reads as text inside a plain scalar must not hide the brackets
/// after it from the walk.
#[test]
fn quotes_inside_plain_text_do_not_hide_brackets() {
    let deep = "[".repeat(70);
    for text in [
        format!("a: x\n  \"\nb: {deep}\n"),
        format!("a: it's\nb: {deep}\n"),
        format!("a: x'\nb: {deep}\n"),
        format!("a: [x\"]\nb: {deep}\n"),
        format!("a: !t [x]\nb: {deep}\n"),
        format!("a: &x y\nb: *x\nc: {deep}\n"),
        format!("a: x # '\nb: {deep}\n"),
        format!("a: x\u{2028}b: {deep}\n"),
    ] {
        assert!(
            depth(&text) > MAX_DEPTH,
            "{text:?}: {} levels seen",
            depth(&text)
        );
    }
}

/// Differential check against serde_yaml: for every generated text it accepts (without
/// aliases, which copy nodes), the nesting of the value is no deeper than the walk saw.
#[test]
fn the_walk_never_sees_less_nesting_than_serde_yaml_builds() {
    fn value_depth(v: &Value) -> usize {
        match v {
            Value::Sequence(items) => 1 + items.iter().map(value_depth).max().unwrap_or(0),
            Value::Mapping(map) => {
                1 + map
                    .iter()
                    .map(|(k, v)| value_depth(k).max(value_depth(v)))
                    .max()
                    .unwrap_or(0)
            }
            Value::Tagged(t) => value_depth(&t.value),
            _ => 0,
        }
    }
    const PIECES: &[&str] = &[
        "[", "]", "{", "}", ", ", ",", ": ", ":", "- ", "-", "? ", "\n", "  ", " ", "a", "b", "'",
        "\"", "#", "|", ">", "&x ", "!t ", "\\", "\t", "\n- ", "\n  ", "\n    ", "k: ",
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut parsed = 0;
    for _ in 0..50_000 {
        let len = (next() % 60) as usize;
        let text: String = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        if let Ok(value) = serde_yaml::from_str::<Value>(&text) {
            parsed += 1;
            assert!(
                value_depth(&value) <= depth(&text),
                "{text:?}: value {} levels deep, walk saw {}",
                value_depth(&value),
                depth(&text)
            );
        }
    }
    assert!(parsed > 1_000, "only {parsed} texts parsed");
}

/// Regression (issue #13, same class): locating an unknown key searched back to the line
/// start from every occurrence of its name, quadratic on a long line full of it.
#[test]
fn locating_a_key_on_a_long_line_full_of_it_is_linear() {
    // A repeated key is reported at its map: the search for the repeat starts there.
    let tags = vec!["title"; 200_000].join(", ");
    let text = format!("title: A\ntags: [{tags}]\ntitle: B\n");
    let started = std::time::Instant::now();
    let errors = from_str_all::<Front>(&text).unwrap_err();
    let d = errors[0].to_diagnostic(Path::new("a.md"), &text, 0, "front-matter");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    let loc = d.location.unwrap();
    assert_eq!((loc.line, loc.column), (3, 1), "{}", d.message);
}

/// Found by fuzzing (scripts/fuzz, a 5 s timeout): a first entry that fails to parse as
/// the expected type is blanked and the text parsed again; the syntax error it caused had
/// hidden the nesting after it from the first check.
#[test]
fn nesting_revealed_by_blanking_an_entry_is_refused_too() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Page {
        title: String,
    }
    let deep = "[".repeat(20_000);
    let text = format!("title:---\ntitle: T\nextra: {deep}\n");
    let started = std::time::Instant::now();
    let errors = from_str_all::<Page>(&text).unwrap_err();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        errors.iter().any(|e| e.message.contains("64 levels deep")),
        "{errors:?}"
    );
}

#[test]
fn finds_the_unclosed_opener() {
    use super::errors::unclosed_opener;
    assert_eq!(
        unclosed_opener("title: A\ntags: [a, b\ndate: x\n", ']'),
        Some(15)
    );
    assert_eq!(
        unclosed_opener("t: 'it''s [' \nx: {a: [1]\n", '}'),
        Some(17)
    );
    assert_eq!(
        unclosed_opener("title: a [draft]\ntags: [a\n", ']'),
        Some(23)
    );
    assert_eq!(unclosed_opener("title: ok # [x\n", ']'), None);
}

/// A key written three times is reported at its second occurrence, in its own map (serde
/// positions the error at the map).
#[test]
fn a_repeated_key_is_located_at_its_second_occurrence() {
    for (text, second) in [
        ("- id: a\n  x: {id: 1}\n  id: b\n  id: c\n", "id: b"),
        ("a:\n  - {k: 1, \"k\": 2, k: 3}\n", "k\": 2"),
        (
            "id: 0\r\nb:\r\n  # id: no\r\n  id: 1\r\n  id: 2\r\n",
            "id: 2",
        ),
    ] {
        let err = from_str::<Value>(text).unwrap_err();
        assert!(err.message.contains("duplicate entry"), "{}", err.message);
        let at = err.offset.unwrap();
        assert!(
            text[at..].starts_with(second),
            "{text:?}: {:?}",
            &text[at..]
        );
    }
}
