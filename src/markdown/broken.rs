//! The messages for a local link or image that leads nowhere: what was looked for, where,
//! and what to write instead. One place, so a link in prose, in raw HTML and in a
//! worksheet's YAML are reported alike.

use super::Missing;
use super::local::{Broken, From};
use crate::diagnostic::{Diagnostic, Location};

/// What pointed at the missing thing.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Pointer {
    Link,
    Image,
}

/// The diagnostic for `written` (the path as the author wrote it), located at `location`.
pub(crate) fn diagnostic(
    written: &str,
    broken: &Broken,
    pointer: Pointer,
    location: Location,
) -> Diagnostic {
    let what = match pointer {
        Pointer::Link => "broken link to",
        Pointer::Image => "missing image",
    };
    located(written, broken, pointer, what, location).internal_link()
}

fn located(
    written: &str,
    broken: &Broken,
    pointer: Pointer,
    what: &str,
    location: Location,
) -> Diagnostic {
    match broken {
        Broken::Outside => {
            Diagnostic::error(format!("{what} `{written}`: it points outside the site"))
                .at(location)
                .label("too many `../`")
                .help("relative paths start from the folder of this file; remove a `../`")
        }
        Broken::WithBasePath { fixed } => Diagnostic::error(format!(
            "{what} `{written}`: the base path is added for you"
        ))
        .at(location)
        .label(format!("write `{fixed}`"))
        .help(
            "a path starting with `/` is relative to the site's root; sheaf puts the base \
             path of `base_url` in front, so the link works wherever the site is published",
        ),
        Broken::Page(target, why) => page(written, target, why, what, location),
        Broken::Nothing {
            from: From::PageUrl {
                content_file: Some(file),
            },
            ..
        } if pointer == Pointer::Image => {
            Diagnostic::error(format!("{what} `{written}`: no such file"))
                .at(location)
                .label(format!("looked for `content/{file}`"))
                .help(
                    "put the image beside this Markdown file, or in `static/` and write its \
                     path from the site's root (`/images/a.png` for `static/images/a.png`)",
                )
        }
        Broken::Nothing {
            site_path,
            from,
            did_you_mean,
        } => {
            let d = Diagnostic::error(format!(
                "{what} `{written}`: nothing in the site at `{site_path}`"
            ))
            .at(location);
            let d = match did_you_mean {
                Some(hint) if pointer == Pointer::Link => {
                    d.label(format!("did you mean `{hint}`?"))
                }
                _ => d.label(match from {
                    From::Root => "a path starting with `/` is relative to the site's root",
                    From::PageUrl { .. } => "resolved from this page's URL",
                }),
            };
            d.help(match (pointer, from) {
                (Pointer::Image, _) => {
                    "put the image in `static/` and write its path from the site's root \
                     (`/images/a.png` for `static/images/a.png`), or beside this Markdown file"
                }
                (Pointer::Link, From::PageUrl { .. }) => {
                    "link a page by its Markdown file (`../essays/foo.md`), or a file beside \
                     this one by its name; sheaf checks both and rewrites them for wherever \
                     the site is published"
                }
                (Pointer::Link, From::Root) => {
                    "link a page by its Markdown file (`../essays/foo.md`), which sheaf checks \
                     and rewrites wherever the site is published"
                }
            })
        }
    }
}

fn page(written: &str, target: &str, why: &Missing, what: &str, location: Location) -> Diagnostic {
    match why {
        // Its own errors are reported; say once (identical notes are merged) that links
        // to it were not checked, instead of a broken link per page.
        Missing::HasErrors => Diagnostic::note(format!(
            "links to `content/{target}` were not checked: that page has errors"
        )),
        Missing::Draft => Diagnostic::error(format!("{what} `{written}`: the page is a draft"))
            .at(location)
            .label(format!("`{target}` has `draft: true`"))
            .help("drafts are left out unless you build with `--drafts`; publish it or remove the link"),
        Missing::Future(date) => Diagnostic::error(format!(
            "{what} `{written}`: the page is dated in the future"
        ))
        .at(location)
        .label(format!("`{target}` is dated {date}"))
        .help("pages dated in the future are left out unless you build with `--future`"),
        Missing::NoSuchPage { did_you_mean } => {
            let d = Diagnostic::error(format!("{what} `{written}`: no such page")).at(location);
            match did_you_mean {
                Some(hint) => d
                    .label(format!("did you mean `{hint}`?"))
                    .help(format!("`{written}` resolves to `{target}` in the content folder; the path is relative to the folder of this file")),
                None => d
                    .label(format!("resolves to `{target}` in the content folder"))
                    .help("the path is relative to the folder of this file; check the spelling"),
            }
        }
    }
}
