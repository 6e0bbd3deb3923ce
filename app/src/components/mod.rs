//! Pieces several screens share.

pub mod chart;
pub mod choice;
pub mod faces;
pub mod form;
pub mod icons;
pub mod loaded;
pub mod nav;
pub mod paint;
pub mod records;
