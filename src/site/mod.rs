//! The site: root files, frozen versions, the build cache and output (the only stage that
//! writes). Imports every layer below it.

pub mod build;
pub mod cache;
pub mod disk_cache;
pub mod manifest;
pub mod output;
pub mod patch;
pub mod publish;
pub mod reserved;
pub mod site_files;
pub mod store;
pub mod update;
pub mod versions;
