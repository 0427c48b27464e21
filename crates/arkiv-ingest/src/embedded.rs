//! The shipped index-config, compiled in so that `arkiv` runs with no files.

pub const GROUPS: &str = include_str!("../../../index-config/groups.toml");
pub const MUNICIPALITIES: &str = include_str!("../../../index-config/municipalities.toml");
pub const TOPICS: &str = include_str!("../../../index-config/topics.toml");
pub const SYNONYMS: &str = include_str!("../../../index-config/synonyms.toml");
