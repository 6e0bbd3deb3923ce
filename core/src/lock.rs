//! The PIN lock's rules: what a PIN must be, how long to pause after wrong
//! tries, and which idle times a carer may choose. The cryptography itself
//! (WebCrypto) lives in the browser app; these are the decisions around it.

use chrono::Duration;

/// The fewest digits a PIN may have.
pub const MIN_DIGITS: usize = 6;
/// The most digits a PIN may have (long enough for anyone, short enough to type).
pub const MAX_DIGITS: usize = 12;
/// Wrong tries allowed before the lock screen pauses.
pub const FREE_TRIES: u32 = 5;
/// The first pause, after [`FREE_TRIES`] wrong tries; each later wrong try doubles it.
pub const FIRST_PAUSE_SECS: i64 = 30;
/// The longest pause.
pub const MAX_PAUSE_SECS: i64 = 60 * 60;
/// PBKDF2-SHA256 iterations that turn a PIN into the key-encryption key.
pub const PBKDF2_ITERATIONS: u32 = 600_000;
/// The idle times a carer can choose, in minutes.
pub const IDLE_CHOICES: [u32; 5] = [1, 2, 5, 15, 30];
/// The idle time until the carer chooses one, in minutes.
pub const DEFAULT_IDLE_MINUTES: u32 = 5;

/// Why a new PIN was refused, in words for the carer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    /// Nothing typed.
    #[error("Type a PIN of at least 6 digits.")]
    Empty,
    /// Something other than the digits 0 to 9.
    #[error("Use digits only (0 to 9), with no spaces or letters.")]
    NotDigits,
    /// Fewer than [`MIN_DIGITS`].
    #[error("Use at least 6 digits.")]
    TooShort,
    /// More than [`MAX_DIGITS`].
    #[error("Use at most 12 digits.")]
    TooLong,
    /// One digit repeated (`111111`).
    #[error("That PIN is one digit repeated, which is easy to guess. Choose another.")]
    Repeated,
    /// A run up or down (`123456`, `987654`).
    #[error("That PIN is a simple sequence, which is easy to guess. Choose another.")]
    Sequence,
    /// The two entries differ.
    #[error("The two PINs don't match. Type the same PIN twice.")]
    Mismatch,
}

impl PinError {
    /// The form field the error belongs under: the new PIN, or its repeat.
    pub fn field(&self) -> &'static str {
        match self {
            PinError::Mismatch => "new_pin_again",
            _ => "new_pin",
        }
    }
}

/// Checks a new PIN and its confirmation. Returns the PIN to use.
pub fn check_new_pin(pin: &str, again: &str) -> Result<String, PinError> {
    let pin = pin.trim();
    if pin.is_empty() {
        return Err(PinError::Empty);
    }
    if !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err(PinError::NotDigits);
    }
    if pin.len() < MIN_DIGITS {
        return Err(PinError::TooShort);
    }
    if pin.len() > MAX_DIGITS {
        return Err(PinError::TooLong);
    }
    let digits: Vec<i8> = pin.bytes().map(|b| (b - b'0') as i8).collect();
    if digits.iter().all(|d| *d == digits[0]) {
        return Err(PinError::Repeated);
    }
    let steps: Vec<i8> = digits
        .windows(2)
        .map(|w| (w[1] - w[0]).rem_euclid(10))
        .collect();
    if steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == 9) {
        return Err(PinError::Sequence);
    }
    if pin != again.trim() {
        return Err(PinError::Mismatch);
    }
    Ok(pin.to_string())
}

/// How long the lock screen pauses after `failures` wrong tries in a row:
/// nothing for the first [`FREE_TRIES`], then 30 seconds, doubling with each
/// further wrong try, up to an hour.
pub fn pause_after(failures: u32) -> Option<Duration> {
    if failures < FREE_TRIES {
        return None;
    }
    let doublings = (failures - FREE_TRIES).min(20);
    let secs = FIRST_PAUSE_SECS.saturating_mul(1_i64 << doublings);
    Some(Duration::seconds(secs.min(MAX_PAUSE_SECS)))
}

/// Wrong tries left before the first pause.
pub fn tries_left(failures: u32) -> u32 {
    FREE_TRIES.saturating_sub(failures)
}

