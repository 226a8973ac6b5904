//! Commands beside `build`: the calendar table and `semester new`.

pub mod calendar_cli;
pub mod new;
