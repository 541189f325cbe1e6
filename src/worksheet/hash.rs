//! The structure hash carried in share links (`"r"` in DESIGN section 6): it changes when a
//! question or option is added, removed, renamed, reordered or changes type, so a share
//! link made for another structure is recognised and restored by id only.

use super::question::Question;

/// The canonical text the hash is computed over:
/// `qid:type:opt1,opt2;` per question, in page order (questions with `share: false` too).
pub(crate) fn canonical(questions: &[Question]) -> String {
    let mut text = String::new();
    for q in questions {
        text.push_str(&q.id);
        text.push(':');
        text.push_str(q.kind.as_str());
        text.push(':');
        let ids: Vec<&str> = q.options.iter().map(|o| o.id.as_str()).collect();
        text.push_str(&ids.join(","));
        text.push(';');
    }
    text
}

/// 8 hex characters of BLAKE3 over [`canonical`].
pub(super) fn structure_hash(questions: &[Question]) -> String {
    blake3::hash(canonical(questions).as_bytes()).to_hex()[..8].to_string()
}
