//! A person the carer supports.

use crate::dates;
use crate::record::Body;
use crate::validate::{text, ValidationErrors};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The shape of a Shared Lives arrangement. One person can have several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arrangement {
    /// The person lives in the carer's household.
    LongTerm,
    /// Planned stays of one or more nights (respite).
    ShortBreaks,
    /// Daytime sessions.
    DaySupport,
}

impl Arrangement {
    /// Every kind, in the order forms show them.
    pub const ALL: [Arrangement; 3] = [
        Arrangement::LongTerm,
        Arrangement::ShortBreaks,
        Arrangement::DaySupport,
    ];

    /// The words a carer uses.
    pub fn label(self) -> &'static str {
        match self {
            Arrangement::LongTerm => "Long-term",
            Arrangement::ShortBreaks => "Short breaks",
            Arrangement::DaySupport => "Day support",
        }
    }

    /// One visit or stay of this kind, in a sentence ("Meg's short break").
    pub fn visit_noun(self) -> &'static str {
        match self {
            Arrangement::LongTerm => "long-term stay",
            Arrangement::ShortBreaks => "short break",
            Arrangement::DaySupport => "day support visit",
        }
    }

    /// A stable key for form controls.
    pub fn key(self) -> &'static str {
        match self {
            Arrangement::LongTerm => "long_term",
            Arrangement::ShortBreaks => "short_breaks",
            Arrangement::DaySupport => "day_support",
        }
    }
}

/// Someone who matters in the person's life: family, a social worker, a GP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    name: String,
    role: String,
    phone: String,
}

impl Contact {
    /// Their name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Who they are to the person ("Mum", "Social worker"); may be empty.
    pub fn role(&self) -> &str {
        &self.role
    }
    /// A phone number as typed; may be empty.
    pub fn phone(&self) -> &str {
        &self.phone
    }
    /// The number for a `tel:` link: digits and a leading plus only.
    pub fn phone_link(&self) -> String {
        self.phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    }
}

/// A contact as the form holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactDraft {
    /// Their name.
    pub name: String,
    /// Who they are to the person.
    pub role: String,
    /// A phone number.
    pub phone: String,
}

/// A person's details as the carer keeps them. Made only by
/// [`PersonDraft::validate`], so every value here is valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    preferred_name: String,
    full_name: String,
    arrangements: Vec<Arrangement>,
    date_of_birth: Option<NaiveDate>,
    communication: String,
    what_matters: String,
    contacts: Vec<Contact>,
    archived: bool,
    /// Allergies and reactions; empty until recorded. Left out of the JSON
    /// when empty, so a person saved before it existed keeps its revision.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    allergies: String,
    /// Their GP practice; empty until recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    gp: String,
}

impl Body for Person {
    const SCHEMA: u32 = 1;
    const KIND: &'static str = "person";
}

/// Length limits, in characters.
pub const MAX_NAME_CHARS: usize = 60;
/// The longest full name.
pub const MAX_FULL_NAME_CHARS: usize = 120;
/// The longest free-text field.
pub const MAX_ABOUT_CHARS: usize = 4000;
/// The longest note of allergies and reactions.
pub const MAX_ALLERGY_CHARS: usize = 1000;
/// The most key contacts a person can have.
pub const MAX_CONTACTS: usize = 20;

