//! `semester build`: the site built with the cache kept beside the output folder
//! ([`super::store`]), written into the folder, and what the build made kept for the next one.

use std::path::Path;
use std::time::Instant;

use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::options::BuildOptions;
use crate::site::build::{Reuse, Site, build_site};
use crate::site::{manifest, output, store, versions};

/// Builds the course at `root` into the output folder `out` (checked by the caller). On errors
/// the previous output is left untouched and nothing is kept.
pub fn build_into(root: &Path, out: &Path, options: &BuildOptions) -> Result<Site, Diagnostics> {
    let mut diags = Diagnostics::new();
    let previous = manifest::Manifest::load(out);
    let loaded = store::load(out, options, previous.as_ref());
    let reuse = Reuse {
        previous: Some(out),
        cache: Some(&loaded.cache),
        code: Some(&loaded.cache.code),
    };
    let Some(mut site) = build_site(root, options, reuse, &mut diags) else {
        return Err(diags);
    };
    let t = Instant::now();
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
    let sources: Vec<&str> = site
        .course
        .content
        .pages
        .iter()
        .map(|p| p.rel.as_str())
        .collect();
    store::save(out, &loaded, &site.files, &sources);
    versions::record(out, &site.frozen);
    if swap != Ok(output::Swap::Unchanged) {
        manifest::record(out, &site.files);
    }
    site.timings.push(("write", t.elapsed()));
    Ok(site)
}
