//! A page from front matter to body HTML, as a build renders it: Markdown with heading ids,
//! alerts, footnotes, highlighting, `.md` link rewriting, and on pages with `worksheet:` the
//! ```` ```worksheet ```` blocks, band checks, the form and result texts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sheaf::testing::{CodeTheme, HighlightCache, Highlighting, Urls, render_page_doc};
use sheaf_fuzz::{Links, page, text};

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let Some(doc) = page(text) else { return };
    let urls = Urls::parse("https://example.org/base/").expect("a valid base URL");
    let theme = CodeTheme::named("InspiredGitHub", "base16-ocean.dark").expect("syntect's own themes");
    let highlighting = Highlighting {
        theme: &theme,
        cache: &HighlightCache::in_memory(),
    };
    let body = render_page_doc(&Links, &doc, "/essays/fuzz/", &urls, highlighting);
    for e in body.rendered.diagnostics.iter().chain(&body.diagnostics) {
        let _ = e.to_string();
    }
});