impl Person {
    /// The name they like to be called: used everywhere on screen.
    pub fn preferred_name(&self) -> &str {
        &self.preferred_name
    }
    /// The preferred name for a sentence on screen: isolated, so a name
    /// typed with direction controls can't turn Hearth's words around it.
    pub fn display_name(&self) -> String {
        crate::bidi::isolate(&self.preferred_name).into_owned()
    }
    /// Their full name; may be empty.
    pub fn full_name(&self) -> &str {
        &self.full_name
    }
    /// The kinds of support, at least one, in a fixed order.
    pub fn arrangements(&self) -> &[Arrangement] {
        &self.arrangements
    }
    /// Their date of birth, if known.
    pub fn date_of_birth(&self) -> Option<NaiveDate> {
        self.date_of_birth
    }
    /// How they communicate and how best to talk with them.
    pub fn communication(&self) -> &str {
        &self.communication
    }
    /// What matters to them, in their words where possible.
    pub fn what_matters(&self) -> &str {
        &self.what_matters
    }
    /// Key contacts.
    pub fn contacts(&self) -> &[Contact] {
        &self.contacts
    }
    /// Allergies and reactions, as the carer wrote them ("None known" is
    /// an answer); empty when not recorded.
    pub fn allergies(&self) -> &str {
        &self.allergies
    }
    /// Their GP practice; empty when not recorded.
    pub fn gp(&self) -> &str {
        &self.gp
    }
    /// Archived people are no longer supported; their records stay.
    pub fn is_archived(&self) -> bool {
        self.archived
    }
    /// The same details, archived or brought back.
    pub fn with_archived(&self, archived: bool) -> Person {
        Person {
            archived,
            ..self.clone()
        }
    }
    /// The letter shown in their avatar.
    pub fn initial(&self) -> char {
        self.preferred_name
            .chars()
            .next()
            .map(|c| c.to_uppercase().next().unwrap_or(c))
            .unwrap_or('?')
    }
    /// Their age in whole years on `today`, if the date of birth is known.
    pub fn age_on(&self, today: NaiveDate) -> Option<u32> {
        let born = self.date_of_birth?;
        let mut years = today.year() - born.year();
        if (today.month(), today.day()) < (born.month(), born.day()) {
            years -= 1;
        }
        u32::try_from(years).ok()
    }
}

/// A person's details as the form holds them: any text at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonDraft {
    /// The name they like to be called (required).
    pub preferred_name: String,
    /// Their full name.
    pub full_name: String,
    /// The kinds of support (at least one).
    pub arrangements: Vec<Arrangement>,
    /// Date of birth as `YYYY-MM-DD`, or empty.
    pub date_of_birth: String,
    /// How they communicate.
    pub communication: String,
    /// What matters to them.
    pub what_matters: String,
    /// Key contacts; rows left wholly blank are dropped.
    pub contacts: Vec<ContactDraft>,
    /// Whether they are archived (kept from the stored person when editing).
    pub archived: bool,
    /// Allergies and reactions.
    pub allergies: String,
    /// Their GP practice.
    pub gp: String,
}

impl PersonDraft {
    /// The form for editing a stored person.
    pub fn from_person(p: &Person) -> Self {
        PersonDraft {
            preferred_name: p.preferred_name.clone(),
            full_name: p.full_name.clone(),
            arrangements: p.arrangements.clone(),
            date_of_birth: p.date_of_birth.map(dates::form_date).unwrap_or_default(),
            communication: p.communication.clone(),
            what_matters: p.what_matters.clone(),
            contacts: p
                .contacts
                .iter()
                .map(|c| ContactDraft {
                    name: c.name.clone(),
                    role: c.role.clone(),
                    phone: c.phone.clone(),
                })
                .collect(),
            archived: p.archived,
            allergies: p.allergies.clone(),
            gp: p.gp.clone(),
        }
    }

