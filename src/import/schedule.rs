//! just-the-class' `_schedules`: a week of recurring events (`schedule: [{name: Monday,
//! events: [{name, start, end, location, type}]}]`) → term meetings, one per event with the
//! same name, times and place, on every weekday it occurs; office hours become
//! `kind: office-hours` meetings of the staff member the event names.

use jiff::civil::Weekday;
use serde_yaml::{Mapping, Value};

use super::pages::SrcPage;
use super::report::{Kind, Report};
use super::site::scalar;

/// A meeting of the term file to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingPlan {
    /// `Lecture`.
    pub name: String,
    /// Its weekdays.
    pub days: Vec<Weekday>,
    /// Minutes after midnight.
    pub start: u16,
    /// Minutes after midnight.
    pub end: u16,
    /// Room.
    pub location: String,
    /// Office hours rather than a class.
    pub office_hours: bool,
    /// Office hours: whose.
    pub person: String,
}

impl MeetingPlan {
    /// A placeholder lecture on `days`, 10:00–11:15 (its time is reported as a guess).
    pub fn lecture(days: Vec<Weekday>) -> MeetingPlan {
        MeetingPlan {
            name: "Lecture".into(),
            days,
            start: 600,
            end: 675,
            location: String::new(),
            office_hours: false,
            person: String::new(),
        }
    }

    /// The meeting as term file YAML.
    pub fn yaml(&self) -> Value {
        let mut m = Mapping::new();
        m.insert("name".into(), self.name.clone().into());
        let days = self.days.iter().map(|d| Value::from(short(*d)));
        m.insert("days".into(), Value::Sequence(days.collect()));
        m.insert("start".into(), hhmm(self.start).into());
        m.insert("end".into(), hhmm(self.end).into());
        if !self.location.is_empty() {
            m.insert("location".into(), self.location.clone().into());
        }
        if self.office_hours {
            m.insert("kind".into(), "office-hours".into());
            if !self.person.is_empty() {
                m.insert("person".into(), self.person.clone().into());
            }
        }
        Value::Mapping(m)
    }
}

/// `mon` … `sun`.
pub fn short(d: Weekday) -> &'static str {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][d.to_monday_zero_offset() as usize]
}

fn hhmm(m: u16) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// `10:00 AM`, `2pm`, `14:30`, `2:00 p.m.` → minutes after midnight.
pub fn parse_time(s: &str) -> Option<u16> {
    let t = s.trim().to_ascii_lowercase().replace('.', "");
    let (clock, pm, am) = match (t.strip_suffix("pm"), t.strip_suffix("am")) {
        (Some(c), _) => (c.trim().to_string(), true, false),
        (_, Some(c)) => (c.trim().to_string(), false, true),
        _ => (t.clone(), false, false),
    };
    let (h, m) = clock.split_once(':').unwrap_or((clock.as_str(), "0"));
    let (h, m): (u16, u16) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    if h > 23 || m > 59 || ((pm || am) && !(1..=12).contains(&h)) {
        return None;
    }
    let h = match (pm, am, h) {
        (true, _, 12) | (false, false, _) => h,
        (true, _, _) => h + 12,
        (_, true, 12) => 0,
        _ => h,
    };
    Some(h * 60 + m)
}

/// The meetings of one `_schedules` page; `staff` names whose office hours they may be.
pub fn read(page: &SrcPage, staff: &[String], report: &mut Report) -> Vec<MeetingPlan> {
    let mut out: Vec<MeetingPlan> = Vec::new();
    let Some(Value::Sequence(days)) = page.front.get("schedule") else {
        report.add(
            Kind::LeftOut,
            &page.path,
            1,
            "a schedule without a `schedule:` list of days".into(),
            "add its meetings to the term file by hand",
        );
        return out;
    };
    for day in days {
        let name = day.get("name").and_then(scalar).unwrap_or_default();
        let Some(weekday) = crate::load::term::Weekday::parse(&name).map(to_jiff) else {
            report.add(
                Kind::LeftOut,
                &page.path,
                page.line_of("schedule"),
                format!("`{name}` is not a weekday: its events are left out"),
                "add them to the term file by hand",
            );
            continue;
        };
        let events = match day.get("events") {
            Some(Value::Sequence(e)) => e.as_slice(),
            _ => &[],
        };
        for e in events {
            match event(e, staff) {
                Some(mut m) => match out.iter_mut().find(|o| {
                    (&o.name, o.start, o.end, &o.location) == (&m.name, m.start, m.end, &m.location)
                }) {
                    Some(o) if !o.days.contains(&weekday) => o.days.push(weekday),
                    Some(_) => {}
                    None => {
                        m.days.push(weekday);
                        out.push(m);
                    }
                },
                None => report.add(
                    Kind::LeftOut,
                    &page.path,
                    page.line_of("schedule"),
                    format!("an event on {name} without a name or a readable start and end"),
                    "add it to the term file by hand",
                ),
            }
        }
    }
    out
}

fn event(e: &Value, staff: &[String]) -> Option<MeetingPlan> {
    let get = |k: &str| e.get(k).and_then(scalar).unwrap_or_default();
    let name = get("name");
    let (start, end) = (parse_time(&get("start"))?, parse_time(&get("end"))?);
    if name.is_empty() || end <= start {
        return None;
    }
    let kind = format!("{} {}", get("type"), name).to_ascii_lowercase();
    let office_hours = kind.contains("office");
    let person = match office_hours {
        true => staff
            .iter()
            .find(|s| {
                name.contains(s.as_str())
                    || s.split_whitespace()
                        .next()
                        .is_some_and(|f| name.contains(f))
            })
            .cloned()
            .unwrap_or_default(),
        false => String::new(),
    };
    Some(MeetingPlan {
        name,
        days: Vec::new(),
        start,
        end,
        location: get("location"),
        office_hours,
        person,
    })
}

fn to_jiff(d: crate::load::term::Weekday) -> Weekday {
    Weekday::from_monday_zero_offset(d.index()).unwrap_or(Weekday::Monday)
}
