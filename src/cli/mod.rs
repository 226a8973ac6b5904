//! Commands beside the pipeline: `check`'s warnings, writing the site, the calendar table and
//! `semester new`.

pub mod calendar_cli;
pub mod check;
pub mod new;
pub mod publish;
