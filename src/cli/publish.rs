//! The output folder of a build, as `--out` names it: checked before anything is written (the
//! writing itself is `site::publish`).

use std::path::{Path, PathBuf};

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::site::output;

/// `out` made absolute and checked to be a folder of its own (not the course, not inside
/// content/); else an error blamed on `--out`, returned with `diags`.
pub fn out_dir(root: &Path, out: &Path, diags: &mut Diagnostics) -> Result<PathBuf, Diagnostics> {
    output::check_out_dir(root, out).map_err(|msg| {
        let hint = "write the site to a folder of its own, e.g. public/ inside the course";
        diags.push(Diagnostic::error("--out", 1, 1, msg).with_hint(hint));
        diags.clone()
    })
}
