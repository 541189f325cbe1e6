//! Every outside link of a built site, grouped by the URL to request.

use std::collections::BTreeMap;

use rayon::prelude::*;
use reqwest::Url;

use super::extract::external_links;
use super::locate::is_html;
use crate::build::Built;
use crate::output::Contents;

/// One URL to request, and where it appears.
#[derive(Debug)]
pub(super) struct Link {
    /// The URL to request (no fragment: servers never see it), or why it is not one.
    pub url: Result<Url, String>,
    /// Each appearance: the URL as written in the page, and the output file.
    pub seen: Vec<Seen>,
}

#[derive(Debug, Clone)]
pub(super) struct Seen {
    pub written: String,
    pub output: String,
}

/// The outside links of every HTML page of `built`, by request URL (so each is requested
/// once however often it appears), in a stable order.
pub(super) fn collect(built: &Built) -> BTreeMap<String, Link> {
    let own_base = built.site.config.urls.base_url();
    let per_file: Vec<(&str, Vec<String>)> = built
        .files
        .par_iter()
        .filter(|f| is_html(&f.path))
        .filter_map(|f| {
            let found = match &f.contents {
                Contents::Bytes(bytes) => external_links(bytes, &own_base),
                Contents::Packed(packed) => external_links(&packed.unpack(), &own_base),
                Contents::Copy(from) => external_links(&std::fs::read(from).ok()?, &own_base),
            };
            Some((f.path.as_str(), found))
        })
        .collect();
    let mut links: BTreeMap<String, Link> = BTreeMap::new();
    for (output, found) in per_file {
        for written in found {
            let url = Url::parse(&written)
                .map(|mut url| {
                    url.set_fragment(None);
                    url
                })
                .map_err(|e| e.to_string());
            let key = url
                .as_ref()
                .map_or_else(|_| written.clone(), Url::to_string);
            let link = links.entry(key).or_insert_with(|| Link {
                url,
                seen: Vec::new(),
            });
            link.seen.push(Seen {
                written,
                output: output.to_string(),
            });
        }
    }
    links
}
