//! The course staff as templates see it: course.yaml `instructors`, grouped by `role` in the
//! order the roles first appear, each person with the office hours the term file gives them
//! (meetings with `kind: office-hours` whose `person` is their name).

use serde::Serialize;

use crate::load::config::{Config, Instructor, PersonLink};
use crate::load::term::{Meeting, Term};

/// The role of a person whose `role` is empty.
const DEFAULT_ROLE: &str = "Instructor";

/// The people of one role.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// `Instructor`, `Teaching assistant`…
    pub role: String,
    /// In course.yaml's order.
    pub people: Vec<Person>,
}

/// One person of the staff.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    /// Full name.
    pub name: String,
    /// Pronouns, or empty.
    pub pronouns: String,
    /// Email address, or empty.
    pub email: String,
    /// Office, or empty.
    pub office: String,
    /// Office hours as free text (course.yaml `hours`), or empty.
    pub hours: String,
    /// Personal page, or empty.
    pub url: String,
    /// The photo's URL (with the base path), or empty.
    pub photo_url: String,
    /// Other links.
    pub links: Vec<PersonLink>,
    /// The term's office hours of this person.
    pub office_hours: Vec<OfficeHour>,
}

/// One weekly office-hours meeting of the term file.
#[derive(Debug, Clone, Serialize)]
pub struct OfficeHour {
    /// `Tue, Thu`, in the course's language (CLDR's short weekday names: `Di, Do`).
    pub days: String,
    /// `14:00–15:00` in the course's language and time format.
    pub time: String,
    /// Room, or empty.
    pub location: String,
    /// Join or booking link, or empty.
    pub link: String,
}

/// The staff of `config` grouped by role, with the office hours of `term`.
pub fn groups(config: &Config, term: &Term) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for p in &config.course.instructors {
        let role = match p.role.trim() {
            "" => DEFAULT_ROLE,
            r => r,
        };
        let person = person(config, &term.meetings, p);
        match out.iter_mut().find(|g| g.role == role) {
            Some(g) => g.people.push(person),
            None => out.push(Group {
                role: role.to_string(),
                people: vec![person],
            }),
        }
    }
    out
}

fn person(config: &Config, meetings: &[Meeting], p: &Instructor) -> Person {
    let office_hours = meetings
        .iter()
        .filter(|m| m.office_hours && m.person.trim() == p.name.trim())
        .map(|m| OfficeHour {
            days: m
                .days
                .iter()
                .map(|d| weekday_short(&config.i18n, *d))
                .collect::<Vec<_>>()
                .join(", "),
            time: config.i18n.dates.span(m.start, m.end),
            location: m.location.clone(),
            link: m.link.clone(),
        })
        .collect();
    Person {
        name: p.name.clone(),
        pronouns: p.pronouns.clone(),
        email: p.email.clone(),
        office: p.office.clone(),
        hours: p.hours.clone(),
        url: p.url.clone(),
        photo_url: match p.photo.is_empty() {
            true => String::new(),
            false => format!("{}{}", config.base_path, p.photo),
        },
        links: p.links.clone(),
        office_hours,
    }
}

/// The short name of weekday `d` in the course's language ("Tue", "Di.", "火"): CLDR's name of
/// a date that is that weekday.
fn weekday_short(i18n: &crate::base::i18n::I18n, d: crate::load::term::Weekday) -> String {
    let monday = jiff::civil::date(2024, 1, 1);
    let day = monday
        .checked_add(jiff::Span::new().days(i64::from(d.index())))
        .unwrap_or(monday);
    i18n.dates.weekday(day)
}

#[cfg(test)]
mod tests {
    use crate::base::i18n::I18n;
    use crate::load::term::Weekday;

    // Office-hour days are CLDR's short weekday names in the course's language.
    #[test]
    fn office_hour_days_speak_the_course_language() {
        let cases = [("en", "Tue"), ("de", "Di"), ("fr", "mar."), ("ja", "火")];
        for (lang, want) in cases {
            let i18n = I18n::new(lang, Default::default(), None);
            assert_eq!(super::weekday_short(&i18n, Weekday::Tue), want, "{lang}");
        }
        let en = I18n::new("en", Default::default(), Some(false));
        assert_eq!(en.dates.span(14 * 60, 15 * 60), "14:00–15:00");
    }
}
