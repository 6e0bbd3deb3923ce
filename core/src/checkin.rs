//! Wellbeing check-ins: a five-face mood scale (not a validated instrument),
//! optional sleep, appetite and pain, the ONS4 personal wellbeing questions, the
//! person's own words, and who answered.

use crate::dates;
use crate::id::RecordId;
use crate::record::Body;
use crate::validate::{text, ValidationErrors};
use crate::zone::LocalZone;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How the person is feeling, on five faces, each with a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mood {
    /// The lowest face.
    Awful,
    /// Below okay.
    Low,
    /// The middle face.
    Okay,
    /// Above okay.
    Good,
    /// The highest face.
    Great,
}

impl Mood {
    /// Every face, lowest first.
    pub const ALL: [Mood; 5] = [Mood::Awful, Mood::Low, Mood::Okay, Mood::Good, Mood::Great];

    /// The word beside the face.
    pub fn label(self) -> &'static str {
        match self {
            Mood::Awful => "Awful",
            Mood::Low => "Low",
            Mood::Okay => "Okay",
            Mood::Good => "Good",
            Mood::Great => "Great",
        }
    }

    /// 1 (awful) to 5 (great), for averages and charts.
    pub fn score(self) -> u8 {
        self as u8 + 1
    }

    /// The face nearest an average score.
    pub fn nearest(score: f64) -> Mood {
        let index = (score.round().clamp(1.0, 5.0) as usize) - 1;
        Mood::ALL[index]
    }

    /// An average score in words: "Good (4.1 out of 5)" when it is close to
    /// one face, else "4.5 out of 5, between Good and Great" (an average
    /// halfway between two faces is never rounded into either's word).
    pub fn average_words(score: f64) -> String {
        let score = score.clamp(1.0, 5.0);
        if (score - score.round()).abs() < 0.25 {
            format!("{} ({score:.1} out of 5)", Mood::nearest(score).label())
        } else {
            let below = Mood::ALL[(score.floor() as usize).clamp(1, 4) - 1];
            let above = Mood::ALL[(score.ceil() as usize).clamp(2, 5) - 1];
            format!(
                "{score:.1} out of 5, between {} and {}",
                below.label(),
                above.label()
            )
        }
    }

    /// Low or awful: the faces the wellbeing flag watches for.
    pub fn is_low(self) -> bool {
        self <= Mood::Low
    }

    /// A stable key for form controls.
    pub fn key(self) -> &'static str {
        match self {
            Mood::Awful => "awful",
            Mood::Low => "low",
            Mood::Okay => "okay",
            Mood::Good => "good",
            Mood::Great => "great",
        }
    }
}

/// Who answered the check-in. Self-report read aloud by a carer skews positive,
/// so every check-in says who answered, and every chart shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answered {
    /// The person answered themselves.
    Themselves,
    /// The person answered with the carer's help.
    WithHelp,
    /// The carer observed and recorded.
    CarerObserved,
}

impl Answered {
    /// Every option, in form order.
    pub const ALL: [Answered; 3] = [
        Answered::Themselves,
        Answered::WithHelp,
        Answered::CarerObserved,
    ];

    /// The words on screen, with the person's name.
    pub fn label(self, name: &str) -> String {
        match self {
            Answered::Themselves => format!("{name} answered"),
            Answered::WithHelp => format!("{name} answered with help"),
            Answered::CarerObserved => "Carer observed".to_string(),
        }
    }

    /// A stable key for form controls and exports.
    pub fn key(self) -> &'static str {
        match self {
            Answered::Themselves => "themselves",
            Answered::WithHelp => "with_help",
            Answered::CarerObserved => "carer_observed",
        }
    }
}

/// A three-step scale for sleep, appetite and pain.
macro_rules! three_step {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $(
                #[doc = $label]
                $variant,
            )+
        }

        impl $name {
            /// Every step, in form order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word on screen.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }
        }
    };
}

three_step!(
    /// How they slept.
    Sleep { Poor => "Poor", Okay => "Okay", Good => "Good" }
);
three_step!(
    /// How they ate, against their usual.
    Appetite { Less => "Less than usual", Usual => "Usual", More => "More than usual" }
);
three_step!(
    /// Pain they mentioned or showed.
    Pain { NoPain => "None", Some => "Some", ALot => "A lot" }
);

