//! Rendering: Markdown, highlighting, templates, page contexts, the calendar's views, the .ics
//! feed, notebooks and the search index. Returns files in memory; never writes.
//! Imports `base`, `load`, `schedule`.

pub mod announcements;
pub mod calendar_page;
pub mod context;
pub mod facts;
pub mod highlight;
pub mod i18n;
pub mod ics;
pub mod input;
pub mod markdown;
pub mod next_up;
pub mod notebook;
pub mod page;
pub mod people;
pub mod search;
pub mod templates;
