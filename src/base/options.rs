//! The switches of one build, from the command line.

/// Build switches from the command line.
#[derive(Debug, Clone, Hash)]
pub struct BuildOptions {
    /// Include drafts.
    pub drafts: bool,
    /// Include private pages.
    pub private: bool,
    /// The build date, for `labs.hide_until_release`.
    pub as_of: jiff::civil::Date,
    /// `--base-url`.
    pub base_url: Option<String>,
    /// Build the search index (off for `check`, and for `serve`'s quick rebuilds).
    pub search: bool,
    /// `--follow-outside-symlinks`: follow symlinks in content/, static/, templates/ and
    /// themes/ that point outside the course (off: each such link is an error).
    pub outside_links: bool,
}
