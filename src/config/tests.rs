use super::*;

fn parse_str(text: &str) -> Result<Config, Vec<Diagnostic>> {
    parse(Path::new("config.yaml"), text, &BaseUrlOverride::None)
}

#[test]
fn csp_is_on_by_default_and_can_be_replaced_or_turned_off() {
    let c = parse_str("title: T\nbase_url: https://x.org\n").unwrap();
    assert_eq!(c.csp, Some(default_policy(true)));
    assert_eq!(
        c.csp.as_deref(),
        Some(format!("{DEFAULT_CSP}; {SEARCH_SCRIPT_SRC}").as_str())
    );
    let c = parse_str("title: T\nbase_url: https://x.org\nsearch: { enabled: false }\n").unwrap();
    assert_eq!(
        c.csp.as_deref(),
        Some(DEFAULT_CSP),
        "no wasm allowance without search"
    );
    let c = parse_str("title: T\nbase_url: https://x.org\ncsp: false\n").unwrap();
    assert_eq!(c.csp, None);
    let c = parse_str(
        "title: T\nbase_url: https://x.org\ncsp: \"default-src 'none'\"\nsearch: { enabled: false }\n",
    )
    .unwrap();
    assert_eq!(c.csp.as_deref(), Some("default-src 'none'"));
    for bad in [
        "csp: 3",
        "csp: \"\"",
        "csp: \"default-src 'self'; frame-ancestors 'none'\"",
    ] {
        let errs = parse_str(&format!("title: T\nbase_url: https://x.org\n{bad}\n")).unwrap_err();
        assert!(
            errs[0].message.contains("invalid csp"),
            "{bad}: {}",
            errs[0]
        );
        assert_eq!(errs[0].location.as_ref().map(|l| l.line), Some(3), "{bad}");
    }
}

#[test]
fn minimal_config_gets_defaults() {
    let c = parse_str("title: T\nbase_url: https://x.org\n").unwrap();
    assert_eq!(c.language, "en");
    assert_eq!(c.feeds.limit, 20);
    assert_eq!(c.urls.base_path(), "/");
}

#[test]
fn nested_unknown_key_gets_hint() {
    let errs = parse_str("title: T\nbase_url: https://x.org\nfeeds:\n  limt: 3\n").unwrap_err();
    let d = &errs[0];
    assert!(
        d.message.contains("unknown config key `limt` in `feeds`"),
        "{d}"
    );
    assert_eq!(d.label.as_deref(), Some("did you mean `limit`?"));
    assert_eq!(d.location.as_ref().unwrap().line, 4);
}

#[test]
fn author_url_is_a_web_or_mail_address() {
    for ok in ["https://x.org/me", "http://x.org", "mailto:me@x.org"] {
        let text =
            format!("title: T\nbase_url: https://x.org\nauthor: {{ name: A, url: '{ok}' }}\n");
        assert!(parse_str(&text).is_ok(), "{ok}");
    }
    for bad in [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "/about/",
    ] {
        let text =
            format!("title: T\nbase_url: https://x.org\nauthor: {{ name: A, url: '{bad}' }}\n");
        let errs = parse_str(&text).unwrap_err();
        assert!(
            errs[0].message.contains("author.url"),
            "{bad}: {:?}",
            errs[0].message
        );
        let at = errs[0].location.as_ref().unwrap();
        assert_eq!((at.line, at.column), (3, 20), "{bad}");
    }
}

#[test]
fn command_line_base_url_wins() {
    let c = parse(
        Path::new("config.yaml"),
        "title: T\nbase_url: https://x.org\n",
        &BaseUrlOverride::CommandLine("https://u.github.io/repo/".into()),
    )
    .unwrap();
    assert_eq!(c.urls.base_path(), "/repo/");
}

#[test]
fn cards_policy_is_read_and_checked() {
    let c = parse_str("title: T\nbase_url: https://x.org\ncards: all\n").unwrap();
    assert_eq!(c.cards, Cards::All);
    assert_eq!(
        parse_str("title: T\nbase_url: https://x.org\n")
            .unwrap()
            .cards,
        Cards::Worksheets
    );
    let errs = parse_str("title: T\nbase_url: https://x.org\ncards: every\n").unwrap_err();
    let d = &errs[0];
    assert!(d.message.contains("every"), "{d}");
    assert_eq!(d.location.as_ref().unwrap().line, 3);
}

#[test]
fn bad_values_are_all_reported() {
    let errs =
        parse_str("title: ''\nbase_url: nope\nhighlight: { light: InspiredGithub }\n").unwrap_err();
    assert_eq!(errs.len(), 3, "{errs:?}");
}

