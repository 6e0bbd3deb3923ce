//! The carer using this phone: whose name signs every record.

use crate::record::Body;
use crate::validate::{text, ValidationErrors};
use serde::{Deserialize, Serialize};

/// The carer and their household. Made only by [`CarerProfileDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarerProfile {
    carer_name: String,
    household_name: String,
}

impl Body for CarerProfile {
    const SCHEMA: u32 = 1;
    const KIND: &'static str = "profile";
}

impl CarerProfile {
    /// The carer's name, which signs every record they write.
    pub fn carer_name(&self) -> &str {
        &self.carer_name
    }
    /// The household's name, as people know it ("Ann and Dev's").
    pub fn household_name(&self) -> &str {
        &self.household_name
    }
}

/// The welcome and settings form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CarerProfileDraft {
    /// The carer's name.
    pub carer_name: String,
    /// The household's name.
    pub household_name: String,
}

impl CarerProfileDraft {
    /// The form for editing the stored profile.
    pub fn from_profile(p: &CarerProfile) -> Self {
        CarerProfileDraft {
            carer_name: p.carer_name.clone(),
            household_name: p.household_name.clone(),
        }
    }

    /// Both names are needed.
    pub fn validate(&self) -> Result<CarerProfile, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let carer_name = text(
            &mut e,
            "carer_name",
            &self.carer_name,
            Some("Enter your name. It signs every record you write."),
            80,
        );
        let household_name = text(
            &mut e,
            "household_name",
            &self.household_name,
            Some("Enter your household's name, for example \"Ann and Dev's\"."),
            80,
        );
        e.into_result(|| CarerProfile {
            carer_name,
            household_name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_names_are_needed_and_trimmed() {
        let ok = CarerProfileDraft {
            carer_name: " Ann ".into(),
            household_name: "Ann and Dev's".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.carer_name(), "Ann");
        assert_eq!(CarerProfileDraft::from_profile(&ok).validate().unwrap(), ok);
        let errors = CarerProfileDraft::default().validate().unwrap_err();
        assert!(errors.message_for("carer_name").is_some());
        assert!(errors.message_for("household_name").is_some());
        let long = CarerProfileDraft {
            carer_name: "a".repeat(81),
            household_name: "h".into(),
        };
        assert!(long
            .validate()
            .unwrap_err()
            .message_for("carer_name")
            .is_some());
    }
}
