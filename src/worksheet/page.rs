//! The fence handlers: [`PageWorksheet`] renders and collects the blocks of one worksheet
//! page; [`NotAWorksheet`] refuses blocks on other pages.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::form;
use super::header::Header;
use super::parse;
use super::probe::YPath;
use super::question::Question;
use super::source::{Issue, YamlText, reported};
use crate::diagnostic::{Diagnostic, Location};
use crate::markdown::FenceHandler;

/// The fence handler of a worksheet page: renders each ```` ```worksheet ```` block to
/// fieldsets and collects its questions for [`PageWorksheet::finish`].
pub(crate) struct PageWorksheet {
    pub(super) header: Header,
    pub(super) shown: PathBuf,
    pub(super) source: Arc<str>,
    pub(super) state: Mutex<PageState>,
    /// [`parse::dimension_keys`] of the header, made once for all the page's blocks.
    dimension_keys: HashSet<String>,
}

#[derive(Default)]
pub(super) struct PageState {
    pub(super) questions: Vec<Question>,
    /// Every block seen (text, file offset), to locate errors about earlier blocks.
    pub(super) blocks: Vec<(String, usize)>,
    /// Question ids seen on the page, with the block and node of each, for duplicates.
    pub(super) ids: HashMap<String, (usize, YPath)>,
    /// Element ids the fieldsets use, with the owning question and where its id is.
    pub(super) element_ids: HashMap<String, (String, usize, YPath)>,
    /// A block failed: band coverage would be misleading, so `finish` skips it.
    pub(super) failed: bool,
}

impl PageState {
    /// Where node `at` of block `block` is. Probing re-reads the block, so this is only
    /// done when an error is reported.
    pub(super) fn locate(&self, file: &Path, source: &str, block: usize, at: &YPath) -> Location {
        let (text, offset) = &self.blocks[block];
        let yaml = YamlText {
            file,
            source,
            text,
            offset: *offset,
        };
        yaml.diagnostic(&Issue::error(at.clone(), ""))
            .location
            .map_or_else(|| Location::file_only(file), |l| *l)
    }
}

impl PageWorksheet {
    pub(crate) fn new(header: Header, shown: &Path, source_text: &str) -> Self {
        PageWorksheet {
            dimension_keys: parse::dimension_keys(&header.result),
            header,
            shown: shown.to_path_buf(),
            source: Arc::from(source_text),
            state: Mutex::new(PageState::default()),
        }
    }

