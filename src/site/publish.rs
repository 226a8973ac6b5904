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
    let t = Instant::now();
    let previous = manifest::Manifest::load(out);
    let checked = t.elapsed();
    let t = Instant::now();
    let mut loaded = store::load(out, options, previous.as_ref());
    let cache_loaded = t.elapsed();
    let (mut built, mut diags) = build_with(root, out, options, &loaded);
    if loaded.damaged() {
        // A render kept on disk was not as the cache's index named it: built again without.
        loaded = store::cold(out, options);
        (built, diags) = build_with(root, out, options, &loaded);
    }
    let Some(mut site) = built else {
        return Err(diags);
    };
    site.timings
        .splice(0..0, [("check out", checked), ("load cache", cache_loaded)]);
    let t = Instant::now();
    let changes = previous.as_ref().map(|m| m.changes(&site.files));
    let previous = previous.as_ref().zip(changes.as_ref());
    let swap = output::write_site(out, &site.files, previous);
    match &swap {
        Ok(output::Swap::Folder | output::Swap::Unchanged | output::Swap::InPlace) => {}
        Ok(output::Swap::Contents) => site.notes.push(format!(
            "{} cannot be renamed (a mount point?): the new site was swapped in entry by entry",
            out.display()
        )),
        Err(msg) => {
            diags.push(Diagnostic::error(out, 1, 1, msg.clone()));
            return Err(diags);
        }
    }
    if swap != Ok(output::Swap::Unchanged) {
        let in_place = swap == Ok(output::Swap::InPlace);
        manifest::record(out, &site.files, previous, in_place);
    }
    site.timings.push(("write", t.elapsed()));
    let t = Instant::now();
    store::save(out, &loaded, &site.files, &site.course.content);
    versions::record(out, &site.frozen);
    site.timings.push(("save cache", t.elapsed()));
    Ok(site)
}

/// The site built from the course at `root` with the cache `loaded` of the output `out`
/// (`None` on errors), and what the build said.
fn build_with(
    root: &Path,
    out: &Path,
    options: &BuildOptions,
    loaded: &store::Loaded,
) -> (Option<Site>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let reuse = Reuse {
        previous: Some(out),
        cache: Some(&loaded.cache),
        code: Some(&loaded.cache.code),
    };
    (build_site(root, options, reuse, &mut diags), diags)
}
