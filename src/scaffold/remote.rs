//! Where a new site will be published: the GitHub Pages address of the repository that
//! `sheaf init` runs in, read from its `origin` remote.

use std::path::Path;

use super::PLACEHOLDER_BASE_URL;

/// Where `base_url` in the new config.yaml came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BaseUrlSource {
    /// The GitHub Pages address of the `origin` remote, a GitHub repository.
    GitHub { owner: String, repo: String },
    /// `origin` is not a GitHub repository: the placeholder was kept.
    OtherRemote(String),
    /// No `origin` remote (no git, not a repository, or no such remote).
    NoRemote,
}

/// The base URL for a new site in `dir`, and why.
pub(crate) fn base_url_for(dir: &Path) -> (String, BaseUrlSource) {
    match origin_url(dir) {
        None => (PLACEHOLDER_BASE_URL.to_string(), BaseUrlSource::NoRemote),
        Some(url) => match github_repo(&url) {
            Some((owner, repo)) => (
                github_pages_url(&owner, &repo),
                BaseUrlSource::GitHub { owner, repo },
            ),
            None => (
                PLACEHOLDER_BASE_URL.to_string(),
                BaseUrlSource::OtherRemote(url),
            ),
        },
    }
}

/// The URL of the `origin` remote of the git repository `dir` is in (or would be in:
/// the nearest existing parent folder is asked), if there is one. Any failure (no git,
/// not a repository, no `origin`) is `None`.
fn origin_url(dir: &Path) -> Option<String> {
    let existing = dir.ancestors().find(|d| d.is_dir())?;
    let existing = if existing.as_os_str().is_empty() {
        Path::new(".")
    } else {
        existing
    };
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(existing)
        .args(["remote", "get-url", "origin"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let url = String::from_utf8(output.stdout).ok()?.trim().to_string();
    (output.status.success() && !url.is_empty()).then_some(url)
}

/// The owner and repository of a GitHub remote URL: `https://github.com/O/R(.git)`,
/// `ssh://git@github.com/O/R(.git)` (user names and ports allowed), or git's scp-like
/// `git@github.com:O/R(.git)`. `None` for anything else.
fn github_repo(url: &str) -> Option<(String, String)> {
    let url = url.trim();
    let path = match url.strip_prefix("git@github.com:") {
        Some(path) => path.to_string(),
        None => {
            let parsed = url::Url::parse(url).ok()?;
            let host = parsed.host_str()?;
            let known_scheme = matches!(
                parsed.scheme(),
                "https" | "http" | "ssh" | "git" | "git+ssh"
            );
            if !known_scheme
                || !(host.eq_ignore_ascii_case("github.com")
                    || host.eq_ignore_ascii_case("www.github.com"))
            {
                return None;
            }
            parsed.path().trim_start_matches('/').to_string()
        }
    };
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let (owner, repo) = path.split_once('/')?;
    let owner_ok =
        !owner.is_empty() && owner.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let repo_ok = !repo.is_empty()
        && repo != "."
        && repo != ".."
        && repo
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    (owner_ok && repo_ok).then(|| (owner.to_string(), repo.to_string()))
}

/// The address GitHub Pages serves a repository's site at: a project site under
/// `/<repo>/`, or the user (or organisation) site for a repository named
/// `<owner>.github.io`.
fn github_pages_url(owner: &str, repo: &str) -> String {
    let host = format!("{}.github.io", owner.to_ascii_lowercase());
    if repo.eq_ignore_ascii_case(&host) {
        format!("https://{host}/")
    } else {
        format!("https://{host}/{repo}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_remotes_give_the_pages_address() {
        for url in [
            "https://github.com/someone/my-guide.git",
            "https://github.com/someone/my-guide",
            "https://github.com/someone/my-guide/",
            "https://token@github.com/someone/my-guide.git",
            "git@github.com:someone/my-guide.git",
            "git@github.com:someone/my-guide",
            "ssh://git@github.com/someone/my-guide.git",
            "ssh://git@github.com:22/someone/my-guide",
        ] {
            assert_eq!(
                github_repo(url),
                Some(("someone".to_string(), "my-guide".to_string())),
                "{url}"
            );
        }
        for url in [
            "https://gitlab.com/someone/my-guide.git",
            "git@gitlab.com:someone/my-guide.git",
            "https://github.com/someone",
            "https://github.com/someone/my-guide/tree/main",
            "/srv/git/my-guide.git",
            "https://github.com.evil.example/someone/my-guide",
        ] {
            assert_eq!(github_repo(url), None, "{url}");
        }
        assert_eq!(
            github_pages_url("someone", "my-guide"),
            "https://someone.github.io/my-guide/"
        );
        assert_eq!(
            github_pages_url("SomeOne", "someone.github.io"),
            "https://someone.github.io/"
        );
    }
}
