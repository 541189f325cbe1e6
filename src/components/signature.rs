//! A component's parameters, declared in a comment at the top of its template:
//! `{#- args: src: image!, alt: string!, caption: markdown -#}`.

use crate::markdown::Param;

/// What a declaration looks like, for every message about one.
pub(super) const HELP: &str = "begin the template with `{#- args: name: type, … -#}`: types are \
    string, markdown, number, bool, url, image, page and worksheet; `!` after the type makes it required; \
    a parameter `body` takes the Markdown between `{% name() %}` and `{% end %}`";

/// A declaration that cannot be read: why, and where in the template.
#[derive(Debug)]
pub(super) struct Bad {
    pub message: String,
    pub at: usize,
    pub len: usize,
}

/// Reads the declaration at the start of `text`; a template without one takes no argument.
pub(super) fn read(text: &str) -> Result<Vec<Param>, Bad> {
    let lead = text.len() - text.trim_start().len();
    let Some(rest) = text[lead..].strip_prefix("{#") else {
        return Ok(Vec::new());
    };
    let Some(end) = rest.find("#}") else {
        return Err(Bad {
            message: "the comment is never closed".into(),
            at: lead,
            len: 2,
        });
    };
    let start = lead + 2;
    let comment = &rest[..end];
    let inner = comment.trim_start_matches('-').trim_end_matches('-');
    let inner_at = start + (comment.len() - comment.trim_start_matches('-').len());
    let trimmed = inner.trim_start();
    let Some(list) = trimmed.strip_prefix("args:") else {
        // An ordinary comment.
        return Ok(Vec::new());
    };
    let mut at = inner_at + (inner.len() - trimmed.len()) + "args:".len();
    let mut params: Vec<Param> = Vec::new();
    for item in list.split(',') {
        let here = at;
        at += item.len() + 1;
        let item_lead = item.len() - item.trim_start().len();
        let item_at = here + item_lead;
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let bad = |message: String| Bad {
            message,
            at: item_at,
            len: item.len(),
        };
        let (name, kind) = item
            .split_once(':')
            .ok_or_else(|| bad(format!("`{item}` has no type")))?;
        let name = name.trim();
        let kind = kind.trim();
        let (kind, required) = match kind.strip_suffix('!') {
            Some(kind) => (kind.trim(), true),
            None => (kind, false),
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(bad(format!("`{name}` is not a parameter name")));
        }
        let kind = super::kind_named(kind).ok_or_else(|| bad(format!("`{kind}` is not a type")))?;
        if params.iter().any(|p| p.name == name) {
            return Err(bad(format!("`{name}` is declared twice")));
        }
        params.push(Param {
            name: name.to_string(),
            kind,
            required,
        });
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::ParamKind;

    #[test]
    fn reads_declarations() {
        let params =
            read("{#- args: src: image!, alt: string!, n: number, body: markdown -#}\n<x>")
                .unwrap();
        let names: Vec<_> = params
            .iter()
            .map(|p| (p.name.as_str(), p.kind, p.required))
            .collect();
        assert_eq!(
            names,
            [
                ("src", ParamKind::Image, true),
                ("alt", ParamKind::String, true),
                ("n", ParamKind::Number, false),
                ("body", ParamKind::Markdown, false),
            ]
        );
        assert!(read("<p>no declaration</p>").unwrap().is_empty());
        assert!(read("{# a note #}<p>").unwrap().is_empty());
    }

    #[test]
    fn bad_declarations_say_where() {
        let text = "{# args: src: image!, alt: strng #}";
        let bad = read(text).err().unwrap();
        assert_eq!(bad.message, "`strng` is not a type");
        assert_eq!(&text[bad.at..bad.at + bad.len], "alt: strng");
        for text in [
            "{# args: x #}",
            "{# args: a b: string #}",
            "{# args: a: url, a: url #}",
            "{# args: a: url",
        ] {
            assert!(read(text).is_err(), "{text}");
        }
    }
}