/// Regression: an unknown `highlight.light` theme was once reported inside the word
/// `highlight`, found by searching the text for `light:`.
#[test]
fn highlight_themes_are_located_at_their_value_however_written() {
    let at = |text: &str| {
        let errs = parse_str(text).unwrap_err();
        let at = errs[0].location.as_ref().unwrap();
        (errs[0].message.clone(), at.line, at.column, at.width)
    };
    let head = "title: T\nbase_url: https://x.org\n";
    let unknown = "unknown highlight theme `Nope`".to_string();
    assert_eq!(
        at(&format!("{head}highlight: {{light: Nope}}\n")),
        (unknown.clone(), 3, 20, 4)
    );
    // `light:` in a comment and as a value first; the key quoted.
    let text =
        format!("{head}# light: x\ndescription: 'light: y'\nhighlight:\n  \"light\": Nope # c\n");
    assert_eq!(at(&text), (unknown.clone(), 6, 12, 4));
    // CRLF, a byte-order mark, and characters before the value on its line.
    let text = format!("\u{feff}{head}highlight: {{ dark: base16-ocean.dark, light: Nope }}\r\n")
        .replace('\n', "\r\n")
        .replace("\r\r\n", "\r\n");
    assert_eq!(at(&text), (unknown, 3, 46, 4));
    let text = format!("{head}author: {{name: Zoë}}\nhighlight: {{dark: Nöpe}}\n");
    let dark = "unknown highlight theme `Nöpe`".to_string();
    assert_eq!(at(&text), (dark, 4, 19, 4));
}

#[test]
fn config_keeps_what_locates_its_keys() {
    let text = "# theme: not here\ntitle: theme\nbase_url: https://x.org\ntheme: mine\n";
    let config = parse_str(text).unwrap();
    let at = config.locate_key("theme");
    assert_eq!((at.line, at.column, at.width), (4, 1, 5));
    let at = config.locate_key("extra");
    assert_eq!(
        (at.line, at.column),
        (1, 1),
        "not written: the file's start"
    );
    let with_bom = parse_str("\u{feff}title: T\nbase_url: https://x.org\ntheme: x\n").unwrap();
    let at = with_bom.locate_key("theme");
    assert_eq!((at.line, at.column, at.width), (3, 1, 5));
}

/// serde reports an unknown or repeated key at its map; the locator finds the key itself,
/// not an earlier word that spells it (a value, a comment, a key of another map).
#[test]
fn unknown_and_repeated_keys_are_located_in_their_own_map() {
    let head = "title: limt\nbase_url: https://x.org\n";
    let at = |text: &str| {
        let errs = parse_str(text).unwrap_err();
        let at = errs[0].location.as_ref().unwrap();
        (errs[0].message.clone(), at.line, at.column)
    };
    let text = format!("{head}author: {{name: limt}}\nfeeds:\n  # limt: 2\n  'limt': 3\n");
    let unknown = "unknown config key `limt` in `feeds`".to_string();
    assert_eq!(at(&text), (unknown.clone(), 6, 4));
    let text = format!("{head}feeds: {{ full_content: true, limt: 3 }}\r\n");
    assert_eq!(at(&text), (unknown, 3, 30));
    let text = format!("{head}feeds:\n  limit: 3\n  full_content: true\n  limit: 4\n");
    let repeated = "duplicate key `limit` in the config".to_string();
    assert_eq!(at(&text), (repeated, 6, 3));
}

