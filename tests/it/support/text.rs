//! What a reader sees of a page: its text, with tags, comments, `<script>` and `<style>`
//! left out, entities decoded and whitespace collapsed. For tests that ask whether some
//! words are visible on the page (`{{< tweet … >}}` kept as text), not how they are marked up.

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// The visible text of an HTML document or fragment, whitespace collapsed to single spaces.
pub fn visible_text(html: &str) -> String {
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut text = String::new();
    let mut hidden: Option<String> = None; // inside <script>, <style> or <title>
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if block(&name) {
                    text.push(' ');
                }
                if matches!(name.as_str(), "script" | "style" | "title") && !tag.self_closing {
                    hidden = Some(name);
                }
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if hidden.as_deref() == Some(name.as_str()) {
                    hidden = None;
                }
                if block(&name) {
                    text.push(' ');
                }
            }
            Token::String(s) if hidden.is_none() => {
                text.push_str(&String::from_utf8_lossy(&s.value));
            }
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Elements whose boundaries separate words; inline ones (`<span>` of highlighted code,
/// `<code>`, `<a>`) do not.
fn block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "hr"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "pre"
            | "blockquote"
            | "figure"
            | "figcaption"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "nav"
            | "main"
            | "aside"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "title"
            | "script"
            | "style"
    )
}

#[test]
fn text_is_what_a_reader_sees() {
    let html = "<title>T</title><style>p{}</style><p>a &amp; <code>{{&lt; tweet id=&quot;1&quot; &gt;}}</code></p>\
                <script>let x = 1;</script><p>b</p><pre><span>fn</span> <span>main</span>()</pre>";
    assert_eq!(visible_text(html), "a & {{< tweet id=\"1\" >}} b fn main()");
}
