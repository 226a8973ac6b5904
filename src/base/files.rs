//! The files a build makes, in memory: what every stage above hands to output.

use std::path::PathBuf;

/// The file that marks a folder as semester's output (so we never replace anything else,
/// and never read a built site back as a source of the course).
pub const OUTPUT_MARKER: &str = ".semester-output";

/// A file of the output, relative to the output folder.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// `/`-separated path below public/.
    pub path: String,
    /// What goes in it.
    pub data: Data,
}

/// The bytes of an output file, or where to copy them from.
#[derive(Debug, Clone)]
pub enum Data {
    /// Made by the build.
    Bytes(Vec<u8>),
    /// Copied from a source file.
    Copy(PathBuf),
    /// Compiled into the binary.
    Static(&'static [u8]),
    /// A file of the previous output, reused as it is (hard-linked where possible).
    Link(PathBuf),
    /// Made by an earlier build of the same process and kept (`serve`).
    Shared(std::sync::Arc<Vec<u8>>),
}
