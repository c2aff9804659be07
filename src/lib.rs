//! coffeechat turns a vault of Markdown notes into an offline site that prepares you for
//! informational interviews.
//!
//! The pipeline has one module per stage: [`load`] → [`model`] → [`render`] → [`write`],
//! driven by [`site::Site`]. Problems are reported as [`diag::Diagnostic`]s.

pub mod calendar;
pub mod check;
pub mod diag;
pub mod import;
pub mod load;
pub mod memo;
pub mod model;
pub mod render;
pub mod rules;
pub mod scaffold;
pub mod serve;
pub mod session;
pub mod site;
pub mod watch;
pub mod write;
pub mod yaml;
