//! Front-matter keys (DESIGN section 4) and the value types that validate themselves while
//! deserializing, so the YAML layer can point at the offending value.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer};

use crate::yaml;

/// Front matter of a page (`foo.md`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    pub title: Title,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    #[serde(default, deserialize_with = "smart_text")]
    pub description: String,
    #[serde(default)]
    pub tags: Vec<TagName>,
    /// The series the page is a part of: one name, so a page is in at most one series.
    pub series: Option<SeriesName>,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<Slug>,
    /// The page's whole URL (`/2020/05/01/my-post/`), kept from a site it was moved from.
    pub path: Option<PagePath>,
    /// The id of the page's feed items, when it must stay what an old feed said.
    pub feed_id: Option<FeedId>,
    pub weight: Option<i64>,
    pub image: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub toc: bool,
    /// `search: false` keeps the page out of the site's search index.
    #[serde(default = "yes")]
    pub search: bool,
    pub template: Option<String>,
    /// Parsed by the worksheet module; kept raw here so this file does not depend on it.
    pub worksheet: Option<yaml::Value>,
    pub extra: Option<yaml::Value>,
}

/// Front matter of a section (`_index.md`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionFront {
    pub title: Title,
    #[serde(default, deserialize_with = "smart_text")]
    pub description: String,
    pub sort_by: Option<SortBy>,
    /// Entries per list page here (the site's `paginate_by` when absent; `0`: one page).
    pub paginate_by: Option<crate::config::PageSize>,
    /// Old URLs of the list that redirect here (a section moved from `/posts/` to `/blog/`).
    #[serde(default)]
    pub aliases: Vec<String>,
    pub weight: Option<i64>,
    pub template: Option<String>,
    pub extra: Option<yaml::Value>,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Newest first; pages must have a date.
    Date,
    /// Lowest weight first, then title.
    Weight,
    /// Alphabetical by title.
    Title,
}

fn yes() -> bool {
    true
}

/// A description with the body's smart punctuation (`crate::smart`), like titles.
fn smart_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    Ok(crate::smart::smarten(&text).into_owned())
}

/// A non-empty title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title(pub String);

impl<'de> Deserialize<'de> for Title {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        yaml::validated_str(deserializer, "a title", |s| {
            let s = s.trim();
            if s.is_empty() {
                return Err("the title is empty: write `title: Some words`".to_string());
            }
            Ok(Title(crate::smart::smarten(s).into_owned()))
        })
    }
}

/// A tag as written; merging spellings happens in the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagName(pub String);

impl<'de> Deserialize<'de> for TagName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        yaml::validated_str(deserializer, "a tag name", |s| {
            let cleaned: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
            if cleaned.is_empty() {
                return Err("a tag is empty: remove it or give it a name".to_string());
            }
            if cleaned.chars().count() > 100 {
                return Err("a tag is longer than 100 characters: shorten it".to_string());
            }
            Ok(TagName(cleaned))
        })
    }
}

/// A series as written (`series: Building habits`); spellings are merged in the model like
/// tags' (`model::series`), so the same rules keep names short and non-empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesName(pub String);

impl<'de> Deserialize<'de> for SeriesName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        yaml::validated_str(
            deserializer,
            "a series name (a page is part of one series at most)",
            |s| {
                let cleaned: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
                if cleaned.is_empty() {
                    return Err(
                    "the series name is empty: name the series (`series: Building habits`) or remove the key"
                        .to_string(),
                );
                }
                if cleaned.chars().count() > 100 {
                    return Err(
                        "the series name is longer than 100 characters: shorten it".to_string()
                    );
                }
                Ok(SeriesName(cleaned))
            },
        )
    }
}

/// A URL slug: only `[a-z0-9-]`, so it can never leave its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(pub String);

impl<'de> Deserialize<'de> for Slug {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        yaml::validated_str(deserializer, "a slug", |s| {
            let valid = !s.is_empty()
                && s.len() <= 200
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !s.starts_with('-')
                && !s.ends_with('-');
            if !valid {
                return Err(format!(
                    "invalid slug `{s}`: use only lowercase letters, digits and inner hyphens, e.g. `my-essay`"
                ));
            }
            Ok(Slug(s.to_string()))
        })
    }
}

/// `path:`: a page's URL as a site path, always folder-style (`/2020/05/01/my-post/`), so
/// it is written as `…/index.html` like every other page. Segments are confined like
/// aliases': ASCII letters, digits, `-`, `_`, `.`, `~`, never `.` or `..`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagePath(pub String);