    /// Checks every field; `today` is the phone's local date.
    pub fn validate(&self, today: NaiveDate) -> Result<Person, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let preferred_name = text(
            &mut e,
            "preferred_name",
            &self.preferred_name,
            Some("Enter the name they like to be called."),
            MAX_NAME_CHARS,
        );
        let full_name = text(
            &mut e,
            "full_name",
            &self.full_name,
            None,
            MAX_FULL_NAME_CHARS,
        );
        let mut arrangements = self.arrangements.clone();
        crate::order::sort(&mut arrangements);
        arrangements.dedup();
        if arrangements.is_empty() {
            e.add(
                "arrangements",
                "Choose at least one kind of support: long-term, short breaks or day support.",
            );
        }
        let date_of_birth = birth_date(&mut e, &self.date_of_birth, today);
        let communication = text(
            &mut e,
            "communication",
            &self.communication,
            None,
            MAX_ABOUT_CHARS,
        );
        let what_matters = text(
            &mut e,
            "what_matters",
            &self.what_matters,
            None,
            MAX_ABOUT_CHARS,
        );
        let contacts = self.contacts(&mut e);
        let allergies = text(
            &mut e,
            "allergies",
            &self.allergies,
            None,
            MAX_ALLERGY_CHARS,
        );
        let gp = text(&mut e, "gp", &self.gp, None, MAX_FULL_NAME_CHARS);
        e.into_result(|| Person {
            preferred_name,
            full_name,
            arrangements,
            date_of_birth,
            communication,
            what_matters,
            contacts,
            archived: self.archived,
            allergies,
            gp,
        })
    }

    fn contacts(&self, e: &mut ValidationErrors) -> Vec<Contact> {
        let rows: Vec<(usize, &ContactDraft)> = self
            .contacts
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                !(c.name.trim().is_empty() && c.role.trim().is_empty() && c.phone.trim().is_empty())
            })
            .collect();
        if rows.len() > MAX_CONTACTS {
            e.add(
                "contacts",
                format!("Keep to {MAX_CONTACTS} key contacts or fewer."),
            );
        }
        rows.into_iter()
            .map(|(i, c)| Contact {
                name: text(
                    e,
                    &format!("contacts.{i}.name"),
                    &c.name,
                    Some("Add this contact's name."),
                    MAX_FULL_NAME_CHARS,
                ),
                role: text(
                    e,
                    &format!("contacts.{i}.role"),
                    &c.role,
                    None,
                    MAX_NAME_CHARS,
                ),
                phone: phone(e, &format!("contacts.{i}.phone"), &c.phone),
            })
            .collect()
    }
}

fn birth_date(e: &mut ValidationErrors, raw: &str, today: NaiveDate) -> Option<NaiveDate> {
    if raw.trim().is_empty() {
        return None;
    }
    let Some(day) = dates::parse_form_date(raw) else {
        e.add(
            "date_of_birth",
            "Enter a real date with day, month and year, or leave it empty.",
        );
        return None;
    };
    if day > today {
        e.add("date_of_birth", "A date of birth can't be in the future.");
    } else if day.year() < 1900 {
        e.add("date_of_birth", "Check the year: it is before 1900.");
    }
    Some(day)
}