/// The four ONS personal wellbeing questions (ONS4), each answered 0 to 10.
/// Source: Office for National Statistics, Open Government Licence. Each is
/// reported on its own and never added to the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ons4Question {
    /// Life satisfaction.
    Satisfied,
    /// Things done are worthwhile.
    Worthwhile,
    /// Happiness yesterday.
    Happy,
    /// Anxiety yesterday (higher is worse).
    Anxious,
}

impl Ons4Question {
    /// The four, in the ONS order.
    pub const ALL: [Ons4Question; 4] = [
        Ons4Question::Satisfied,
        Ons4Question::Worthwhile,
        Ons4Question::Happy,
        Ons4Question::Anxious,
    ];

    /// The exact ONS wording.
    pub fn wording(self) -> &'static str {
        match self {
            Ons4Question::Satisfied => "Overall, how satisfied are you with your life nowadays?",
            Ons4Question::Worthwhile => "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
            Ons4Question::Happy => "Overall, how happy did you feel yesterday?",
            Ons4Question::Anxious => "Overall, how anxious did you feel yesterday?",
        }
    }

    /// A short name for charts and tables.
    pub fn short(self) -> &'static str {
        match self {
            Ons4Question::Satisfied => "Life satisfaction",
            Ons4Question::Worthwhile => "Worthwhile",
            Ons4Question::Happy => "Happy yesterday",
            Ons4Question::Anxious => "Anxious yesterday",
        }
    }

    /// A stable key for form controls and exports.
    pub fn key(self) -> &'static str {
        match self {
            Ons4Question::Satisfied => "ons_satisfied",
            Ons4Question::Worthwhile => "ons_worthwhile",
            Ons4Question::Happy => "ons_happy",
            Ons4Question::Anxious => "ons_anxious",
        }
    }
}

/// The ONS anchor for 0.
pub const ONS4_LOW_ANCHOR: &str = "not at all";
/// The ONS anchor for 10.
pub const ONS4_HIGH_ANCHOR: &str = "completely";

/// Answers to the ONS4 questions; any may be unasked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ons4 {
    #[serde(default)]
    satisfied: Option<u8>,
    #[serde(default)]
    worthwhile: Option<u8>,
    #[serde(default)]
    happy: Option<u8>,
    #[serde(default)]
    anxious: Option<u8>,
}

impl Ons4 {
    /// The answer to one question, 0 to 10, if asked.
    pub fn answer(&self, q: Ons4Question) -> Option<u8> {
        match q {
            Ons4Question::Satisfied => self.satisfied,
            Ons4Question::Worthwhile => self.worthwhile,
            Ons4Question::Happy => self.happy,
            Ons4Question::Anxious => self.anxious,
        }
    }

    fn slot(&mut self, q: Ons4Question) -> &mut Option<u8> {
        match q {
            Ons4Question::Satisfied => &mut self.satisfied,
            Ons4Question::Worthwhile => &mut self.worthwhile,
            Ons4Question::Happy => &mut self.happy,
            Ons4Question::Anxious => &mut self.anxious,
        }
    }

    /// True when no question was asked.
    pub fn is_empty(&self) -> bool {
        Ons4Question::ALL.iter().all(|q| self.answer(*q).is_none())
    }
}

/// A wellbeing check-in. Made only by [`CheckInDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckIn {
    person_id: RecordId,
    occurred_at: DateTime<FixedOffset>,
    mood: Mood,
    answered: Answered,
    #[serde(default)]
    sleep: Option<Sleep>,
    #[serde(default)]
    appetite: Option<Appetite>,
    #[serde(default)]
    pain: Option<Pain>,
    #[serde(default)]
    ons4: Ons4,
    #[serde(default)]
    own_words: String,
}

impl Body for CheckIn {
    const SCHEMA: u32 = 1;
    const KIND: &'static str = "checkin";
}

/// The longest "in their own words", in characters.
pub const MAX_OWN_WORDS_CHARS: usize = 2000;

