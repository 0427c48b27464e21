//! Document formats: which files are documents, and how each becomes text.
//! A new format (PDF, say) is a new variant here with its own extraction;
//! everything after extraction is the same for all formats.

use crate::decode::{self, Decoded, DecodeError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text, as PDF extraction leaves it.
    Text,
}

impl Format {
    /// The format of a file, by its extension; None for files that are not
    /// documents arkiv reads.
    pub fn of_extension(ext: &str) -> Option<Format> {
        match ext.to_lowercase().as_str() {
            "txt" => Some(Format::Text),
            _ => None,
        }
    }

    /// The extensions arkiv reads, for messages.
    pub fn known() -> &'static str {
        ".txt"
    }

    /// The document's text.
    pub fn extract(self, bytes: &[u8]) -> Result<Decoded, DecodeError> {
        match self {
            Format::Text => decode::decode(bytes),
        }
    }
}