#[test]
fn menu_entries_name_one_safe_target_each() {
    let c = parse_str(
        "title: T\nbase_url: https://x.org\nmenu:\n  - page: essays/\n  - { page: about.md, title: \"Who's here\" }\n  - { title: Tags, url: /tags/ }\n  - { title: Code, url: 'https://github.com/o/r' }\n",
    )
    .unwrap();
    let menu = c.menu.unwrap();
    assert_eq!(menu[0].target, MenuTarget::Page("essays/".into()));
    assert_eq!(menu[0].title, None);
    assert_eq!(menu[1].title.as_deref(), Some("Who’s here"));
    assert_eq!(menu[2].target, MenuTarget::SitePath("/tags/".into()));
    assert_eq!(
        menu[3].target,
        MenuTarget::External("https://github.com/o/r".into())
    );
    assert!(
        parse_str("title: T\nbase_url: https://x.org\n")
            .unwrap()
            .menu
            .is_none()
    );

    // Every bad entry is reported, each at its own line.
    let errs = parse_str(
        "title: T\nbase_url: https://x.org\nmenu:\n  - { title: A }\n  - { page: a.md, url: /a/ }\n  - { title: B, url: 'javascript:alert(1)' }\n  - { title: C, url: //evil.example/ }\n  - url: /tags/\n  - { page: a.md, title: '' }\n  - { page: a.md, titel: A }\n",
    )
    .unwrap_err();
    let found: Vec<(usize, &str)> = errs
        .iter()
        .map(|e| (e.location.as_ref().unwrap().line, e.message.as_str()))
        .collect();
    assert!(
        found
            .iter()
            .any(|(_, m)| m.contains("unknown config key `titel`")),
        "{found:?}"
    );
    let errs = parse_str(
        "title: T\nbase_url: https://x.org\nmenu:\n  - { title: A }\n  - { page: a.md, url: /a/ }\n  - { title: B, url: 'javascript:alert(1)' }\n  - { title: C, url: //evil.example/ }\n  - url: /tags/\n  - { page: a.md, title: '' }\n",
    )
    .unwrap_err();
    let found: Vec<(usize, String)> = errs
        .iter()
        .map(|e| (e.location.as_ref().unwrap().line, e.message.clone()))
        .collect();
    let expected = [
        (4, "neither `page` nor `url`"),
        (5, "both `page` and `url`"),
        (6, "neither a path on this site nor a web address"),
        (7, "neither a path on this site nor a web address"),
        (8, "a `url` but no `title`"),
        (9, "title is empty"),
    ];
    assert_eq!(found.len(), expected.len(), "{found:?}");
    for ((line, message), (want_line, want)) in found.iter().zip(expected) {
        assert_eq!(*line, want_line, "{message}");
        assert!(message.contains(want), "{message}");
    }
}

#[test]
fn a_policy_must_let_search_run_when_search_is_on() {
    let config = |csp: &str| format!("title: T\nbase_url: https://x.org\ncsp: \"{csp}\"\n");
    for allowed in [
        "img-src 'self'",
        "default-src 'self' 'wasm-unsafe-eval'",
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'",
        "default-src 'self'; SCRIPT-SRC 'self' 'unsafe-eval'",
    ] {
        assert!(parse_str(&config(allowed)).is_ok(), "{allowed}");
    }
    for blocked in [
        "default-src 'self'",
        "default-src 'self' 'wasm-unsafe-eval'; script-src 'self'",
        "script-src 'self'",
    ] {
        let errs = parse_str(&config(blocked)).unwrap_err();
        assert!(
            errs[0].message.contains("blocks search"),
            "{blocked}: {}",
            errs[0]
        );
        assert_eq!(errs[0].location.as_ref().map(|l| l.line), Some(3));
    }
}

/// Regression (found by a review): `related: false` was "expected struct Related", a
/// negative limit "expected usize", and a 21-digit `paginate_by` "invalid type: integer as
/// u128". A switch is short for `{ enabled: … }`; every wrong count says what to write.
#[test]
fn switches_are_short_for_enabled_and_counts_say_what_to_write() {
    let base = "title: T\nbase_url: https://e.org/\n";
    let config = parse_str(&format!("{base}related: false\nsearch: false\n")).unwrap();
    assert!(!config.related.enabled);
    assert_eq!(config.related.limit, 3);
    assert!(!config.search.enabled);
    let config = parse_str(&format!("{base}related: true\nsearch: true\n")).unwrap();
    assert!(config.related.enabled && config.search.enabled);
    // An empty `paginate_by:` is the default, as it is in a section's `_index.md`.
    for empty in ["paginate_by:\n", "paginate_by: null\n", "paginate_by: ~\n"] {
        assert_eq!(
            parse_str(&format!("{base}{empty}")).unwrap().paginate_by,
            20,
            "{empty}"
        );
    }
    let config = parse_str(&format!("{base}related: {{ limit: 5 }}\n")).unwrap();
    assert_eq!((config.related.enabled, config.related.limit), (true, 5));
    for (line, key, words) in [
        (
            "related: { limit: -1 }",
            "related.limit",
            "`-1` is not a count",
        ),
        (
            "feeds: { limit: 2.5 }",
            "feeds.limit",
            "`2.5` is not a count",
        ),
        (
            "paginate_by: 99999999999999999999",
            "paginate_by",
            "`99999999999999999999` is not a number of entries",
        ),
        // Located at the value; serde's own words name what it expected.
        (
            "related: maybe",
            "",
            "`true`, `false` or `{ enabled, limit }`",
        ),
        (
            "search: { enabled: false, x: 1 }",
            "search",
            "unknown config key `x`",
        ),
    ] {
        let errors = parse_str(&format!("{base}{line}\n")).unwrap_err();
        let d = &errors[0];
        assert!(d.message.contains(words), "{line}: {d}");
        assert!(d.message.contains(key), "{line}: {d}");
        assert_eq!(d.location.as_ref().map(|l| l.line), Some(3), "{line}: {d}");
    }
}
