//! The `paginator` a list template gets (DESIGN §10, `themes/default/CONTEXT.md`), the
//! titles of later pages, and the `page/1/` redirect. The split itself is the model's
//! (`model::pagination`), so the link checker and the preview know the same paths.

use serde_json::json;

use super::Renderer;
use super::context::{Meta, meta_json};
use super::pager::{PagerEntry, pager_entries};
use super::reads::SiteView;
use super::redirect::redirect;
use crate::diagnostic::Diagnostic;
use crate::model::pagination::{Pagination, first_page_redirect, pager_path};
use crate::output::OutputFile;
use crate::urls::Urls;

/// Page `number` of the list at `list_path`.
pub(crate) struct ListPage<'a> {
    pub list_path: &'a str,
    pub list: Pagination,
    pub number: usize,
}

impl ListPage<'_> {
    /// This page's site path: the list's own for page 1.
    pub(crate) fn path(&self) -> String {
        pager_path(self.list_path, self.number)
    }

    /// The list's title, with "page N of M" after the first page, so every page of a list
    /// has a title of its own (in tabs, history and search results).
    pub(crate) fn title(&self, list_title: &str) -> String {
        match self.number {
            1 => list_title.to_string(),
            n => format!("{list_title} (page {n} of {})", self.list.pages()),
        }
    }

    /// The `paginator` variable: `pages` are this page's entries, already made cards.
    pub(crate) fn paginator(&self, urls: &Urls, pages: Vec<tera::Value>) -> tera::Value {
        let total = self.list.pages();
        let url = |n: usize| urls.path(&pager_path(self.list_path, n));
        let neighbour = |n: Option<usize>| n.filter(|n| (1..=total).contains(n)).map(url);
        let value = json!({
            "current": self.number,
            "total": total,
            "total_items": self.list.items,
            "paginate_by": self.list.per_page,
            "first": url(1),
            "last": url(total),
            "prev": neighbour(self.number.checked_sub(1)),
            "next": neighbour(Some(self.number + 1)),
            "number_pagers": pager_entries(self.number, total)
                .into_iter()
                .map(|entry| match entry {
                    PagerEntry::Number { number, far } => json!({
                        "number": number,
                        "url": url(number),
                        "current": number == self.number,
                        "far": far,
                    }),
                    PagerEntry::Gap { far, narrow } => {
                        json!({ "gap": true, "far": far, "narrow": narrow })
                    }
                })
                .collect::<Vec<_>>(),
        });
        with_fields(&value, vec![("pages", tera::Value::from(pages))])
    }
}

/// How many pages of one list a job renders. A long list is split over several jobs, so its
/// pages spread over the cores (the home list of a 10,000-page site is 490 pages, which as
/// one job was the last to finish after every save that moved it), and the preview renders
/// a requested page of it with the few beside it rather than the whole list.
pub(crate) const PAGES_PER_JOB: usize = 16;

/// Bits of a list job's instance id that hold its part; the rest hold the list.
const PART_BITS: u32 = usize::BITS / 2;

/// A list job's instance: which list (the index of a section, tag or series) and which run
/// of [`PAGES_PER_JOB`] pages of it. Packed into the kind's `usize` instance id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ListPart {
    pub(crate) list: usize,
    pub(crate) part: usize,
}

impl ListPart {
    /// The instance id this part is known by.
    pub(crate) fn id(self) -> usize {
        (self.list << PART_BITS) | self.part
    }

    /// The part an instance id stands for.
    pub(crate) fn of(id: usize) -> Self {
        ListPart {
            list: id >> PART_BITS,
            part: id & ((1 << PART_BITS) - 1),
        }
    }

    /// The instance ids of every part of lists `0..lists`, in order; list `l` is split as
    /// `pagination(l)` says.
    pub(crate) fn instances(lists: usize, pagination: impl Fn(usize) -> Pagination) -> Vec<usize> {
        (0..lists)
            .flat_map(|list| {
                let parts = pagination(list).pages().div_ceil(PAGES_PER_JOB);
                (0..parts).map(move |part| ListPart { list, part }.id())
            })
            .collect()
    }

    /// The part of list `list` that renders its page `number` (1-based).
    pub(crate) fn with_page(list: usize, number: usize) -> Self {
        ListPart {
            list,
            part: number.saturating_sub(1) / PAGES_PER_JOB,
        }
    }

