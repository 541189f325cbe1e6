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

/// The policy `csp:` asks for. A policy of the author's is one line of directives; it goes
/// into an attribute (escaped), so any text is safe there, but a line break or a directive
/// a meta tag ignores is surely a mistake.
pub(super) fn csp_policy(value: Option<&yaml::Value>) -> Result<Option<String>, String> {
    let policy = match value {
        None => return Ok(Some(DEFAULT_CSP.to_string())),
        Some(yaml::Value::Bool(true)) => return Ok(Some(DEFAULT_CSP.to_string())),
        Some(yaml::Value::Bool(false)) => return Ok(None),
        Some(yaml::Value::String(policy)) => policy.trim(),
        Some(_) => return Err("expected true, false or a policy".into()),
    };
    if policy.is_empty() {
        return Err("the policy is empty (write `csp: false` to have none)".into());
    }
    if policy.contains(['\n', '\r']) {
        return Err("a policy is one line".into());
    }
    for directive in ["frame-ancestors", "report-uri", "sandbox"] {
        if policy
            .split(';')
            .any(|d| d.split_whitespace().next() == Some(directive))
        {
            return Err(format!(
                "`{directive}` is ignored in a <meta> policy (only a server header can set it)"
            ));
        }
    }
    Ok(Some(policy.to_string()))
}

/// An absolute `http(s)` or `mailto` URL.
pub(super) fn is_web_or_mail(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https" | "mailto"))
}
