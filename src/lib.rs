//! coffeechat turns a vault of Markdown notes into an offline site that prepares you for
//! informational interviews.
//!
//! The pipeline has one module per stage: `load` → `model` → `render` → `write`. Every
//! command that reads a vault runs it through one engine, [`session::Session`], which
//! builds a site in full or renders again only what a change can reach; ARCHITECTURE.md
//! says how. Problems are reported as [`diag::Diagnostic`]s.

pub(crate) mod calendar;
pub(crate) mod check;
pub mod diag;
pub mod edit;
#[doc(hidden)]
pub mod fuzzing;
pub mod import;
pub(crate) mod load;
pub(crate) mod memo;
pub(crate) mod model;
pub(crate) mod render;
pub(crate) mod rules;
pub mod scaffold;
pub mod serve;
pub mod session;
pub(crate) mod site;
pub(crate) mod stats;
pub mod watch;
pub(crate) mod write;
pub(crate) mod yaml;
