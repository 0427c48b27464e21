//! Document formats: which files are documents, and how each becomes text.
//! Everything after this step is the same for every format: the text of a
//! PDF or a Word file goes through the same cleaning and segmentation as a
//! `.txt` file.

use crate::decode::{self, Decoded};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text, as PDF extraction leaves it.
    #[serde(rename = "txt")]
    Text,
    /// PDF with a text layer.
    Pdf,
    /// Word 2007 and later (Office Open XML).
    Docx,
    /// A web page as a browser saves it (.html, .htm).
    Html,
    /// OpenDocument text (LibreOffice's own).
    Odt,
    /// Word 97-2003, read through a converter where one is installed.
    Doc,
    /// Rich Text Format, read through a converter where one is installed.
    Rtf,
}

impl Format {
    /// The format of a file, by its extension; None for files that are not
    /// documents arkiv reads.
    pub fn of_extension(ext: &str) -> Option<Format> {
        match ext.to_lowercase().as_str() {
            "txt" => Some(Format::Text),
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "odt" => Some(Format::Odt),
            "doc" => Some(Format::Doc),
            "rtf" => Some(Format::Rtf),
            _ => None,
        }
    }

    /// The format of a path, by its extension.
    pub fn of_path(path: &str) -> Option<Format> {
        std::path::Path::new(path).extension().and_then(|e| Format::of_extension(&e.to_string_lossy()))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Html => "html",
            Format::Odt => "odt",
            Format::Doc => "doc",
            Format::Rtf => "rtf",
        }
    }

    /// The extensions arkiv reads, for messages.
    pub fn known() -> &'static str {
        ".txt, .pdf, .docx, .html/.htm, .odt, .doc, .rtf"
    }

    /// The media type a browser opens the file as.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Text => "text/plain",
            Format::Pdf => "application/pdf",
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Format::Html => "text/html",
            Format::Odt => "application/vnd.oasis.opendocument.text",
            Format::Doc => "application/msword",
            Format::Rtf => "application/rtf",
        }
    }

    /// The largest file read. Text (and a web page, and RTF) is all content, so 32 MB is more than any
    /// meeting document; a PDF or Word file with scanned attachments is
    /// mostly images, so its work is bounded by the reader's limits (time,
    /// memory, text length), not by its size on disk.
    pub fn max_file_bytes(self) -> u64 {
        match self {
            Format::Text | Format::Html | Format::Rtf => 32 * 1024 * 1024,
            Format::Pdf | Format::Docx | Format::Odt | Format::Doc => 1024 * 1024 * 1024,
        }
    }

    /// The document's text. Text is decoded here; every other format goes through
    /// [`crate::read`], under the limits of `opts`.
    pub fn extract(self, bytes: &[u8], opts: &crate::read::ReadOptions) -> Result<Decoded, crate::read::ReadError> {
        match self {
            Format::Text => decode::decode(bytes).map_err(Into::into),
            _ => crate::read::read_isolated(self, bytes, opts),
        }
    }
}
