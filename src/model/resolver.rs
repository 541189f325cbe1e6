//! How a Markdown body's links are answered: the site as a [`LinkResolver`], from its
//! tables of documents, content files and images.

use super::bodies::result_path;
use super::{Site, Target};
use crate::markdown::{self, LinkResolver};

impl LinkResolver for Site {
    fn page_url(&self, content_path: &str) -> Option<String> {
        match self.by_source.get(content_path)? {
            Target::Page(i) => Some(self.config.urls.path(&self.pages[*i].path)),
            Target::Section(i) => Some(self.config.urls.path(&self.sections[*i].path)),
        }
    }

    fn why_missing(&self, content_path: &str) -> markdown::Missing {
        self.missing_page(content_path)
    }

    fn file(&self, content_path: &str) -> Option<markdown::SiteLink> {
        let url = self.content_file_url(content_path)?;
        let site_path = format!("/{}", super::content_file_path(content_path));
        Some(markdown::SiteLink {
            url,
            document: None,
            image: self.image_ref(&site_path),
        })
    }

    fn site_path(&self, site_path: &str) -> markdown::SitePath {
        Site::site_path(self, site_path)
    }

    fn page_card(&self, content_path: &str) -> Option<serde_json::Value> {
        let Target::Page(i) = *self.by_source.get(content_path)? else {
            return None;
        };
        let page = &self.pages[i];
        let front = &page.doc.front;
        let mut card = serde_json::json!({
            "title": front.title.0,
            "url": self.page_url(i),
            "description": front.description,
        });
        if let Some(sheet) = &page.worksheet {
            let results: Vec<serde_json::Value> = sheet
                .results
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "key": r.key,
                        "title": r.title,
                        "description": r.description,
                        "url": self.config.urls.path(&result_path(&page.path, &r.key)),
                    })
                })
                .collect();
            let keys: Vec<&str> = sheet.results.iter().map(|r| r.key.as_str()).collect();
            card["worksheet"] = serde_json::json!({
                "questions": sheet.questions,
                "results": results,
                "keys": keys,
            });
        }
        Some(card)
    }
}
