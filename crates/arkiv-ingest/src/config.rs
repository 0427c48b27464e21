//! index-config: groups, municipalities, topics, synonyms and path rules, read
//! raw with `deny_unknown_fields` and validated into the types the parser uses.

use regex::Regex;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

fn invalid(path: &Path, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid { path: path.to_path_buf(), message: message.into() }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroups {
    group: Vec<RawGroup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    name: String,
    short: String,
    #[serde(default)]
    cluster: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMunicipalities {
    #[serde(default)]
    region: Vec<RawRegion>,
    #[serde(default)]
    cluster: Vec<RawCluster>,
    municipality: Vec<RawMunicipality>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    municipalities: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCluster {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    municipalities: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMunicipality {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    only_as_kommune: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopics {
    title_weight: u32,
    threshold: u32,
    topic: Vec<RawTopic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    slug: String,
    name: String,
    terms: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPaths {
    #[serde(default)]
    rule: Vec<RawPathRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPathRule {
    /// Regex over the path relative to the archive root, `/`-separated.
    path: String,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    kind: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub name: String,
    pub short: String,
    pub cluster: Option<String>,
    /// Aliases in matching form (see [`match_key`]).
    pub keys: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Municipality {
    pub name: String,
    pub forms: Vec<String>,
    /// The name is also a common word: it counts only followed by
    /// "Kommune" ("Vejen Kommune", "Vejen Kommunes").
    pub only_as_kommune: bool,
    /// Its region's position in `Config::regions`, where one lists it.
    pub region: Option<usize>,
}

/// What a form of `Matchers::places` names: a municipality or a region, by
/// its position in the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Municipality(usize),
    Region(usize),
}

/// A region: its name and the other forms documents name it by; its
/// municipalities say which region they are in.
#[derive(Debug, Clone)]
pub struct Region {
    pub name: String,
    pub forms: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Cluster {
    pub name: String,
    pub aliases: Vec<String>,
    pub municipalities: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub slug: String,
    pub name: String,
    pub terms: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct PathRule {
    pub path: Regex,
    pub group: Option<String>,
    pub kind: Option<crate::Kind>,
}

/// Automata over the configuration's names and terms, built once.
#[derive(Debug, Clone)]
pub struct Matchers {
    /// Group alias keys (match_key form); pattern i belongs to group_of[i].
    pub groups: aho_corasick::AhoCorasick,
    pub group_of: Vec<usize>,
    /// Municipality forms as written; pattern i names municipality muni_of[i].
    /// Municipalities' and regions' forms, searched in one pass.
    pub places: aho_corasick::AhoCorasick,
    pub place_of: Vec<Place>,
    /// Topic terms in lowercase; pattern i is (topic, term is a phrase, term has 6+ letters).
    pub topics: aho_corasick::AhoCorasick,
    pub topic_of: Vec<(usize, bool, bool)>,
}

/// The validated configuration the parser uses.
#[derive(Debug, Clone)]
pub struct Config {
    matchers: std::sync::OnceLock<Matchers>,
    pub groups: Vec<Group>,
    pub municipalities: Vec<Municipality>,
    pub regions: Vec<Region>,
    pub clusters: Vec<Cluster>,
    pub topics: Vec<Topic>,
    pub topic_title_weight: u32,
    pub topic_threshold: u32,
    pub path_rules: Vec<PathRule>,
    /// How PDF and Word files are read: limits, and the worker process.
    /// Not from the TOML files: the program sets it.
    pub read: crate::read::ReadOptions,
}

/// The form in which group names and aliases are compared: lowercase, with
/// spaces, hyphens and punctuation dropped and "&" read as "og".
pub fn match_key(s: &str) -> String {
    let s = s.to_lowercase().replace('&', "og");
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

fn read(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })
}

fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, ConfigError> {
    toml::from_str(text).map_err(|e| invalid(path, e.to_string()))
}

impl Config {
    /// Reads groups.toml, municipalities.toml and topics.toml (required) and
    /// paths.toml (optional) from `dir`.
    pub fn load(dir: &Path) -> Result<Config, ConfigError> {
        let g = dir.join("groups.toml");
        let m = dir.join("municipalities.toml");
        let t = dir.join("topics.toml");
        let p = dir.join("paths.toml");
        let paths = if p.exists() { Some(read(&p)?) } else { None };
        Config::from_texts(
            (&g, &read(&g)?),
            (&m, &read(&m)?),
            (&t, &read(&t)?),
            paths.as_deref().map(|s| (p.as_path(), s)),
        )
    }

    /// The configuration shipped with arkiv (index-config/ at build time).
    pub fn embedded() -> Config {
        Config::from_texts(
            (Path::new("groups.toml"), crate::embedded::GROUPS),
            (Path::new("municipalities.toml"), crate::embedded::MUNICIPALITIES),
            (Path::new("topics.toml"), crate::embedded::TOPICS),
            None,
        )
        .expect("the embedded index-config is valid (checked by tests)")
    }

    fn from_texts(
        groups: (&Path, &str),
        munis: (&Path, &str),
        topics: (&Path, &str),
        paths: Option<(&Path, &str)>,
    ) -> Result<Config, ConfigError> {
        let rg: RawGroups = parse_toml(groups.0, groups.1)?;
        let rm: RawMunicipalities = parse_toml(munis.0, munis.1)?;
        let rt: RawTopics = parse_toml(topics.0, topics.1)?;
        let rp: RawPaths = match paths {
            Some((p, s)) => parse_toml(p, s)?,
            None => RawPaths::default(),
        };
        let mut out = Config {
            matchers: std::sync::OnceLock::new(),
            groups: vec![],
            municipalities: vec![],
            regions: vec![],
            clusters: vec![],
            topics: vec![],
            topic_title_weight: rt.title_weight,
            topic_threshold: rt.threshold.max(1),
            path_rules: vec![],
            read: crate::read::ReadOptions::default(),
        };
        let mut shorts = std::collections::HashSet::new();
        for g in rg.group {
            if g.name.trim().is_empty() {
                return Err(invalid(groups.0, "group.name: empty"));
            }
            if !shorts.insert(g.short.clone()) {
                return Err(invalid(groups.0, format!("group.short: '{}' used twice", g.short)));
            }
            let mut keys: Vec<String> = std::iter::once(&g.name).chain(g.aliases.iter()).map(|a| match_key(a)).collect();
            keys.retain(|k| !k.is_empty());
            keys.sort();
            keys.dedup();
            out.groups.push(Group { name: g.name, short: g.short, cluster: g.cluster, keys });
        }
        for m in rm.municipality {
            if m.name.trim().is_empty() {
                return Err(invalid(munis.0, "municipality.name: empty"));
            }
            let mut forms = vec![m.name.clone()];
            forms.extend(m.aliases);
            if let Some(f) = forms.iter().find(|f| !f.starts_with(char::is_uppercase)) {
                return Err(invalid(munis.0, format!("municipality '{}': the form '{f}' must begin with a capital letter", m.name)));
            }
            out.municipalities.push(Municipality { name: m.name, forms, only_as_kommune: m.only_as_kommune, region: None });
        }
        for r in rm.region {
            let at = out.regions.len();
            for name in &r.municipalities {
                let Some(m) = out.municipalities.iter_mut().find(|m| &m.name == name) else {
                    return Err(invalid(munis.0, format!("region '{}': unknown municipality '{}'", r.name, name)));
                };
                if m.region.is_some() {
                    return Err(invalid(munis.0, format!("municipality '{name}' is in two regions")));
                }
                m.region = Some(at);
            }
            let mut forms = vec![r.name.clone()];
            forms.extend(r.aliases);
            if let Some(f) = forms.iter().find(|f| !f.starts_with(char::is_uppercase)) {
                return Err(invalid(munis.0, format!("region '{}': the form '{f}' must begin with a capital letter", r.name)));
            }
            out.regions.push(Region { name: r.name, forms });
        }
        for c in rm.cluster {
            for name in &c.municipalities {
                if !out.municipalities.iter().any(|m| &m.name == name) {
                    return Err(invalid(munis.0, format!("cluster '{}': unknown municipality '{}'", c.name, name)));
                }
            }
            out.clusters.push(Cluster { name: c.name, aliases: c.aliases, municipalities: c.municipalities });
        }
        for t in rt.topic {
            if t.terms.is_empty() {
                return Err(invalid(topics.0, format!("topic '{}': no terms", t.slug)));
            }
            out.topics.push(Topic {
                slug: t.slug,
                name: t.name,
                terms: t.terms.iter().map(|s| s.to_lowercase()).collect(),
            });
        }
        for r in rp.rule {
            let path = Regex::new(&r.path).map_err(|e| invalid(paths.unwrap().0, format!("rule.path '{}': {e}", r.path)))?;
            let kind = match r.kind {
                Some(k) => Some(crate::Kind::parse(&k).ok_or_else(|| invalid(paths.unwrap().0, format!("rule.kind: unknown kind '{k}'")))?),
                None => None,
            };
            out.path_rules.push(PathRule { path, group: r.group, kind });
        }
        Ok(out)
    }

    pub fn matchers(&self) -> &Matchers {
        use aho_corasick::{AhoCorasick, MatchKind};
        self.matchers.get_or_init(|| {
            let mut gk = vec![];
            let mut group_of = vec![];
            for (i, g) in self.groups.iter().enumerate() {
                for k in &g.keys {
                    gk.push(k.clone());
                    group_of.push(i);
                }
            }
            let mut pk = vec![];
            let mut place_of = vec![];
            for (i, m) in self.municipalities.iter().enumerate() {
                for f in &m.forms {
                    pk.push(f.clone());
                    place_of.push(Place::Municipality(i));
                }
            }
            for (i, r) in self.regions.iter().enumerate() {
                for f in &r.forms {
                    pk.push(f.clone());
                    place_of.push(Place::Region(i));
                }
            }
            let mut tk = vec![];
            let mut topic_of = vec![];
            for (i, t) in self.topics.iter().enumerate() {
                for term in &t.terms {
                    tk.push(term.clone());
                    topic_of.push((i, term.contains(' '), term.chars().count() >= 6));
                }
            }
            // A few hundred short patterns, run over every item's text: the
            // DFA is the fastest to search and small at this size.
            let build = |pats: &[String], kind: MatchKind| {
                AhoCorasick::builder().match_kind(kind).kind(Some(aho_corasick::AhoCorasickKind::DFA)).build(pats).expect("automaton")
            };
            Matchers {
                groups: build(&gk, MatchKind::Standard),
                group_of,
                // Searched only where a capitalized word begins (every form
                // begins with a capital; checked when the configuration is
                // read), so anchored: a few hundred forms leave aho-corasick
                // no prefilter, and an unanchored search steps through every
                // byte of every item.
                places: AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .start_kind(aho_corasick::StartKind::Anchored)
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .build(&pk)
                    .expect("automaton"),
                place_of,
                topics: build(&tk, MatchKind::Standard),
                topic_of,
            }
        })
    }

    /// The canonical group whose name or alias is `s`.
    pub fn group_by_alias(&self, s: &str) -> Option<&Group> {
        let k = match_key(s);
        if k.is_empty() {
            return None;
        }
        self.groups.iter().find(|g| g.keys.iter().any(|a| *a == k) || match_key(&g.short) == k)
    }

    pub fn group_by_name(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }
}
