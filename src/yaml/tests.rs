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