    /// The entries of `entries` (the whole list, split as `pagination`) that this part's
    /// pages show between them: what it needs of the site's Markdown bodies.
    pub(crate) fn entries(self, entries: &[usize], pagination: Pagination) -> &[usize] {
        let numbers = self.numbers(pagination);
        let start = pagination.range(*numbers.start()).start;
        let end = pagination.range(*numbers.end()).end.min(entries.len());
        entries.get(start..end).unwrap_or_default()
    }

    /// The page numbers this part renders, of a list split as `pagination`.
    fn numbers(self, pagination: Pagination) -> std::ops::RangeInclusive<usize> {
        let first = self.part.saturating_mul(PAGES_PER_JOB).saturating_add(1);
        let last = first
            .saturating_add(PAGES_PER_JOB - 1)
            .min(pagination.pages());
        first..=last
    }
}

/// The pages of the list at `list_path` that `part` renders (`render_page` makes one), then,
/// in the first part, the `page/1/` redirect when the list is paginated: what a list kind's job
/// writes.
pub(crate) fn render_list(
    renderer: &Renderer,
    view: &SiteView,
    (list_path, part): (&str, ListPart),
    list: Pagination,
    list_title: &str,
    mut render_page: impl FnMut(&ListPage) -> Result<OutputFile, Diagnostic>,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let numbers = part.numbers(list);
    let mut files = Vec::with_capacity(numbers.clone().count() + 1);
    for number in numbers {
        files.push(render_page(&ListPage {
            list_path,
            list,
            number,
        })?);
    }
    if part.part == 0 && list.has_first_page_redirect() {
        files.push(first_page_redirect_file(
            renderer, view, list_path, list_title,
        )?);
    }
    Ok(files)
}

/// The template context of one page of a list: the meta of a website page under its own
/// title ("Essays (page 2 of 5)"), with the site's default card.
pub(crate) fn list_context(
    renderer: &Renderer,
    view: &SiteView,
    page: &ListPage,
    list_title: &str,
    description: &str,
) -> tera::Context {
    let title = page.title(list_title);
    let path = page.path();
    let meta = meta_json(view, Meta::website(&title, description, &path));
    renderer.context(view, meta)
}

/// The cards of `pages`, in order.
pub(crate) fn cards(renderer: &Renderer, view: &SiteView, pages: &[usize]) -> Vec<tera::Value> {
    pages
        .iter()
        .map(|&p| renderer.contexts.card(view, p))
        .collect()
}

/// `object` (a JSON object) as a template value with `fields` added: how a list's own
/// object gets its `pages`, which are template values already.
pub(crate) fn with_fields(
    object: &impl serde::Serialize,
    fields: Vec<(&'static str, tera::Value)>,
) -> tera::Value {
    let value = tera::Value::from_serializable(object);
    match value.as_map() {
        Some(map) => {
            let mut map = map.clone();
            for (key, field) in fields {
                map.insert(key.into(), field);
            }
            tera::Value::from(map)
        }
        None => value,
    }
}

/// Renders one page of a list with `template`, its `paginator` (whose `pages` are `shown`)
/// added to `ctx`.
pub(crate) fn finish_list_page(
    renderer: &Renderer,
    view: &SiteView,
    page: &ListPage,
    mut ctx: tera::Context,
    template: &str,
    shown: Vec<tera::Value>,
) -> Result<OutputFile, Diagnostic> {
    ctx.insert_value("paginator", page.paginator(&view.config().urls, shown));
    let html = renderer.templates.render(template, &ctx)?;
    Ok(renderer.html_file(view, &page.path(), html))
}

/// The file a paginated list writes besides its pages: `page/1/`, redirecting to the list.
pub(crate) fn first_page_redirect_file(
    renderer: &Renderer,
    view: &SiteView,
    list_path: &str,
    list_title: &str,
) -> Result<OutputFile, Diagnostic> {
    redirect(
        renderer,
        view,
        &first_page_redirect(list_path),
        list_path,
        list_title,
    )
}

/// The output paths `part` of the list at `list_path` writes: its pages, then, in the first
/// part, the `page/1/` redirect.
pub(crate) fn list_outputs(list_path: &str, list: Pagination, part: ListPart) -> Vec<String> {
    let mut paths: Vec<String> = part
        .numbers(list)
        .map(|n| super::html_path(&pager_path(list_path, n)))
        .collect();
    if part.part == 0 && list.has_first_page_redirect() {
        paths.push(super::html_path(&first_page_redirect(list_path)));
    }
    paths
}
