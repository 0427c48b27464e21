//! Bytes to text: byte-order marks, UTF-8, Windows-1252; refuses binary data.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// (code, message) for what was odd but recovered.
    pub notes: Vec<(&'static str, String)>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DecodeError {
    #[error("empty file")]
    Empty,
    #[error("binary file (NUL bytes): not a text document")]
    Binary,
    #[error("not text: {0:.0}% of the characters are control characters in every encoding tried")]
    NotText(f64),
}

impl DecodeError {
    pub fn code(&self) -> &'static str {
        match self {
            DecodeError::Empty => "decode.empty",
            DecodeError::Binary => "decode.binary",
            DecodeError::NotText(_) => "decode.not-text",
        }
    }
}

/// Share of characters that no text document has: C0 and C1 controls other
/// than tab, newline, carriage return and form feed, and U+FFFD.
fn junk_ratio(s: &str) -> f64 {
    let mut n = 0usize;
    let mut bad = 0usize;
    for c in s.chars() {
        n += 1;
        let cp = c as u32;
        if (cp < 0x20 && !matches!(c, '\t' | '\n' | '\r' | '\x0c')) || (0x7f..0xa0).contains(&cp) || c == '\u{fffd}' {
            bad += 1;
        }
    }
    if n == 0 {
        0.0
    } else {
        bad as f64 / n as f64
    }
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
    if bytes.contains(&0) {
        return Err(DecodeError::Binary);
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

fn finish(text: String, encoding: &'static str, notes: Vec<(&'static str, String)>) -> Result<Decoded, DecodeError> {
    let junk = junk_ratio(&text);
    if junk > 0.05 {
        return Err(DecodeError::NotText(junk * 100.0));
    }
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded { text, encoding, notes })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(decode(b"PK\x03\x04\x00\x00abc").unwrap_err(), DecodeError::Binary);
        let junk: Vec<u8> = (0..2000u32).map(|i| [0x81u8, 0x8d, 0x01, 0x02, 0x90, b'a'][(i % 6) as usize]).collect();
        assert!(matches!(decode(&junk).unwrap_err(), DecodeError::NotText(_)));
    }
}
