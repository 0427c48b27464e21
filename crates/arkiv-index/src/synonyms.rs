//! Abbreviations and synonyms (index-config/synonyms.toml): a query on any
//! form of a set finds all of them.

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    set: Vec<RawSet>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSet {
    forms: Vec<String>,
}

/// Sets of forms; each form is its words, normalized.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    pub sets: Vec<Vec<Vec<String>>>,
}

impl Synonyms {
    pub fn parse(text: &str) -> Result<Synonyms, String> {
        let raw: Raw = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut sets = vec![];
        for (i, s) in raw.set.into_iter().enumerate() {
            if s.forms.len() < 2 {
                return Err(format!("set {}: a set needs two forms or more", i + 1));
            }
            let forms: Vec<Vec<String>> = s
                .forms
                .iter()
                .map(|f| {
                    let n = arkiv_analysis::normalize(f);
                    arkiv_analysis::words(&n).into_iter().map(|(a, b)| n[a..b].to_string()).collect::<Vec<_>>()
                })
                .filter(|w: &Vec<String>| !w.is_empty())
                .collect();
            sets.push(forms);
        }
        Ok(Synonyms { sets })
    }

    /// The longest form starting at `words[i]`: (set, length in words).
    pub fn match_at(&self, words: &[String], i: usize) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for (si, set) in self.sets.iter().enumerate() {
            for form in set {
                let n = form.len();
                if i + n <= words.len() && words[i..i + n] == form[..] && best.is_none_or(|b| n > b.1) {
                    best = Some((si, n));
                }
            }
        }
        best
    }
}
