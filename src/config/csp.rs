//! The `csp:` setting and the checks on other values that end up in pages.

use crate::yaml;

/// The Content Security Policy every page carries by default, as a `<meta http-equiv>`
/// (GitHub Pages cannot send headers). Scripts and styles only from the site itself: no
/// inline script, `javascript:` URL or injected `<script>` runs, whatever a page's content
/// holds. Images, media and embedded frames may come from any `https:` site, because
/// essays show pictures and videos hosted elsewhere. (`frame-ancestors`, `report-uri` and
/// `sandbox` are ignored in a meta tag: only a server header can set them.)
pub(crate) const DEFAULT_CSP: &str = "default-src 'self'; img-src 'self' https: data:; \
    media-src 'self' https:; frame-src https:; object-src 'none'; base-uri 'self'; \
    form-action 'self'";

/// What search adds to the default policy: Pagefind compiles its WebAssembly with
/// `WebAssembly.instantiate`, which a policy with `default-src 'self'` blocks unless
/// `script-src` allows `'wasm-unsafe-eval'` (wasm only, not JavaScript `eval`). Only when
/// search is on: a site without it keeps the stricter policy.
pub(crate) const SEARCH_SCRIPT_SRC: &str = "script-src 'self' 'wasm-unsafe-eval'";

/// Why a `csp:` value is refused, and how to fix it.
pub(super) struct CspProblem {
    pub(super) why: String,
    search: bool,
}

impl CspProblem {
    fn new(why: impl Into<String>) -> Self {
        CspProblem {
            why: why.into(),
            search: false,
        }
    }

    pub(super) fn help(&self) -> String {
        if self.search {
            return format!(
                "add `'wasm-unsafe-eval'` to the policy's script-src (e.g. `{SEARCH_SCRIPT_SRC}`), \
                 or turn search off with `search: {{ enabled: false }}`"
            );
        }
        format!(
            "write `csp: true` (the default policy: {}), `csp: false` (no policy), or a policy \
             on one line in quotes",
            default_policy(false)
        )
    }
}

/// The policy pages carry when `csp:` is not written (or `true`).
pub(crate) fn default_policy(search: bool) -> String {
    match search {
        true => format!("{DEFAULT_CSP}; {SEARCH_SCRIPT_SRC}"),
        false => DEFAULT_CSP.to_string(),
    }
}

/// The policy `csp:` asks for. A policy of the author's is one line of directives; it goes
/// into an attribute (escaped), so any text is safe there, but a line break or a directive
/// a meta tag ignores is surely a mistake, and so is one that blocks the site's own search.
pub(super) fn csp_policy(
    value: Option<&yaml::Value>,
    search: bool,
) -> Result<Option<String>, CspProblem> {
    let policy = match value {
        None | Some(yaml::Value::Bool(true)) => return Ok(Some(default_policy(search))),
        Some(yaml::Value::Bool(false)) => return Ok(None),
        Some(yaml::Value::String(policy)) => policy.trim(),
        Some(_) => return Err(CspProblem::new("expected true, false or a policy")),
    };
    if policy.is_empty() {
        return Err(CspProblem::new(
            "the policy is empty (write `csp: false` to have none)",
        ));
    }
    if policy.contains(['\n', '\r']) {
        return Err(CspProblem::new("a policy is one line"));
    }
    for directive in ["frame-ancestors", "report-uri", "sandbox"] {
        if directive_sources(policy, directive).is_some() {
            return Err(CspProblem::new(format!(
                "`{directive}` is ignored in a <meta> policy (only a server header can set it)"
            )));
        }
    }
    if search && !allows_wasm(policy) {
        return Err(CspProblem {
            why: "the policy blocks search, which runs WebAssembly (its script-src or \
                  default-src lacks 'wasm-unsafe-eval')"
                .into(),
            search: true,
        });
    }
    Ok(Some(policy.to_string()))
}

/// The sources of `directive` in `policy` (the first one counts, as in browsers).
fn directive_sources<'p>(policy: &'p str, directive: &str) -> Option<Vec<&'p str>> {
    policy.split(';').find_map(|d| {
        let mut words = d.split_whitespace();
        words
            .next()
            .filter(|name| name.eq_ignore_ascii_case(directive))
            .map(|_| words.collect())
    })
}

/// Whether a page under `policy` may compile WebAssembly: its script sources (`script-src`,
/// else `default-src`, else no restriction) allow `'wasm-unsafe-eval'` or `'unsafe-eval'`.
fn allows_wasm(policy: &str) -> bool {
    let Some(sources) = directive_sources(policy, "script-src")
        .or_else(|| directive_sources(policy, "default-src"))
    else {
        return true;
    };
    sources.iter().any(|s| {
        s.eq_ignore_ascii_case("'wasm-unsafe-eval'") || s.eq_ignore_ascii_case("'unsafe-eval'")
    })
}

/// An absolute `http(s)` or `mailto` URL.
pub(super) fn is_web_or_mail(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https" | "mailto"))
}
