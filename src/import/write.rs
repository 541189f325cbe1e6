//! Writing DEST: config.yaml, content/, static/, the Pages workflow and .gitignore. YAML is
//! serialised by serde_yaml (through `crate::yaml`), never pasted together, so a title like
//! `yes: no` or `"quoted"` reads back as the same string.

use std::path::{Path, PathBuf};

use super::model::Site;
use crate::yaml::{self, Value};

/// The same file `sheaf init` writes (`scaffold::GITIGNORE`).
const GITIGNORE: &str = "/public\n/.sheaf-cache\n";

/// A document's text: its front matter between `---` lines, then its body.
pub(crate) fn document(front: &yaml::Mapping, body: &str) -> String {
    let yaml = yaml::to_string(&Value::Mapping(front.clone()));
    let mut out = String::with_capacity(yaml.len() + body.len() + 10);
    out.push_str("---\n");
    out.push_str(&yaml);
    if !yaml.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("---\n");
    out.push_str(body);
    out
}

/// config.yaml's text.
pub(crate) fn config(site: &Site) -> String {
    yaml::to_string(&Value::Mapping(site.config.clone()))
}

/// Writes the whole site into `dest`; returns the files written (relative to `dest`).
pub(crate) fn write(site: &Site, dest: &Path, workflow: &str) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let mut put = |rel: &str, bytes: &[u8]| -> std::io::Result<()> {
        let path = dest.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)?;
        written.push(PathBuf::from(rel));
        Ok(())
    };
    put("config.yaml", config(site).as_bytes())?;
    for doc in &site.docs {
        put(
            &format!("content/{}", doc.dest),
            document(&doc.front, &doc.body).as_bytes(),
        )?;
    }
    put(".github/workflows/pages.yml", workflow.as_bytes())?;
    put(".gitignore", GITIGNORE.as_bytes())?;
    for asset in &site.assets {
        let to = dest.join(&asset.to);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(&asset.from, &to)?;
        written.push(PathBuf::from(&asset.to));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::model::string;

    #[test]
    fn yaml_is_quoted_by_the_serialiser() {
        let mut front = yaml::Mapping::new();
        front.insert(string("title"), string("yes: \"no\" # not a comment"));
        front.insert(string("date"), string("2020-05-01"));
        front.insert(string("description"), string("true"));
        let text = document(&front, "body\n");
        let parts = crate::load::front_matter::split(&text).unwrap();
        let back: yaml::Value = yaml::from_str(&text[parts.yaml]).unwrap();
        assert_eq!(back["title"], Value::from("yes: \"no\" # not a comment"));
        assert_eq!(back["description"], Value::from("true"));
        assert!(text.ends_with("---\nbody\n"));
    }
}