    fn render_block(&self, code: &str, code_offset: usize) -> Result<String, Vec<Diagnostic>> {
        let block = YamlText {
            file: &self.shown,
            source: &self.source,
            text: code,
            offset: code_offset,
        };
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if code.trim().is_empty() {
            state.failed = true;
            return Err(vec![
                Diagnostic::error("this worksheet block is empty")
                    .at(fence_location(&self.shown, &self.source, code_offset))
                    .help(
                        "add questions: `- { id: ..., type: single, prompt: ..., options: [...] }`",
                    ),
            ]);
        }
        let parsed = match parse::parse_block_with(code, &self.header.result, &self.dimension_keys)
        {
            Ok(parsed) => parsed,
            Err(err) => {
                state.failed = true;
                return Err(vec![block.yaml_error(&err, "worksheet block")]);
            }
        };
        let mut issues = parsed.issues;
        state.blocks.push((code.to_string(), code_offset));
        let this_block = state.blocks.len() - 1;
        // Question ids: unique on the page (this block and the ones before it).
        let mut duplicated: HashSet<&str> = HashSet::new();
        for (id, at) in &parsed.ids {
            match state.ids.get(id) {
                Some((first_block, first_at)) => {
                    duplicated.insert(id);
                    let issue = Issue::error(
                        at.clone(),
                        format!("question id `{id}` is used twice on this page"),
                    )
                    .help("question ids are storage and link keys; give each question its own");
                    // Locating re-reads a block: only for the issues that will be shown.
                    let issue = if issues.len() < reported(code.len()) {
                        let first = state.locate(&self.shown, &self.source, *first_block, first_at);
                        issue.label(format!(
                            "also the id of the question at line {}",
                            first.line
                        ))
                    } else {
                        issue
                    };
                    issues.push(issue);
                }
                None => {
                    state.ids.insert(id.clone(), (this_block, at.clone()));
                }
            }
        }
        // Element ids derived from question and option ids must not clash either. (A map,
        // not a list searched per id: 20,000 options took 25 s that way.)
        let mut claimed: HashMap<String, (String, YPath)> = HashMap::new();
        for (q, at) in &parsed.questions {
            if duplicated.contains(q.id.as_str()) {
                continue;
            }
            let id_at = at.at("id");
            for element in form::element_ids(q) {
                let owner = state
                    .element_ids
                    .get(&element)
                    .map(|(owner, _, _)| owner.clone())
                    .or_else(|| claimed.get(&element).map(|(owner, _)| owner.clone()))
                    .or_else(|| {
                        form::FIXED_IDS
                            .contains(&element.as_str())
                            .then(|| "the form".to_string())
                    });
                match owner {
                    Some(owner) => {
                        let other = if owner == "the form" {
                            owner
                        } else {
                            format!("question `{owner}`")
                        };
                        issues.push(
                            Issue::error(
                                id_at.clone(),
                                format!("the HTML id `{element}` of question `{}` is also used by {other}", q.id),
                            )
                            .label("element ids join question and option ids with `-`, so these clash")
                            .help("rename the question or one of the options"),
                        );
                    }
                    None => {
                        claimed.insert(element, (q.id.clone(), id_at.clone()));
                    }
                }
            }
        }
        if issues.iter().any(Issue::is_error) {
            state.failed = true;
            return Err(block.diagnostics(&issues));
        }
        for (element, (owner, at)) in claimed {
            state.element_ids.insert(element, (owner, this_block, at));
        }
        let mut html = String::new();
        for (q, _) in parsed.questions {
            html.push_str(&form::fieldset(&q));
            state.questions.push(q);
        }
        Ok(html)
    }
}

impl FenceHandler for PageWorksheet {
    fn render(
        &self,
        info: &str,
        code: &str,
        code_offset: usize,
    ) -> Option<Result<String, Vec<Diagnostic>>> {
        is_worksheet_fence(info).then(|| self.render_block(code, code_offset))
    }
}

/// The fence handler for pages without `worksheet:` front matter: a ```` ```worksheet ````
/// block there is an error, so a missing or misspelt key never silently shows YAML.
pub(crate) struct NotAWorksheet<'a> {
    shown: &'a Path,
    source_text: &'a str,
}

impl<'a> NotAWorksheet<'a> {
    pub(crate) fn new(shown: &'a Path, source_text: &'a str) -> Self {
        NotAWorksheet { shown, source_text }
    }
}

impl FenceHandler for NotAWorksheet<'_> {
    fn render(
        &self,
        info: &str,
        _code: &str,
        code_offset: usize,
    ) -> Option<Result<String, Vec<Diagnostic>>> {
        is_worksheet_fence(info).then(|| {
            Err(vec![
                Diagnostic::error("a worksheet block needs `worksheet:` in the front matter")
                    .at(fence_location(self.shown, self.source_text, code_offset))
                    .label("this page is not a worksheet")
                    .help("add `worksheet: { id: ..., version: 1, result: ... }` to the front matter, or use another info string (```yaml) for a plain code block"),
            ])
        })
    }
}

fn is_worksheet_fence(info: &str) -> bool {
    info.split_whitespace().next() == Some("worksheet")
}

/// The `worksheet` word of the opening fence: the line before the block's first line.
pub(super) fn fence_location(file: &Path, source: &str, code_offset: usize) -> Location {
    let mut offset = code_offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    if line_start > 0 {
        let fence_start = source[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
        let fence = &source[fence_start..line_start - 1];
        if let Some(at) = fence.find("worksheet") {
            return Location::at_offset(file, source, fence_start + at, "worksheet".len());
        }
    }
    Location::at_offset(file, source, offset, 1)
}
