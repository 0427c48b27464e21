//! Word files written for tests (the tests of arkiv-ingest, which has the
//! zip crate): `#[path = "support/word.rs"] mod word;`.

/// A Word file whose page header, body and page footer are these
/// paragraphs, as a secretariat's template lays a document out: the
/// header's lines on every page, the footer with a page field ("Side 1"),
/// a tab between a number and its title as Word users type it.
pub fn docx(header: &[&str], body: &[&str], footer: &[&str]) -> Vec<u8> {
    use std::io::Write;
    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let para = |s: &str| {
        let runs: Vec<String> = s.split('\t').map(|p| format!(r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#, esc(p))).collect();
        format!("<w:p>{}</w:p>", runs.join("<w:r><w:tab/></w:r>"))
    };
    let paras = |ls: &[&str]| ls.iter().map(|l| para(l)).collect::<String>();
    let page_field = r#"<w:p><w:r><w:t xml:space="preserve">Side </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#;
    let parts = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string()),
        ("word/_rels/document.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#.to_string()),
        ("word/header1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:hdr {W}>{}</w:hdr>"#, paras(header))),
        ("word/footer1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:ftr {W}>{}{page_field}</w:ftr>"#, paras(footer))),
        ("word/document.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{}<w:sectPr><w:headerReference w:type="default" r:id="rId1"/><w:footerReference w:type="default" r:id="rId2"/></w:sectPr></w:body></w:document>"#, paras(body))),
    ];
    let mut out = std::io::Cursor::new(vec![]);
    let mut z = zip::ZipWriter::new(&mut out);
    for (name, data) in parts {
        z.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(data.as_bytes()).unwrap();
    }
    z.finish().unwrap();
    out.into_inner()
}
