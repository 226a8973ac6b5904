//! The model: a course's term, its pages and its computed calendar, built once from what was
//! loaded, and what every stage above reads. Imports `base`, `load` and `schedule`.

pub mod course;
pub mod site_map;
pub mod visibility;
