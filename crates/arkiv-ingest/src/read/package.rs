//! What the Word and OpenDocument readers share: both are a zip of XML
//! parts, read with `zip` and streamed with `quick-xml`.

use super::ReadError;
use quick_xml::events::BytesStart;
use std::io::{BufReader, Read, Seek};

/// A part of the package by its name, or None where the package has none;
/// `damaged` says which format's file is broken.
pub(super) fn part<'a, R: Read + Seek>(zip: &'a mut zip::ZipArchive<R>, name: &str, damaged: fn(String) -> ReadError) -> Result<Option<BufReader<zip::read::ZipFile<'a, R>>>, ReadError> {
    match zip.by_name(name) {
        Ok(f) => Ok(Some(BufReader::new(f))),
        Err(zip::result::ZipError::FileNotFound) => Ok(None),
        Err(e) => Err(damaged(format!("{name}: {e}"))),
    }
}

/// An attribute's value by its local name (`w:val`, `text:style-name`).
pub(super) fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == local).map(|a| a.value.to_string())
}
