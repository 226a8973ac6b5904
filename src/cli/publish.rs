//! Writing a built site to its output folder: a folder of its own, swapped in whole, with the
//! record of what was written (for the next build to reuse).

use std::path::{Path, PathBuf};

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::site::build::Site;
use crate::site::{manifest, output, versions};

/// `out` made absolute and checked to be a folder of its own (not the course, not inside
/// content/); else an error blamed on `--out`, returned with `diags`.
pub fn out_dir(root: &Path, out: &Path, diags: &mut Diagnostics) -> Result<PathBuf, Diagnostics> {
    output::check_out_dir(root, out).map_err(|msg| {
        let hint = "write the site to a folder of its own, e.g. public/ inside the course";
        diags.push(Diagnostic::error("--out", 1, 1, msg).with_hint(hint));
        diags.clone()
    })
}

/// Writes `site` into `out` (only what changed since the last build, when nothing else did),
/// and records the frozen terms and the files written. A failed write is an error in the
/// returned `diags`; the previous output is then left as it was.
pub fn write(out: &Path, site: &mut Site, mut diags: Diagnostics) -> Result<(), Diagnostics> {
    let t = std::time::Instant::now();
    let previous = manifest::Manifest::load(out);
    let swap = output::write_site(out, &site.files, previous.as_ref());
    match &swap {
        Ok(output::Swap::Folder | output::Swap::Unchanged) => {}
        Ok(output::Swap::Contents) => site.notes.push(format!(
            "{} cannot be renamed (a mount point?): the new site was swapped in entry by entry",
            out.display()
        )),
        Err(msg) => {
            diags.push(Diagnostic::error(out, 1, 1, msg.clone()));
            return Err(diags);
        }
    }
    versions::record(out, &site.frozen);
    if swap != Ok(output::Swap::Unchanged) {
        manifest::record(out, &site.files);
    }
    site.timings.push(("write", t.elapsed()));
    Ok(())
}
