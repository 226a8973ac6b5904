//! What a build records of course.yaml beside the term it publishes, so that `semester freeze`
//! can tell whether course.yaml still describes that term (SPEC section 7, issue 16): each
//! top-level key's value is kept as a short hash in `versions.json` (never the value itself,
//! which may hold what is not meant to be published).

use std::collections::BTreeMap;
use std::hash::Hasher;

/// The name of the `versions.json` field of the current term that holds the fingerprint (the
/// writer, `site::site_files`, names its field so).
pub const FIELD: &str = "course_yaml";

/// Each top-level key of course.yaml (as `source` writes it) → a hash of its value, 16 hex
/// digits. A course.yaml that does not parse has none.
pub fn fingerprint(source: &str) -> BTreeMap<String, String> {
    let Ok(serde_yaml::Value::Mapping(top)) = serde_yaml::from_str::<serde_yaml::Value>(source)
    else {
        return BTreeMap::new();
    };
    top.iter()
        .filter_map(|(k, v)| {
            let key = k.as_str()?.to_string();
            let text = serde_yaml::to_string(v).ok()?;
            let mut h = siphasher::sip::SipHasher13::new_with_keys(0x636f_7572_7365, 0x7961_6d6c);
            h.write(text.as_bytes());
            Some((key, format!("{:016x}", h.finish())))
        })
        .collect()
}

/// The keys whose value differs between two fingerprints (added and removed keys included),
/// sorted.
pub fn changed_keys(
    published: &BTreeMap<String, String>,
    now: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut keys: Vec<String> = published
        .keys()
        .chain(now.keys())
        .filter(|k| published.get(*k) != now.get(*k))
        .cloned()
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_value_is_named_and_layout_is_not() {
        let before = fingerprint("title: T\ntimezone: America/New_York\nextra: {a: 1}\n");
        let same =
            fingerprint("# a comment\ntitle:   T\nextra:\n  a: 1\ntimezone: America/New_York\n");
        assert_eq!(changed_keys(&before, &same), Vec::<String>::new());
        let after =
            fingerprint("title: T\ntimezone: America/Los_Angeles\ncode: X\nextra: {a: 1}\n");
        assert_eq!(changed_keys(&before, &after), ["code", "timezone"]);
        assert!(fingerprint("- not a map").is_empty());
    }
}
