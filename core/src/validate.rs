//! Field-level validation errors and the small text rules every record shares.

use serde::Serialize;
use std::fmt;

/// One problem with one field, in plain English a carer can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The form field's key, such as `preferred_name` or `contacts.1.phone`.
    pub field: String,
    /// What is wrong and what to do, for the screen.
    pub message: String,
}

/// Every problem found in a draft, in the order of the form's fields, so the
/// first one can take focus.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ValidationErrors(Vec<FieldError>);

impl ValidationErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem with `field`.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// True when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// All problems, in form order.
    pub fn all(&self) -> &[FieldError] {
        &self.0
    }

    /// The message for one field, if it has a problem.
    pub fn message_for(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// `Ok(value)` when there are no errors, else the errors.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, ValidationErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }

    /// A single error, for rules about the whole record.
    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let messages: Vec<&str> = self.0.iter().map(|e| e.message.as_str()).collect();
        f.write_str(&messages.join(" "))
    }
}

impl std::error::Error for ValidationErrors {}

/// Trims `raw` and checks it against a length limit counted in characters (what
/// a person sees), not bytes. Returns the trimmed text.
pub(crate) fn text(
    errors: &mut ValidationErrors,
    field: &str,
    raw: &str,
    required: Option<&str>,
    max_chars: usize,
) -> String {
    let trimmed = raw.trim();
    let count = trimmed.chars().count();
    if trimmed.is_empty() {
        if let Some(message) = required {
            errors.add(field, message);
        }
    } else if count > max_chars {
        errors.add(
            field,
            format!("Keep this to {max_chars} characters or fewer. It has {count} now."),
        );
    }
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_trims_and_counts_characters_not_bytes() {
        let mut errors = ValidationErrors::new();
        assert_eq!(text(&mut errors, "f", "  Siân  ", None, 4), "Siân");
        assert!(errors.is_empty(), "4 characters fit in 4, though 5 bytes");
        text(&mut errors, "f", "Siânn", None, 4);
        assert_eq!(
            errors.message_for("f"),
            Some("Keep this to 4 characters or fewer. It has 5 now.")
        );
    }

    #[test]
    fn required_text_that_is_only_spaces_is_missing() {
        let mut errors = ValidationErrors::new();
        text(&mut errors, "name", "   ", Some("Enter a name."), 10);
        assert_eq!(errors.message_for("name"), Some("Enter a name."));
        assert_eq!(errors.to_string(), "Enter a name.");
    }
}
