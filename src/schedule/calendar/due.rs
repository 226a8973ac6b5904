//! A lab's `due` key: absent, a date with an optional time, or a rule mapping.

use jiff::civil::Date;

use super::front::{error_at, key_error};
use crate::base::diagnostics::{Diagnostics, did_you_mean};
use crate::load::config::{DueRule, DueRuleFile, resolve_due_rule};
use crate::load::content::SourcePage;
use crate::load::term::{parse_date, parse_time};
use crate::load::yaml::Seg;

/// How a lab's due date is given.
pub(super) enum DueSpec {
    Rule(DueRule),
    At(Date, Option<u16>),
}

pub(super) const DUE_HINT: &str = "write e.g. due: 2026-03-02 17:00, due: 2026-03-02, or a rule such as due: { weekday: fri, time: \"17:00\", min_days: 5 }";

/// Reads a lab's `due`: absent (the course rule), a date with an optional time, or a rule.
pub(super) fn due_spec(
    rule: DueRule,
    page: &SourcePage,
    diags: &mut Diagnostics,
) -> Option<DueSpec> {
    use serde_yaml::Value;
    let found = match &page.front.due {
        None => return Some(DueSpec::Rule(rule)),
        Some(Value::String(s)) => match parse_due_at(s) {
            Ok((d, t)) => return Some(DueSpec::At(d, t)),
            Err(msg) => {
                diags.push(key_error(page, "due", msg, DUE_HINT));
                return None;
            }
        },
        Some(Value::Mapping(m)) => return due_rule_map(rule, page, m, diags).map(DueSpec::Rule),
        Some(Value::Null) => "nothing",
        Some(Value::Bool(_)) => "true or false",
        Some(Value::Number(_)) => "a number",
        Some(Value::Sequence(_)) => "a list",
        Some(Value::Tagged(_)) => "a tagged value",
    };
    let msg = format!("`due` must be a date, a date and time, or a rule; found {found}");
    diags.push(key_error(page, "due", msg, DUE_HINT));
    None
}

/// "2026-03-02", "2026-03-02 17:00" or "2026-03-02T17:00".
pub(super) fn parse_due_at(text: &str) -> Result<(Date, Option<u16>), String> {
    let t = text.trim();
    let (d, time) = match t.split_once([' ', 'T']) {
        Some((d, rest)) => (d, Some(rest.trim())),
        None => (t, None),
    };
    let date = parse_date(d).map_err(|msg| {
        if msg.ends_with("is not a real date") {
            msg
        } else {
            format!("due `{t}` is not a date in the form YYYY-MM-DD or YYYY-MM-DD HH:MM")
        }
    })?;
    let time = match time {
        Some(x) => Some(parse_time(x).ok_or_else(|| format!("`{x}` is not a time of day"))?),
        None => None,
    };
    Ok((date, time))
}

/// The keys of a due rule mapping.
const KEYS: &[&str] = &["weekday", "time", "min_days"];

/// A rule mapping `{weekday, time, min_days}`, missing keys taken from the course rule.
pub(super) fn due_rule_map(
    rule: DueRule,
    page: &SourcePage,
    map: &serde_yaml::Mapping,
    diags: &mut Diagnostics,
) -> Option<DueRule> {
    let mut file = DueRuleFile::default();
    let mut ok = true;
    let mut fail = |key: &str, msg: String, hint: String| {
        diags.push(error_at(page, &[Seg::Key("due"), Seg::Key(key)], msg, hint));
        ok = false;
    };
    for (k, v) in map {
        read_rule_key(&mut file, k, v, &mut fail);
    }
    if !ok {
        return None;
    }
    resolve_due_rule(Some(&file), rule)
        .map_err(|(key, msg, hint)| {
            diags.push(error_at(page, &[Seg::Key("due"), Seg::Key(key)], msg, hint));
        })
        .ok()
}

/// Reads one key of a due rule mapping into `file`; `fail(key, message, hint)` reports a key
/// that is not a name, unknown, or of the wrong type.
fn read_rule_key(
    file: &mut DueRuleFile,
    k: &serde_yaml::Value,
    v: &serde_yaml::Value,
    fail: &mut impl FnMut(&str, String, String),
) {
    let Some(key) = k.as_str() else {
        fail(
            "",
            "the due rule has a key that is not a name".into(),
            did_you_mean("", KEYS),
        );
        return;
    };
    match key {
        "weekday" => match v.as_str() {
            Some(s) => file.weekday = Some(s.to_string()),
            None => fail(
                key,
                "`weekday` must be a day name".into(),
                "write e.g. weekday: fri".into(),
            ),
        },
        "time" => match v.as_str() {
            Some(s) => file.time = Some(s.to_string()),
            None => fail(
                key,
                "`time` must be a time of day".into(),
                "write 24-hour time in quotes, e.g. time: \"17:00\"".into(),
            ),
        },
        "min_days" => match v.as_i64() {
            Some(d) => file.min_days = Some(d),
            None => fail(
                key,
                "`min_days` must be a whole number of days".into(),
                "write e.g. min_days: 7".into(),
            ),
        },
        other => fail(
            other,
            format!("unknown key `{other}` in the due rule"),
            did_you_mean(other, KEYS),
        ),
    }
}
