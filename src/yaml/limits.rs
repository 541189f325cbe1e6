//! Size and nesting limits checked before serde_yaml sees a text (issue #13).
//!
//! libyaml's scanner keeps one "possible simple key" per open flow collection and looks at
//! all of them for every token, so `[[[[...` costs the square of its depth: 40,000 levels
//! took 8 s and 200,000 over a minute. serde_yaml's own recursion limit (128) only applies
//! after the scanner has done that work. [`check`] walks the text once, in linear time,
//! tracking what libyaml would: flow collections (`[`, `{`) outside quoted scalars,
//! comments and block scalars, and block collections opened by indentation (`key:` maps,
//! `- ` and `? ` entries, also several on one line as in `- - - x`). It refuses the text
//! at the first place where the nesting goes past [`MAX_DEPTH`].
//!
//! The walk follows libyaml's tokenizer rules (`unsafe-libyaml`'s `scanner.rs`) closely
//! enough never to count *less* nesting than libyaml sees: where the two could disagree
//! (a tag right before a `[`, text after a syntax error), it counts more or stops where
//! libyaml would stop with a syntax error of its own.

use super::YamlError;

/// Deepest nesting accepted: block and flow collections inside each other. Front matter
/// uses 2 or 3 levels, a worksheet block 5 or 6; serde_yaml itself stops at 128.
pub(crate) const MAX_DEPTH: usize = 64;

/// Largest YAML text accepted (front matter, one worksheet block, `config.yaml`): 2 MiB.
/// Front matter is short metadata; a megabyte-long title still fits.
pub(crate) const MAX_BYTES: usize = 2 * 1024 * 1024;

/// Checks `text` against [`MAX_BYTES`] and [`MAX_DEPTH`]; the error is positioned where the
/// limit is first exceeded.
pub(crate) fn check(text: &str) -> Result<(), YamlError> {
    if text.len() > MAX_BYTES {
        let mut at = MAX_BYTES;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        return Err(YamlError {
            message: format!(
                "the YAML is {} bytes long, more than the limit of {} ({} MiB)",
                text.len(),
                MAX_BYTES,
                MAX_BYTES / (1024 * 1024)
            ),
            offset: Some(at),
        });
    }
    match Scanner::new(text).run() {
        Ok(()) => Ok(()),
        Err(at) => Err(YamlError {
            message: format!("the YAML is nested more than {MAX_DEPTH} levels deep"),
            offset: Some(at),
        }),
    }
}

/// The deepest nesting [`check`]'s walk sees in `text` (for tests).
#[cfg(test)]
pub(super) fn depth(text: &str) -> usize {
    let mut scanner = Scanner::new(text);
    scanner.limit = usize::MAX;
    let _ = scanner.run();
    scanner.deepest
}

/// A block collection libyaml has open: its indentation column, and whether an
/// "indentless" sequence (`key:` then `- item` in the same column) is open inside it.
struct Indent {
    column: usize,
    /// A block mapping (`key:`, `? key`), as opposed to a sequence (`- item`).
    mapping: bool,
    indentless: bool,
}

/// libyaml's possible simple key in block context: where a `key` of `key: value` began.
#[derive(Clone, Copy)]
struct Key {
    pos: usize,
    column: usize,
    line: usize,
    index: usize,
}

/// Why the walk ends early: a limit was passed (at this byte), or libyaml would report a
/// syntax error here, so nothing after it is scanned by libyaml either.
enum Stop {
    TooDeep(usize),
    SyntaxError,
}

struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
    /// Characters since the start of the line (libyaml's `mark.column`).
    column: usize,
    line: usize,
    /// Characters since the start of the text (libyaml's `mark.index`).
    index: usize,
    /// Open flow collections: `true` for a sequence, and whether a single-pair mapping
    /// (`[a: b]`) is open inside it.
    flows: Vec<(bool, bool)>,
    flow: usize,
    indents: Vec<Indent>,
    key: Option<Key>,
    /// The deepest flow nesting since `key` began: a key can be a collection (`[a]: b`,
    /// `{a: b}: c`) whose levels count inside the mapping the `:` opens after it.
    key_flow: usize,
    key_allowed: bool,
    limit: usize,
    deepest: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner {
            b: text.as_bytes(),
            pos: 0,
            column: 0,
            line: 0,
            index: 0,
            flows: Vec::new(),
            flow: 0,
            indents: Vec::new(),
            key: None,
            key_flow: 0,
            key_allowed: true,
            limit: MAX_DEPTH,
            deepest: 0,
        }
    }

    fn run(&mut self) -> Result<(), usize> {
        match self.tokens() {
            Ok(()) | Err(Stop::SyntaxError) => Ok(()),
            Err(Stop::TooDeep(at)) => Err(at),
        }
    }

    fn peek(&self, k: usize) -> u8 {
        self.b.get(self.pos + k).copied().unwrap_or(0)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.b.len()
    }

    /// Length of the line break at `pos + k` (`\r\n`, `\r`, `\n`, NEL, LS, PS), or 0.
    fn break_len(&self, k: usize) -> usize {
        let rest = self.b.get(self.pos + k..).unwrap_or(&[]);
        match rest {
            [b'\r', b'\n', ..] => 2,
            [b'\r' | b'\n', ..] => 1,
            [0xC2, 0x85, ..] => 2,
            [0xE2, 0x80, 0xA8 | 0xA9, ..] => 3,
            _ => 0,
        }
    }

    fn is_blank(&self, k: usize) -> bool {
        matches!(self.peek(k), b' ' | b'\t')
    }

    /// Blank, line break or end of text (libyaml's `IS_BLANKZ`).
    fn is_blankz(&self, k: usize) -> bool {
        self.pos + k >= self.b.len() || self.is_blank(k) || self.break_len(k) > 0
    }

    fn is_breakz(&self) -> bool {
        self.at_end() || self.break_len(0) > 0
    }

    /// Moves past one character (or one line break).
    fn bump(&mut self) {
        let breaks = self.break_len(0);
        if breaks > 0 {
            self.pos += breaks;
            self.index += if breaks == 2 && self.b[self.pos - 2] == b'\r' {
                2
            } else {
                1
            };
            self.line += 1;
            self.column = 0;
            return;
        }
        let Some(&lead) = self.b.get(self.pos) else {
            return;
        };
        self.pos += match lead {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        }
        .min(self.b.len() - self.pos);
        self.column += 1;
        self.index += 1;
    }

    fn top(&self) -> isize {
        self.indents.last().map_or(-1, |i| i.column as isize)
    }

    fn check_depth(&mut self, at: usize) -> Result<(), Stop> {
        // Counting the open block collections costs at most `limit` steps: the walk stops
        // as soon as there are more.
        let pairs = self.flows.iter().filter(|(_, pair)| *pair).count();
        if self.key.is_some() {
            self.key_flow = self.key_flow.max(self.flow + pairs);
        }
        let depth = self.flow + pairs + self.block_depth();
        self.deepest = self.deepest.max(depth);
        if depth > self.limit {
            Err(Stop::TooDeep(at))
        } else {
            Ok(())
        }
    }

    fn block_depth(&self) -> usize {
        self.indents.len() + self.indents.iter().filter(|i| i.indentless).count()
    }

    /// libyaml's `roll_indent`: a block collection starts at `column` if that is deeper
    /// than the current one.
    fn roll(&mut self, column: usize, mapping: bool, at: usize) -> Result<(), Stop> {
        if self.flow > 0 {
            return Ok(());
        }
        if self.top() < column as isize {
            self.indents.push(Indent {
                column,
                mapping,
                indentless: false,
            });
            self.check_depth(at)?;
        }
        Ok(())
    }

    /// libyaml's `unroll_indent`: collections deeper than `column` end.
    fn unroll(&mut self, column: isize) {
        while self.top() > column {
            self.indents.pop();
        }
    }

    /// `?` or `:` directly inside a flow sequence opens a single-pair mapping (`[a: b]`).
    fn flow_pair(&mut self, at: usize) -> Result<(), Stop> {
        if let Some(top) = self.flows.last_mut()
            && top.0
            && !top.1
        {
            top.1 = true;
            self.check_depth(at)?;
        }
        Ok(())
    }

    fn save_key(&mut self) {
        if self.flow == 0 && self.key_allowed {
            self.key_flow = 0;
            self.key = Some(Key {
                pos: self.pos,
                column: self.column,
                line: self.line,
                index: self.index,
            });
        }
    }

    fn tokens(&mut self) -> Result<(), Stop> {
        loop {
            self.skip_to_token();
            if self.at_end() {
                return Ok(());
            }
            if let Some(key) = self.key
                && (key.line < self.line || key.index + 1024 < self.index)
            {
                self.key = None;
            }
            let start = self.pos;
            let column = self.column;
            if self.flow == 0 {
                self.unroll(column as isize);
                // An indentless sequence ends at the first thing in its column that is
                // not another `- ` entry.
                let entry = self.peek(0) == b'-' && self.is_blankz(1);
                if !entry
                    && let Some(top) = self.indents.last_mut()
                    && top.column == column
                {
                    top.indentless = false;
                }
            }
            let c = self.peek(0);
            if column == 0 && c == b'%' {
                while !self.is_breakz() {
                    self.bump();
                }
                continue;
            }
            if column == 0 && self.document_marker() {
                self.unroll(-1);
                self.key = None;
                self.key_allowed = false;
                for _ in 0..3 {
                    self.bump();
                }
                continue;
            }
            match c {
                b'[' | b'{' => {
                    self.save_key();
                    self.flows.push((c == b'[', false));
                    self.flow += 1;
                    self.check_depth(start)?;
                    self.key_allowed = true;
                    self.bump();
                }
                b']' | b'}' => {
                    self.flows.pop();
                    self.flow = self.flow.saturating_sub(1);
                    self.key_allowed = false;
                    self.bump();
                }
                b',' => {
                    if let Some(top) = self.flows.last_mut() {
                        top.1 = false;
                    }
                    self.key_allowed = true;
                    self.bump();
                }
                b'-' if self.is_blankz(1) => {
                    if self.flow == 0 {
                        if !self.key_allowed {
                            return Err(Stop::SyntaxError);
                        }
                        if self.top() == column as isize {
                            // `key:` and its `- item`s in one column: a sequence inside
                            // the map with no indentation of its own.
                            if let Some(top) = self.indents.last_mut()
                                && top.mapping
                                && !top.indentless
                            {
                                top.indentless = true;
                                self.check_depth(start)?;
                            }
                        } else {
                            self.roll(column, false, start)?;
                        }
                        self.key = None;
                    }
                    self.key_allowed = true;
                    self.bump();
                }
                b'?' if self.flow > 0 || self.is_blankz(1) => {
                    self.flow_pair(start)?;
                    if self.flow == 0 {
                        if !self.key_allowed {
                            return Err(Stop::SyntaxError);
                        }
                        self.roll(column, true, start)?;
                        self.key = None;
                    }
                    self.key_allowed = self.flow == 0;
                    self.bump();
                }
                b':' if self.flow > 0 => {
                    // A value in a flow collection: the block key (if any) waits for
                    // the `:` after the collection.
                    self.flow_pair(start)?;
                    self.key_allowed = false;
                    self.bump();
                }
                b':' if self.is_blankz(1) => {
                    match self.key.take() {
                        Some(key) => {
                            self.roll(key.column, true, key.pos)?;
                            let inside = self.key_flow;
                            self.key_flow = 0;
                            self.flows.extend((0..inside).map(|_| (false, false)));
                            self.flow += inside;
                            let deep = self.check_depth(key.pos);
                            self.flows.truncate(self.flows.len() - inside);
                            self.flow -= inside;
                            deep?;
                            self.key_allowed = false;
                        }
                        None => {
                            if !self.key_allowed {
                                return Err(Stop::SyntaxError);
                            }
                            self.roll(column, true, start)?;
                            self.key_allowed = true;
                        }
                    }
                    self.bump();
                }
                b'*' | b'&' => {
                    self.save_key();
                    self.key_allowed = false;
                    self.bump();
                    while self.peek(0).is_ascii_alphanumeric()
                        || matches!(self.peek(0), b'_' | b'-')
                    {
                        self.bump();
                    }
                }
                b'!' => {
                    self.save_key();
                    self.key_allowed = false;
                    self.tag();
                }
                b'|' | b'>' if self.flow == 0 => {
                    self.key = None;
                    self.key_allowed = true;
                    self.block_scalar()?;
                }
                b'\'' | b'"' => {
                    self.save_key();
                    self.key_allowed = false;
                    self.quoted(c)?;
                }
                _ if self.is_blankz(0) => return Err(Stop::SyntaxError), // a tab: libyaml stops
                _ => {
                    self.save_key();
                    self.key_allowed = false;
                    self.plain()?;
                }
            }
            if self.pos == start {
                return Err(Stop::SyntaxError); // cannot happen; never loop without progress
            }
        }
    }

    fn document_marker(&self) -> bool {
        let three = |c: u8| self.peek(0) == c && self.peek(1) == c && self.peek(2) == c;
        (three(b'-') || three(b'.')) && self.is_blankz(3)
    }

    /// libyaml's `scan_to_next_token`: spaces, tabs where allowed, comments, line breaks.
    fn skip_to_token(&mut self) {
        loop {
            if self.column == 0 && self.b[self.pos..].starts_with("\u{feff}".as_bytes()) {
                self.bump();
            }
            while self.peek(0) == b' '
                || (self.flow > 0 || !self.key_allowed) && self.peek(0) == b'\t'
            {
                self.bump();
            }
            if self.peek(0) == b'#' {
                while !self.is_breakz() {
                    self.bump();
                }
            }
            if self.break_len(0) == 0 {
                return;
            }
            self.bump();
            if self.flow == 0 {
                self.key_allowed = true;
            }
        }
    }

    /// `!tag`, `!!str`, `!<verbatim>`. A flow indicator right after a tag is a libyaml
    /// error; it is left to the token loop, which at worst counts one level too many.
    fn tag(&mut self) {
        self.bump();
        if self.peek(0) == b'<' {
            while !self.is_blankz(0) && self.peek(0) != b'>' {
                self.bump();
            }
            if self.peek(0) == b'>' {
                self.bump();
            }
            return;
        }
        while self.peek(0).is_ascii_alphanumeric() || b"-_;/?:@&=+$.%!~*'()".contains(&self.peek(0))
        {
            self.bump();
        }
    }

    fn quoted(&mut self, quote: u8) -> Result<(), Stop> {
        self.bump();
        loop {
            if self.at_end() {
                return Err(Stop::SyntaxError); // unclosed: libyaml fails at the end
            }
            let c = self.peek(0);
            if quote == b'\'' && c == b'\'' {
                self.bump();
                if self.peek(0) != b'\'' {
                    return Ok(());
                }
            } else if quote == b'"' && c == b'\\' {
                self.bump();
            } else if quote == b'"' && c == b'"' {
                self.bump();
                return Ok(());
            }
            self.bump();
        }
    }

    /// libyaml's `scan_plain_scalar`: words up to `: `, ` #`, a flow indicator in flow
    /// context, or a line indented no deeper than the current block collection.
    fn plain(&mut self) -> Result<(), Stop> {
        let indent = self.top() + 1;
        let mut leading_blanks = false;
        loop {
            if self.column == 0 && self.document_marker() || self.peek(0) == b'#' {
                break;
            }
            while !self.is_blankz(0) {
                let c = self.peek(0);
                if self.flow > 0 && c == b':' && b",?[]{}".contains(&self.peek(1)) {
                    return Err(Stop::SyntaxError);
                }
                if c == b':' && self.is_blankz(1)
                    || self.flow > 0 && matches!(c, b',' | b'[' | b']' | b'{' | b'}')
                {
                    if leading_blanks {
                        self.key_allowed = true;
                    }
                    return Ok(());
                }
                leading_blanks = false;
                self.bump();
            }
            if !(self.is_blank(0) || self.break_len(0) > 0) {
                break;
            }
            while self.is_blank(0) || self.break_len(0) > 0 {
                if self.is_blank(0) {
                    if leading_blanks && (self.column as isize) < indent && self.peek(0) == b'\t' {
                        return Err(Stop::SyntaxError);
                    }
                } else {
                    leading_blanks = true;
                }
                self.bump();
            }
            if self.flow == 0 && (self.column as isize) < indent {
                break;
            }
        }
        if leading_blanks {
            self.key_allowed = true;
        }
        Ok(())
    }

    /// libyaml's `scan_block_scalar`: `|` or `>`, its header, then every line indented at
    /// least as far as the first one (which must be deeper than the current collection).
    fn block_scalar(&mut self) -> Result<(), Stop> {
        self.bump();
        let mut increment = 0isize;
        let digit = |c: u8| c.is_ascii_digit().then(|| (c - b'0') as isize);
        if matches!(self.peek(0), b'+' | b'-') {
            self.bump();
            if let Some(d) = digit(self.peek(0)) {
                if d == 0 {
                    return Err(Stop::SyntaxError);
                }
                increment = d;
                self.bump();
            }
        } else if let Some(d) = digit(self.peek(0)) {
            if d == 0 {
                return Err(Stop::SyntaxError);
            }
            increment = d;
            self.bump();
            if matches!(self.peek(0), b'+' | b'-') {
                self.bump();
            }
        }
        while self.is_blank(0) {
            self.bump();
        }
        if self.peek(0) == b'#' {
            while !self.is_breakz() {
                self.bump();
            }
        }
        if !self.is_breakz() {
            return Err(Stop::SyntaxError);
        }
        self.bump();
        let top = self.top();
        let mut indent = if increment == 0 {
            0
        } else if top >= 0 {
            top + increment
        } else {
            increment
        };
        let mut max_indent = 0isize;
        self.block_breaks(&mut indent, &mut max_indent)?;
        if indent == 0 {
            indent = max_indent.max(top + 1).max(1);
        }
        while self.column as isize == indent && !self.at_end() {
            while !self.is_breakz() {
                self.bump();
            }
            if self.at_end() {
                break;
            }
            self.bump();
            self.block_breaks(&mut indent, &mut max_indent)?;
        }
        Ok(())
    }

    /// Empty lines and indentation before a block scalar's next line.
    fn block_breaks(&mut self, indent: &mut isize, max_indent: &mut isize) -> Result<(), Stop> {
        loop {
            while (*indent == 0 || (self.column as isize) < *indent) && self.peek(0) == b' ' {
                self.bump();
            }
            *max_indent = (*max_indent).max(self.column as isize);
            if (*indent == 0 || (self.column as isize) < *indent) && self.peek(0) == b'\t' {
                return Err(Stop::SyntaxError);
            }
            if self.break_len(0) == 0 {
                return Ok(());
            }
            self.bump();
        }
    }
}