impl CheckIn {
    /// Who it is about.
    pub fn person_id(&self) -> RecordId {
        self.person_id
    }
    /// When, in the phone's local time at that moment.
    pub fn occurred_at(&self) -> DateTime<FixedOffset> {
        self.occurred_at
    }
    /// The local day.
    pub fn day(&self) -> NaiveDate {
        self.occurred_at.date_naive()
    }
    /// The face chosen.
    pub fn mood(&self) -> Mood {
        self.mood
    }
    /// Who answered.
    pub fn answered(&self) -> Answered {
        self.answered
    }
    /// Sleep, if asked.
    pub fn sleep(&self) -> Option<Sleep> {
        self.sleep
    }
    /// Appetite, if asked.
    pub fn appetite(&self) -> Option<Appetite> {
        self.appetite
    }
    /// Pain, if asked.
    pub fn pain(&self) -> Option<Pain> {
        self.pain
    }
    /// ONS4 answers.
    pub fn ons4(&self) -> Ons4 {
        self.ons4
    }
    /// What the person said, in their words.
    pub fn own_words(&self) -> &str {
        &self.own_words
    }
}

/// A check-in as the form holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckInDraft {
    /// The person's record id, as text.
    pub person_id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub time: String,
    /// The face tapped.
    pub mood: Option<Mood>,
    /// Who answered.
    pub answered: Option<Answered>,
    /// Sleep.
    pub sleep: Option<Sleep>,
    /// Appetite.
    pub appetite: Option<Appetite>,
    /// Pain.
    pub pain: Option<Pain>,
    /// ONS4 answers as typed or chosen ("" for unasked), in [`Ons4Question::ALL`] order.
    pub ons4: [String; 4],
    /// In their own words.
    pub own_words: String,
}

impl CheckInDraft {
    /// A blank check-in for `person` (if chosen) now, answered by the person.
    pub fn now_for(person: Option<RecordId>, now: DateTime<Utc>, zone: &impl LocalZone) -> Self {
        let local = zone.to_local(now);
        CheckInDraft {
            person_id: person.map(|p| p.to_string()).unwrap_or_default(),
            date: dates::form_date(local.date_naive()),
            time: dates::form_time(local.time()),
            answered: Some(Answered::Themselves),
            ..Default::default()
        }
    }

    /// The form for amending a stored check-in.
    pub fn from_checkin(c: &CheckIn) -> Self {
        CheckInDraft {
            person_id: c.person_id.to_string(),
            date: dates::form_date(c.occurred_at.date_naive()),
            time: dates::form_time(c.occurred_at.time()),
            mood: Some(c.mood),
            answered: Some(c.answered),
            sleep: c.sleep,
            appetite: c.appetite,
            pain: c.pain,
            ons4: Ons4Question::ALL
                .map(|q| c.ons4.answer(q).map(|v| v.to_string()).unwrap_or_default()),
            own_words: c.own_words.clone(),
        }
    }

    /// Checks every field; the time may be past but not future.
    pub fn validate(
        &self,
        now: DateTime<Utc>,
        zone: &impl LocalZone,
    ) -> Result<CheckIn, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let person_id = self.person_id.parse::<RecordId>().ok();
        if person_id.is_none() {
            e.add("person_id", "Choose who this check-in is about.");
        }
        let occurred_at = dates::past_moment(&mut e, &self.date, &self.time, now, zone);
        if self.mood.is_none() {
            e.add("mood", "Choose the face that fits best.");
        }
        if self.answered.is_none() {
            e.add(
                "answered",
                "Say who answered: the person, the person with help, or you.",
            );
        }
        let mut ons4 = Ons4::default();
        for (q, raw) in Ons4Question::ALL.iter().zip(&self.ons4) {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            match raw.parse::<u8>() {
                Ok(v) if v <= 10 => *ons4.slot(*q) = Some(v),
                _ => e.add(
                    q.key(),
                    "Choose a number from 0 to 10, or leave it unasked.",
                ),
            }
        }
        let own_words = text(
            &mut e,
            "own_words",
            &self.own_words,
            None,
            MAX_OWN_WORDS_CHARS,
        );
        match (person_id, occurred_at, self.mood, self.answered) {
            (Some(person_id), Some(occurred_at), Some(mood), Some(answered)) if e.is_empty() => {
                Ok(CheckIn {
                    person_id,
                    occurred_at,
                    mood,
                    answered,
                    sleep: self.sleep,
                    appetite: self.appetite,
                    pain: self.pain,
                    ons4,
                    own_words,
                })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::FixedZone;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 9, 30, 0).unwrap()
    }

