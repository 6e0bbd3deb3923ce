//! Direction controls in text someone typed.
//!
//! Unicode's explicit direction controls (U+202A to U+202E, U+2066 to
//! U+2069) change the direction of everything after them until they are
//! closed. An unclosed right-to-left override in a name or a note would
//! reverse the rest of a line in a spreadsheet or a calendar that shows it:
//! Hearth's own words, and other people's. Exports pass typed text through
//! [`balanced`], which keeps every control that is closed, closes those left
//! open at the end of the text, and drops closers that close nothing. Text
//! without direction controls comes back as it was.

use std::borrow::Cow;

const LRE: char = '\u{202A}';
const RLE: char = '\u{202B}';
const PDF: char = '\u{202C}';
const LRO: char = '\u{202D}';
const RLO: char = '\u{202E}';
const LRI: char = '\u{2066}';
const RLI: char = '\u{2067}';
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Embedding,
    Isolate,
}

/// True for a character that changes text direction explicitly.
pub fn is_control(c: char) -> bool {
    matches!(c, LRE | RLE | PDF | LRO | RLO | LRI | RLI | FSI | PDI)
}

/// The text with its direction controls balanced (see the module's notes).
pub fn balanced(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut open: Vec<Open> = Vec::new();
    for c in text.chars() {
        match c {
            LRE | RLE | LRO | RLO => {
                open.push(Open::Embedding);
                out.push(c);
            }
            LRI | RLI | FSI => {
                open.push(Open::Isolate);
                out.push(c);
            }
            // A PDF closes an embedding opened inside the current isolate.
            PDF => {
                if open.last() == Some(&Open::Embedding) {
                    open.pop();
                    out.push(c);
                }
            }
            // A PDI closes the latest isolate and every embedding inside it.
            PDI => {
                if let Some(at) = open.iter().rposition(|o| *o == Open::Isolate) {
                    for _ in at + 1..open.len() {
                        out.push(PDF);
                    }
                    open.truncate(at);
                    out.push(c);
                }
            }
            c => out.push(c),
        }
    }
    for o in open.into_iter().rev() {
        out.push(match o {
            Open::Embedding => PDF,
            Open::Isolate => PDI,
        });
    }
    Cow::Owned(out)
}

/// True for a letter written right to left (Hebrew, Arabic, Syriac, Thaana,
/// N'Ko and their presentation forms).
fn is_right_to_left(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Typed text ready to sit inside a sentence of Hearth's own words on screen
/// ("Note for {name}"): text with direction controls or right-to-left letters
/// is balanced and wrapped in a first-strong isolate, so it takes its own
/// direction and leaves the sentence's alone; other text comes back as it was
/// (nothing invisible is added to it).
pub fn isolate(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_control(c) || is_right_to_left(c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(format!("{FSI}{}{PDI}", balanced(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_untouched() {
        for t in ["Ann and Ravi's", "", "مرحبا Meg", "שלום"] {
            assert!(matches!(balanced(t), Cow::Borrowed(_)), "{t}");
        }
    }

    #[test]
    fn an_unclosed_override_is_closed_where_the_text_ends() {
        assert_eq!(balanced("Host \u{202E}on is"), "Host \u{202E}on is\u{202C}");
        assert_eq!(
            balanced("\u{2067}a\u{202B}b"),
            "\u{2067}a\u{202B}b\u{202C}\u{2069}"
        );
    }

    #[test]
    fn closed_controls_stay_and_stray_closers_go() {
        assert_eq!(balanced("a\u{202E}b\u{202C}c"), "a\u{202E}b\u{202C}c");
        assert_eq!(balanced("\u{202C}\u{2069}x"), "x");
        // A PDI closes the embeddings opened inside its isolate.
        assert_eq!(
            balanced("\u{2068}\u{202E}x\u{2069}y"),
            "\u{2068}\u{202E}x\u{202C}\u{2069}y"
        );
        // A PDF can't reach outside an isolate.
        assert_eq!(
            balanced("\u{202E}\u{2066}x\u{202C}"),
            "\u{202E}\u{2066}x\u{2069}\u{202C}"
        );
    }

    #[test]
    fn typed_text_in_a_sentence_is_isolated_only_when_it_could_turn_it() {
        assert!(matches!(isolate("Meg"), Cow::Borrowed("Meg")));
        assert_eq!(
            isolate("Host \u{202E}on is"),
            "\u{2068}Host \u{202E}on is\u{202C}\u{2069}"
        );
        assert_eq!(isolate("سارة"), "\u{2068}سارة\u{2069}");
    }

    proptest::proptest! {
        /// Whatever is typed, every opened control is closed, in order.
        #[test]
        fn every_control_is_closed(parts in proptest::collection::vec(0usize..12, 0..30)) {
            let alphabet = [LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, 'a', 'ب', ' '];
            let text: String = parts.iter().map(|&i| alphabet[i]).collect();
            let out = balanced(&text);
            let mut open = Vec::new();
            for c in out.chars() {
                match c {
                    LRE | RLE | LRO | RLO => open.push(Open::Embedding),
                    LRI | RLI | FSI => open.push(Open::Isolate),
                    PDF => proptest::prop_assert_eq!(open.pop(), Some(Open::Embedding)),
                    PDI => proptest::prop_assert_eq!(open.pop(), Some(Open::Isolate)),
                    _ => {}
                }
            }
            proptest::prop_assert!(open.is_empty());
            let plain = |s: &str| s.chars().filter(|c| !is_control(*c)).collect::<String>();
            proptest::prop_assert_eq!(plain(&out), plain(&text));
        }
    }
}
