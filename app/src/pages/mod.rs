//! One module per screen.

pub mod ask;
pub mod backup;
pub mod checkin;
pub mod checkin_form;
pub mod follow;
pub mod lock_screen;
pub mod lock_settings;
pub mod more;
pub mod my_stays;
pub mod note;
pub mod note_form;
pub mod people;
pub mod person;
pub mod person_form;
pub mod report;
pub mod sample_data;
pub mod send_stays;
pub mod stay;
pub mod stay_form;
pub mod stays;
pub mod summary;
pub mod sync_settings;
pub mod today;
pub mod visit;
pub mod visit_form;
pub mod welcome;
