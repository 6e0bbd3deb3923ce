//! One module per screen.

pub mod ask;
pub mod checkin;
pub mod checkin_form;
pub mod more;
pub mod note;
pub mod note_form;
pub mod people;
pub mod person;
pub mod person_form;
pub mod report;
pub mod today;
pub mod welcome;
