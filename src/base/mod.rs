//! The bottom layer: the types every stage shares (diagnostics, output files, build switches,
//! the fence every course file is read through, link URLs).
//! Nothing here imports another layer.

pub mod diagnostics;
pub mod fence;
pub mod files;
pub mod i18n;
pub mod lazy_text;
pub mod memo;
pub mod options;
pub mod urls;
