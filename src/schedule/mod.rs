//! Scheduling: the term's sessions, weeks and lab dates, computed from the loaded course.
//! Pure: "today" and the term come in as arguments. Imports `base` and `load`.

pub mod agenda;
pub mod calendar;
