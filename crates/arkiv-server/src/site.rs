//! Whose archive this is: the authority and the service named in every
//! page's header, the contact and the accessibility statement in its
//! footer. From `site.toml` in the configuration folder; the one shipped
//! in index-config/ is compiled in as the default.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// The public body whose archive it is.
    pub authority: String,
    /// What the service is called on its pages.
    pub service: String,
    /// Who answers for it.
    pub contact: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The authority's own accessibility statement; None: arkiv's page.
    pub accessibility_statement: Option<String>,
}

/// arkiv's own accessibility statement page.
pub const STATEMENT_PATH: &str = "/tilgaengelighed";

const EMBEDDED: &str = include_str!("../../../index-config/site.toml");

impl Site {
    /// The site.toml shipped with arkiv.
    pub fn embedded() -> Site {
        toml::from_str(EMBEDDED).expect("the embedded index-config/site.toml is valid (checked by tests)")
    }

    /// `dir/site.toml` where there is one, else the shipped one.
    pub fn load(dir: &std::path::Path) -> Result<Site, String> {
        let p = dir.join("site.toml");
        match std::fs::read_to_string(&p) {
            Ok(text) => toml::from_str(&text).map_err(|e| format!("{}: {e}", p.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Site::embedded()),
            Err(e) => Err(format!("{}: {e}", p.display())),
        }
    }

    /// Where the footer's link to the accessibility statement goes.
    pub fn statement_url(&self) -> &str {
        self.accessibility_statement.as_deref().unwrap_or(STATEMENT_PATH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_site_is_valid_and_a_folder_may_set_its_own() {
        let s = Site::embedded();
        assert!(!s.authority.is_empty() && s.statement_url() == STATEMENT_PATH);
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Site::load(dir.path()).unwrap(), s);
        std::fs::write(dir.path().join("site.toml"), "authority = \"Aabenraa Kommune\"\nservice = \"Mødearkiv\"\ncontact = \"Sundhed\"\naccessibility_statement = \"https://www.was.digst.dk/aabenraa\"\n").unwrap();
        let own = Site::load(dir.path()).unwrap();
        assert_eq!((own.authority.as_str(), own.statement_url()), ("Aabenraa Kommune", "https://www.was.digst.dk/aabenraa"));
        std::fs::write(dir.path().join("site.toml"), "authority = 1\n").unwrap();
        assert!(Site::load(dir.path()).unwrap_err().contains("site.toml"));
    }
}