impl<'de> Deserialize<'de> for PagePath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        yaml::validated_str(deserializer, "a page path", |s| {
            let trimmed = s.trim().trim_matches('/');
            if trimmed.is_empty() {
                return Err(
                    "`path: /` is the home page's URL: write `content/_index.md` for it, or                      give this page a path such as `/about/`"
                        .to_string(),
                );
            }
            let bad_segment = trimmed.split('/').find(|segment| {
                segment.is_empty()
                    || *segment == "."
                    || *segment == ".."
                    || !segment
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
            });
            if let Some(segment) = bad_segment {
                return Err(format!(
                    "invalid path `{s}`: the segment `{segment}` may hold only letters,                      digits, `-`, `_`, `.` and `~`; write a site path such as `/2020/05/my-post/`"
                ));
            }
            if [".html", ".htm", ".xml"]
                .iter()
                .any(|ext| trimmed.to_ascii_lowercase().ends_with(ext))
            {
                return Err(format!(
                    "`path: {s}` names a file, but a page is a folder: write `path: /{}/` \
                     and keep the old address with `aliases: [\"/{trimmed}\"]`",
                    trimmed.rsplit_once('.').map_or(trimmed, |(stem, _)| stem)
                ));
            }
            if trimmed.len() > 400 {
                return Err("the path is longer than 400 characters: shorten it".to_string());
            }
            Ok(PagePath(format!("/{trimmed}/")))
        })
    }
}

/// `feed_id:`: what feeds call the page (RSS `guid`, Atom and JSON Feed `id`) instead of its
/// URL, so a page moved from another site is not new to readers' feed apps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedId(pub String);

impl<'de> Deserialize<'de> for FeedId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        yaml::validated_str(deserializer, "a feed id", |s| {
            let s = s.trim();
            if s.is_empty() || s.len() > 2000 || s.chars().any(char::is_whitespace) {
                return Err("a feed id is one word, usually the page's old address: \
                     `feed_id: https://old.example.com/2020/05/01/my-post.html`"
                    .to_string());
            }
            Ok(FeedId(s.to_string()))
        })
    }
}

/// A date or date-time. Dates without a time are midnight UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub at: DateTime<FixedOffset>,
    /// Written without a time of day (shown without one).
    pub date_only: bool,
}

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            let at = Utc
                .from_utc_datetime(&d.and_hms_opt(0, 0, 0)?)
                .fixed_offset();
            return Some(Date {
                at,
                date_only: true,
            });
        }
        if let Ok(at) = DateTime::parse_from_rfc3339(s) {
            return Some(Date {
                at,
                date_only: false,
            });
        }
        for format in [
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
        ] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(s, format) {
                return Some(Date {
                    at: Utc.from_utc_datetime(&naive).fixed_offset(),
                    date_only: false,
                });
            }
        }
        None
    }

    /// Whether the date lies after `now`. A date without a time counts as the whole day in
    /// the author's own time zone, so an essay dated today is never "in the future" for an
    /// author east of UTC.
    pub fn is_after(&self, now: DateTime<Utc>) -> bool {
        if self.date_only {
            self.at.date_naive() > now.with_timezone(&chrono::Local).date_naive()
        } else {
            self.at > now
        }
    }

    /// RFC 3339, for `<time datetime>`, Atom and the sitemap.
    pub fn iso(&self) -> String {
        self.at.to_rfc3339()
    }

    /// `1 March 2025`, for readers.
    pub fn display(&self) -> String {
        self.at.format("%-d %B %Y").to_string()
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        yaml::validated_str(
            deserializer,
            "a date like 2025-03-01 or 2025-03-01T09:30:00Z",
            |s| {
                Date::parse(s).ok_or_else(|| {
                format!("invalid date `{s}`: write YYYY-MM-DD (2025-03-01) or RFC 3339 (2025-03-01T09:30:00+01:00)")
            })
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_all_accepted_forms() {
        assert!(Date::parse("2025-03-01").unwrap().date_only);
        assert_eq!(Date::parse("2025-03-01").unwrap().display(), "1 March 2025");
        assert!(!Date::parse("2025-03-01T09:30:00+01:00").unwrap().date_only);
        assert!(Date::parse("2025-03-01 09:30:00").is_some());
        assert!(Date::parse("2025-13-01").is_none());
        assert!(Date::parse("yesterday").is_none());
    }

    #[test]
    fn slug_rejects_path_tricks() {
        for bad in ["../../x", "A", "a/b", "", "-a", "a b", "é"] {
            let r: Result<Slug, _> = yaml::from_str(&format!("'{bad}'"));
            assert!(r.is_err(), "{bad}");
        }
        let ok: Slug = yaml::from_str("my-essay-2").unwrap();
        assert_eq!(ok.0, "my-essay-2");
    }

    #[test]
    fn tag_whitespace_is_folded() {
        let t: TagName = yaml::from_str("'  Data   Science '").unwrap();
        assert_eq!(t.0, "Data Science");
    }
}