fn phone(e: &mut ValidationErrors, field: &str, raw: &str) -> String {
    let value = raw.trim();
    if value.is_empty() {
        return String::new();
    }
    let allowed = value
        .chars()
        .all(|c| c.is_ascii_digit() || " +()-.".contains(c));
    let digits = value.chars().filter(char::is_ascii_digit).count();
    if !allowed || !(7..=15).contains(&digits) {
        e.add(
            field,
            "Enter a phone number with 7 to 15 digits, like 07700 900123 or +44 7700 900123.",
        );
    }
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn meg() -> PersonDraft {
        PersonDraft {
            preferred_name: " Meg ".into(),
            full_name: "Margaret Jones".into(),
            arrangements: vec![
                Arrangement::ShortBreaks,
                Arrangement::DaySupport,
                Arrangement::ShortBreaks,
            ],
            date_of_birth: "1984-12-05".into(),
            communication: "Uses Makaton; give her time to answer.".into(),
            what_matters: "Her cat Biscuit, swimming on Fridays.".into(),
            contacts: vec![
                ContactDraft {
                    name: "Jan Jones".into(),
                    role: "Mum".into(),
                    phone: "07700 900123".into(),
                },
                ContactDraft::default(),
            ],
            archived: false,
            allergies: " Penicillin: a rash. ".into(),
            gp: "Riverside Surgery".into(),
        }
    }

    #[test]
    fn a_full_person_is_valid_trimmed_and_tidied() {
        let p = meg().validate(today()).unwrap();
        assert_eq!(p.preferred_name(), "Meg");
        assert_eq!(
            p.arrangements(),
            &[Arrangement::ShortBreaks, Arrangement::DaySupport]
        );
        assert_eq!(p.contacts().len(), 1, "the blank contact row is dropped");
        assert_eq!(p.contacts()[0].phone_link(), "07700900123");
        assert_eq!(p.initial(), 'M');
        assert_eq!(p.allergies(), "Penicillin: a rash.");
        assert_eq!(p.gp(), "Riverside Surgery");
        assert_eq!(p.age_on(today()), Some(41));
        assert_eq!(
            p.age_on(NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()),
            Some(42)
        );
    }

    #[test]
    fn a_person_saved_before_allergies_reads_and_writes_the_same() {
        let earlier = PersonDraft {
            allergies: String::new(),
            gp: String::new(),
            ..meg()
        }
        .validate(today())
        .unwrap();
        let json = serde_json::to_string(&earlier).unwrap();
        assert!(!json.contains("allergies") && !json.contains("\"gp\""));
        let read: Person = serde_json::from_str(&json).unwrap();
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            json,
            "same JSON, same revision"
        );
        let now = meg().validate(today()).unwrap();
        let back: Person = serde_json::from_str(&serde_json::to_string(&now).unwrap()).unwrap();
        assert_eq!(back, now);
    }

    #[test]
    fn only_a_preferred_name_and_one_arrangement_are_needed() {
        let draft = PersonDraft {
            preferred_name: "Sam".into(),
            arrangements: vec![Arrangement::LongTerm],
            ..Default::default()
        };
        let p = draft.validate(today()).unwrap();
        assert_eq!(p.date_of_birth(), None);
        assert!(p.contacts().is_empty());
    }

    #[test]
    fn every_field_reports_its_own_problem_in_form_order() {
        let draft = PersonDraft {
            preferred_name: "  ".into(),
            full_name: "x".repeat(121),
            arrangements: vec![],
            date_of_birth: "2027-01-01".into(),
            communication: "y".repeat(4001),
            what_matters: "z".repeat(4001),
            contacts: vec![ContactDraft {
                name: "".into(),
                role: "GP".into(),
                phone: "call me".into(),
            }],
            archived: false,
            allergies: "a".repeat(1001),
            gp: "g".repeat(121),
        };
        let errors = draft.validate(today()).unwrap_err();
        let fields: Vec<&str> = errors.all().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "preferred_name",
                "full_name",
                "arrangements",
                "date_of_birth",
                "communication",
                "what_matters",
                "contacts.0.name",
                "contacts.0.phone",
                "allergies",
                "gp"
            ]
        );
        assert_eq!(
            errors.message_for("preferred_name"),
            Some("Enter the name they like to be called.")
        );
        assert_eq!(
            errors.message_for("date_of_birth"),
            Some("A date of birth can't be in the future.")
        );
    }

    #[test]
    fn dates_of_birth_must_be_real_and_plausible() {
        for (raw, ok) in [
            ("", true),
            ("1950-02-28", true),
            ("2026-11-22", true),
            ("1950-02-30", false),
            ("1899-12-31", false),
            ("12/05/1984", false),
        ] {
            let draft = PersonDraft {
                date_of_birth: raw.into(),
                ..meg()
            };
            assert_eq!(draft.validate(today()).is_ok(), ok, "{raw:?}");
        }
    }

    #[test]
    fn phone_numbers_need_enough_digits_and_no_letters() {
        for (raw, ok) in [
            ("", true),
            ("+44 (0)20 7946 0958", true),
            ("01632-960-001", true),
            ("999", false),
            ("0770090012345678", false),
            ("07700 9OO123", false),
        ] {
            let mut draft = meg();
            draft.contacts[0].phone = raw.into();
            assert_eq!(draft.validate(today()).is_ok(), ok, "{raw:?}");
        }
    }

    #[test]
    fn editing_starts_from_what_is_stored_and_archiving_keeps_everything_else() {
        let p = meg().validate(today()).unwrap();
        let again = PersonDraft::from_person(&p).validate(today()).unwrap();
        assert_eq!(again, p);
        let archived = p.with_archived(true);
        assert!(archived.is_archived());
        assert_eq!(archived.with_archived(false), p);
    }
}
