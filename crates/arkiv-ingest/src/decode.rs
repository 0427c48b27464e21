//! Bytes to text: byte-order marks, UTF-8, Windows-1252; refuses binary data.
//!
//! Text or binary is decided by the share of characters no text has, not by
//! one bad byte: text that came out of a PDF or an old Word export often
//! carries a few NULs or control characters, and a document is not lost for
//! them. They are removed, and a note says how many.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// (code, message) for what was odd but recovered.
    pub notes: Vec<(&'static str, String)>,
    /// Pages, where they are known: the text came from a PDF, or was
    /// extracted from one with its page breaks (form feeds, which separate
    /// the pages in `text`).
    pub pages: Option<u32>,
    /// Pages read by OCR, with their confidence.
    pub ocr: Vec<crate::read::ocr::OcrPage>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DecodeError {
    #[error("empty file")]
    Empty,
    #[error("not text: {0:.0}% of the characters are control characters in every encoding tried (binary data?)")]
    NotText(f64),
}

impl DecodeError {
    pub fn code(&self) -> &'static str {
        match self {
            DecodeError::Empty => "decode.empty",
            DecodeError::NotText(_) => "decode.not-text",
        }
    }
}

/// Above this share of junk characters a file is not text.
pub const MAX_JUNK: f64 = 0.05;

/// C0 and C1 controls other than tab, newline, carriage return and form
/// feed: characters no text document means to hold.
pub fn is_control(c: char) -> bool {
    let cp = c as u32;
    (cp < 0x20 && !matches!(c, '\t' | '\n' | '\r' | '\x0c')) || (0x7f..0xa0).contains(&cp)
}

/// How many characters of `s` are [`is_control`], counted on its bytes: an
/// ASCII control is its own byte, and U+0080–U+009F are the byte 0xC2
/// followed by 0x80–0x9F (no other character's encoding holds either).
fn controls(s: &str) -> usize {
    let b = s.as_bytes();
    // Written without `&&` or `matches!`, so that it has no branches.
    let ascii_control = |x: u8| (x < 0x20) & (x != b'\t') & (x != b'\n') & (x != b'\r') & (x != 0x0c) | (x == 0x7f);
    crate::byte_hits(b, move |x| ascii_control(x) | (x == 0xc2)).filter(|&i| b[i] != 0xc2 || b.get(i + 1).is_some_and(|&n| n < 0xa0)).count()
}

/// Share of characters that no text document has: controls and U+FFFD.
pub fn junk_ratio(s: &str) -> f64 {
    let n = s.chars().count();
    if n == 0 {
        return 0.0;
    }
    let bad = controls(s) + s.matches('\u{fffd}').count();
    bad as f64 / n as f64
}

/// Decodes a document. UTF-8 (with or without BOM) and UTF-16 with BOM are
/// taken as they are; anything else that is not valid UTF-8 is read as
/// Windows-1252 (a superset of Latin-1 for the letters Danish uses), unless it
/// is mostly valid UTF-8 with a few broken bytes.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    let mut notes = vec![];
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            notes.push(("decode.invalid-bytes", format!("invalid {} sequences replaced", enc.name())));
        }
        return finish(text.into_owned(), enc.name(), notes);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return finish(s.to_owned(), "UTF-8", notes);
    }
    // Not valid UTF-8. A few broken sequences in otherwise UTF-8 text stay
    // UTF-8 (with replacements); otherwise the text is Windows-1252.
    let (lossy, _) = UTF_8.decode_without_bom_handling(bytes);
    let replaced = lossy.chars().filter(|&c| c == '\u{fffd}').count();
    let multibyte = lossy.chars().filter(|&c| (c as u32) > 0x7f && c != '\u{fffd}').count();
    if multibyte >= 4 * replaced.max(1) {
        notes.push(("decode.invalid-bytes", format!("{replaced} invalid UTF-8 sequences replaced")));
        return finish(lossy.into_owned(), "UTF-8", notes);
    }
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
    notes.push(("decode.windows-1252", "not UTF-8: decoded as Windows-1252".to_string()));
    finish(text.into_owned(), "windows-1252", notes)
}

fn finish(text: String, encoding: &'static str, mut notes: Vec<(&'static str, String)>) -> Result<Decoded, DecodeError> {
    let junk = junk_ratio(&text);
    if junk > MAX_JUNK {
        return Err(DecodeError::NotText(junk * 100.0));
    }
    let text = drop_controls(text, &mut notes);
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    // A form feed ends a page; one at the very end opens none.
    let breaks = text.trim_end().matches('\x0c').count();
    let pages = (breaks > 0).then_some(breaks as u32 + 1);
    Ok(Decoded { text, encoding, notes, pages, ocr: vec![] })
}

