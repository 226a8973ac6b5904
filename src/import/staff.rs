//! just-the-class' `_staffers` (one page per person: `name`, `role`, `email`, `website`,
//! `photo`, `pronouns`) → course.yaml `instructors`, each photo copied into static/people/.

use serde_yaml::{Mapping, Value};

use super::pages::SrcPage;
use super::report::{Kind, Report};

/// What the staff gives the course: the `instructors` list and the photos to copy (source
/// path relative to SRC, path inside static/).
#[derive(Debug, Default)]
pub struct Staff {
    /// course.yaml `instructors`.
    pub people: Vec<Value>,
    /// Their names, for office hours.
    pub names: Vec<String>,
    /// (photo in SRC, path inside static/).
    pub photos: Vec<(String, String)>,
}

/// Where just-the-class and its forks keep staff photos.
const PHOTO_DIRS: &[&str] = &["assets/images/", "assets/img/", "images/", "img/", ""];

/// A staffer's web address and photo into `m` (the photo to copy into `staff`); one that is
/// not a web address, or a photo not in the site, is left out and reported.
fn add_url_and_photo(
    p: &SrcPage,
    files: &[String],
    (m, staff): (&mut Mapping, &mut Staff),
    report: &mut Report,
) {
    if let Some(url) = p.get("website").or_else(|| p.get("url")) {
        if crate::base::urls::check_link_url(&url).is_ok() {
            m.insert("url".into(), url.into());
        } else {
            report.add(
                Kind::LeftOut,
                &p.path,
                p.line_of("website"),
                format!("`{url}` is not a web address: left out"),
                "give an https:// address",
            );
        }
    }
    if let Some(photo) = p.get("photo") {
        match find_photo(&photo, files) {
            Some(found) => {
                let file = found.rsplit('/').next().unwrap_or(&found).to_string();
                let inside = photo_name(&file);
                staff.photos.push((found, inside.clone()));
                m.insert("photo".into(), inside.into());
            }
            None => report.add(
                Kind::LeftOut,
                &p.path,
                p.line_of("photo"),
                format!("the photo `{photo}` is not in the site"),
                "put it in static/people/ and set `photo:`",
            ),
        }
    }
}

/// Reads every staffer page; `files` are the files of SRC (relative paths).
pub fn read(pages: &[&SrcPage], files: &[String], report: &mut Report) -> Staff {
    let mut staff = Staff::default();
    // Instructors first, then the other roles, each in file-name order.
    let rank = |p: &&SrcPage| {
        let role = p.get("role").unwrap_or_default().to_ascii_lowercase();
        !["instructor", "professor", "lecturer"]
            .iter()
            .any(|r| role.contains(r))
    };
    let mut pages: Vec<&SrcPage> = pages.to_vec();
    pages.sort_by_key(rank);
    for p in pages {
        let Some(name) = p.get("name").or_else(|| p.get("title")) else {
            report.add(
                Kind::LeftOut,
                &p.path,
                1,
                "a staffer without a `name`".into(),
                "add the person to `instructors` in course.yaml",
            );
            continue;
        };
        let mut m = Mapping::new();
        m.insert("name".into(), name.clone().into());
        for (from, to) in [
            ("role", "role"),
            ("email", "email"),
            ("pronouns", "pronouns"),
            ("office", "office"),
        ] {
            if let Some(v) = p.get(from) {
                m.insert(to.into(), v.into());
            }
        }
        add_url_and_photo(p, files, (&mut m, &mut staff), report);
        if !p.body.trim().is_empty() {
            report.add(Kind::LeftOut, &p.path, p.body_line, "the text of the staffer page is left out".into(), "put office hours in the term file (`kind: office-hours`) and anything else on the staff page");
        }
        staff.names.push(name);
        staff.people.push(Value::Mapping(m));
    }
    staff
}

/// `people/<file>` with the file name's stem made a URL name and its extension kept.
fn photo_name(file: &str) -> String {
    match file.rsplit_once('.') {
        Some((stem, ext)) => format!(
            "people/{}.{}",
            super::pages::slug(stem),
            ext.to_ascii_lowercase()
        ),
        None => format!("people/{}", super::pages::slug(file)),
    }
}

fn find_photo(photo: &str, files: &[String]) -> Option<String> {
    let photo = photo.trim_start_matches('/');
    PHOTO_DIRS
        .iter()
        .map(|d| format!("{d}{photo}"))
        .find(|c| files.iter().any(|f| f == c))
}