/// What the lock screen says after a wrong PIN.
pub fn wrong_pin_message(failures: u32) -> String {
    match tries_left(failures) {
        0 => "That PIN is not right. Wait until the pause ends, then try again.".to_string(),
        1 => "That PIN is not right. 1 try left before a pause.".to_string(),
        n => format!("That PIN is not right. {n} tries left before a pause."),
    }
}

/// A wait, in words: "30 seconds", "2 minutes 5 seconds".
pub fn wait_words(secs: i64) -> String {
    let secs = secs.max(0);
    let (m, s) = (secs / 60, secs % 60);
    let unit = |n: i64, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    match (m, s) {
        (0, s) => unit(s, "second"),
        (m, 0) => unit(m, "minute"),
        (m, s) => format!("{} {}", unit(m, "minute"), unit(s, "second")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_pin_twice_is_accepted() {
        assert_eq!(check_new_pin("284615", "284615"), Ok("284615".into()));
        assert_eq!(
            check_new_pin(" 28461597 ", "28461597"),
            Ok("28461597".into())
        );
    }

    #[test]
    fn short_long_or_non_digit_pins_are_refused_with_plain_words() {
        assert_eq!(check_new_pin("", ""), Err(PinError::Empty));
        assert_eq!(check_new_pin("28461", "28461"), Err(PinError::TooShort));
        assert_eq!(
            check_new_pin("2846 15", "2846 15"),
            Err(PinError::NotDigits)
        );
        assert_eq!(check_new_pin("28461a", "28461a"), Err(PinError::NotDigits));
        assert_eq!(
            check_new_pin("١٢٣٤٥٦٧", "١٢٣٤٥٦٧"),
            Err(PinError::NotDigits)
        );
        assert_eq!(
            check_new_pin("2846159738461", "2846159738461"),
            Err(PinError::TooLong)
        );
        assert_eq!(PinError::TooShort.to_string(), "Use at least 6 digits.");
    }

    #[test]
    fn repeated_digits_and_simple_sequences_are_refused() {
        assert_eq!(check_new_pin("000000", "000000"), Err(PinError::Repeated));
        assert_eq!(check_new_pin("123456", "123456"), Err(PinError::Sequence));
        assert_eq!(check_new_pin("654321", "654321"), Err(PinError::Sequence));
        assert_eq!(check_new_pin("7890123", "7890123"), Err(PinError::Sequence));
        assert_eq!(check_new_pin("123457", "123457"), Ok("123457".into()));
    }

    #[test]
    fn the_two_entries_must_match() {
        assert_eq!(check_new_pin("284615", "284616"), Err(PinError::Mismatch));
        assert_eq!(PinError::Mismatch.field(), "new_pin_again");
        assert_eq!(PinError::Sequence.field(), "new_pin");
    }

    #[test]
    fn five_wrong_tries_are_free_then_pauses_double_up_to_an_hour() {
        for failures in 0..5 {
            assert_eq!(pause_after(failures), None);
        }
        assert_eq!(pause_after(5), Some(Duration::seconds(30)));
        assert_eq!(pause_after(6), Some(Duration::seconds(60)));
        assert_eq!(pause_after(7), Some(Duration::seconds(120)));
        assert_eq!(pause_after(12), Some(Duration::hours(1)));
        assert_eq!(pause_after(u32::MAX), Some(Duration::hours(1)));
    }

    #[test]
    fn wrong_pin_messages_count_down_the_free_tries() {
        assert_eq!(
            wrong_pin_message(2),
            "That PIN is not right. 3 tries left before a pause."
        );
        assert_eq!(
            wrong_pin_message(4),
            "That PIN is not right. 1 try left before a pause."
        );
        assert!(wrong_pin_message(5).contains("Wait until the pause ends"));
    }

    #[test]
    fn waits_read_naturally() {
        assert_eq!(wait_words(1), "1 second");
        assert_eq!(wait_words(30), "30 seconds");
        assert_eq!(wait_words(60), "1 minute");
        assert_eq!(wait_words(125), "2 minutes 5 seconds");
    }

    #[test]
    fn the_key_derivation_is_slow_enough() {
        const { assert!(PBKDF2_ITERATIONS >= 600_000) };
        assert!(IDLE_CHOICES.contains(&DEFAULT_IDLE_MINUTES));
    }
}