/// Removes stray control characters from text that is otherwise text, with
/// a note that counts them. Extracted PDF and Word text goes through here too.
/// A C1 control (U+0080–U+009F) that is a Windows-1252 letter or sign read
/// as Latin-1 (U+0096 for "–", U+0092 for "’": what a PDF's standard font
/// with WinAnsi encoding often gives) is read as that character instead.
pub fn drop_controls(text: String, notes: &mut Vec<(&'static str, String)>) -> String {
    if controls(&text) == 0 {
        return text;
    }
    let (mut removed, mut repaired) = (0usize, 0usize);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !is_control(c) {
            out.push(c);
        } else if let Some(r) = windows_1252_for_c1(c) {
            out.push(r);
            repaired += 1;
        } else {
            removed += 1;
        }
    }
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if removed > 0 {
        notes.push(("decode.control-characters", format!("{removed} control character{} removed", plural(removed))));
    }
    if repaired > 0 {
        notes.push(("decode.windows-1252-repaired", format!("{repaired} character{} U+0080–U+009F read as Windows-1252", plural(repaired))));
    }
    out
}

fn windows_1252_for_c1(c: char) -> Option<char> {
    let cp = c as u32;
    if !(0x80..0xa0).contains(&cp) {
        return None;
    }
    let byte = [cp as u8];
    let (s, _) = WINDOWS_1252.decode_without_bom_handling(&byte);
    s.chars().next().filter(|r| !is_control(*r) && *r != '\u{fffd}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Counted on bytes, the controls are the characters `is_control` names.
        #[test]
        fn controls_are_counted_as_their_characters(s in "[a-zæ \t\n\r\x0c\x00-\x1f\x7f\u{80}-\u{a5}\u{fffd}–”]{0,40}") {
            prop_assert_eq!(controls(&s), s.chars().filter(|&c| is_control(c)).count());
        }
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("Høreområdet".as_bytes()).unwrap();
        assert_eq!(d.text, "Høreområdet");
        let mut b = vec![0xef, 0xbb, 0xbf];
        b.extend_from_slice("Høreområdet".as_bytes());
        let d = decode(&b).unwrap();
        assert_eq!(d.text, "Høreområdet");
    }

    #[test]
    fn windows_1252_is_detected() {
        // "Sundhed for børn – år" in Windows-1252: ø=F8, å=E5, en dash=96.
        let b = b"Sundhed for b\xf8rn \x96 \xe5r";
        let d = decode(b).unwrap();
        assert_eq!(d.text, "Sundhed for børn – år");
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn utf16_with_bom() {
        let mut b = vec![0xff, 0xfe];
        for u in "Referat æøå".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&b).unwrap().text, "Referat æøå");
    }

    #[test]
    fn refuses_empty_binary_and_junk() {
        assert_eq!(decode(b"").unwrap_err(), DecodeError::Empty);
        assert_eq!(decode(b"  \n\n ").unwrap_err(), DecodeError::Empty);
        assert!(matches!(decode(b"PK\x03\x04\x00\x00abc").unwrap_err(), DecodeError::NotText(_)));
        let junk: Vec<u8> = (0..2000u32).map(|i| [0x81u8, 0x8d, 0x01, 0x02, 0x90, b'a'][(i % 6) as usize]).collect();
        assert!(matches!(decode(&junk).unwrap_err(), DecodeError::NotText(_)));
    }

    #[test]
    fn a_few_controls_in_text_are_removed_with_a_note() {
        let mut text = "Beslutning: Godkendt af gruppen. ".repeat(20).into_bytes();
        text.splice(40..40, [0u8, 0, 0x07, 0x7f]);
        let d = decode(&text).unwrap();
        assert!(!d.text.chars().any(is_control));
        assert!(d.text.starts_with("Beslutning: Godkendt"));
        assert_eq!(d.notes, vec![("decode.control-characters", "4 control characters removed".to_string())]);
        // A C1 control that is a Windows-1252 sign read as Latin-1 is that
        // sign; one that is not (U+0081) is dropped.
        let tail = " Gruppen godkendte referatet uden bemærkninger.";
        let d = decode(format!("Referat\u{81} fra mødet i Sundhedsstyregruppen \u{96} 3. maj\u{92}{tail}").as_bytes()).unwrap();
        assert_eq!(d.text, format!("Referat fra mødet i Sundhedsstyregruppen – 3. maj’{tail}"));
        assert_eq!(d.notes.len(), 2);
    }
}
