//! Pieces several screens share.

pub mod form;
pub mod icons;
pub mod nav;
pub mod records;
