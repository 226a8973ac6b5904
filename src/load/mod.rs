//! Loading: course.yaml, the term file and content/, read and validated into typed values.
//! Imports only `base`.

pub mod config;
pub mod content;
pub mod frontmatter;
pub mod html;
pub mod liquid;
pub mod published;
pub mod refs;
pub mod rewrite;
pub mod strings;
pub mod term;
pub mod term_file;
pub mod term_plan;
pub mod yaml;
pub mod yaml_schema;
pub mod yaml_spans;
