//! The bottom layer: the types every stage shares (diagnostics, output files, build switches).
//! Nothing here imports another layer.

pub mod diagnostics;
pub mod files;
pub mod memo;
pub mod options;