    fn draft() -> CheckInDraft {
        CheckInDraft {
            mood: Some(Mood::Good),
            ..CheckInDraft::now_for(
                Some(RecordId::from_random_bytes([2; 16])),
                now(),
                &FixedZone::utc(),
            )
        }
    }

    #[test]
    fn an_average_between_two_faces_is_not_rounded_into_either() {
        assert_eq!(
            Mood::average_words(4.5),
            "4.5 out of 5, between Good and Great"
        );
        assert_eq!(Mood::average_words(4.1), "Good (4.1 out of 5)");
        assert_eq!(Mood::average_words(4.8), "Great (4.8 out of 5)");
        assert_eq!(
            Mood::average_words(1.3),
            "1.3 out of 5, between Awful and Low"
        );
        assert_eq!(Mood::average_words(3.0), "Okay (3.0 out of 5)");
    }

    #[test]
    fn the_common_case_is_a_face_and_nothing_else() {
        let c = draft().validate(now(), &FixedZone::utc()).unwrap();
        assert_eq!(c.mood(), Mood::Good);
        assert_eq!(
            c.answered(),
            Answered::Themselves,
            "defaults to the person answering"
        );
        assert!(c.ons4().is_empty());
        assert_eq!((c.sleep(), c.appetite(), c.pain()), (None, None, None));
    }

    #[test]
    fn a_face_and_who_answered_are_needed() {
        let bad = CheckInDraft {
            mood: None,
            answered: None,
            ..draft()
        };
        let e = bad.validate(now(), &FixedZone::utc()).unwrap_err();
        assert_eq!(
            e.message_for("mood"),
            Some("Choose the face that fits best.")
        );
        assert!(e.message_for("answered").is_some());
    }

    #[test]
    fn ons4_answers_are_whole_numbers_from_0_to_10_or_unasked() {
        for (raw, ok) in [
            ("", true),
            ("0", true),
            ("10", true),
            (" 7 ", true),
            ("11", false),
            ("-1", false),
            ("5.5", false),
            ("lots", false),
        ] {
            let d = CheckInDraft {
                ons4: [raw.into(), String::new(), String::new(), String::new()],
                ..draft()
            };
            let result = d.validate(now(), &FixedZone::utc());
            assert_eq!(result.is_ok(), ok, "{raw:?}");
            if !ok {
                assert!(result.unwrap_err().message_for("ons_satisfied").is_some());
            }
        }
        let all = CheckInDraft {
            ons4: ["8".into(), "7".into(), "6".into(), "2".into()],
            ..draft()
        };
        let c = all.validate(now(), &FixedZone::utc()).unwrap();
        assert_eq!(c.ons4().answer(Ons4Question::Anxious), Some(2));
        assert_eq!(c.ons4().answer(Ons4Question::Satisfied), Some(8));
    }

    #[test]
    fn a_check_in_cannot_be_in_the_future() {
        let d = CheckInDraft {
            time: "10:30".into(),
            ..draft()
        };
        assert!(d
            .validate(now(), &FixedZone::utc())
            .unwrap_err()
            .message_for("time")
            .is_some());
    }

    #[test]
    fn editing_starts_from_what_is_stored_and_round_trips_as_json() {
        let d = CheckInDraft {
            sleep: Some(Sleep::Poor),
            appetite: Some(Appetite::More),
            pain: Some(Pain::Some),
            ons4: ["8".into(), String::new(), "6".into(), String::new()],
            own_words: "Tired but happy, went to the café.".into(),
            answered: Some(Answered::WithHelp),
            ..draft()
        };
        let c = d.validate(now(), &FixedZone::utc()).unwrap();
        assert_eq!(
            CheckInDraft::from_checkin(&c),
            CheckInDraft {
                own_words: d.own_words.clone(),
                ..d
            }
        );
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<CheckIn>(&json).unwrap(), c);
    }

    #[test]
    fn moods_score_one_to_five_and_averages_find_the_nearest_face() {
        assert_eq!(Mood::ALL.map(Mood::score), [1, 2, 3, 4, 5]);
        assert_eq!(Mood::nearest(3.6), Mood::Good);
        assert_eq!(Mood::nearest(0.2), Mood::Awful);
        assert!(Mood::Low.is_low() && Mood::Awful.is_low() && !Mood::Okay.is_low());
    }
}
