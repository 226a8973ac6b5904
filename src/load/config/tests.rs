//! course.yaml's unit tests: names, URLs, due rules, language tags, clocks.

use super::*;

#[test]
fn theme_names_are_plain_folder_names() {
    for ok in ["default", "campus", "dark_2", "My-Theme"] {
        assert!(is_theme_name(ok), "{ok}");
    }
    for bad in [
        "", "../x", "/abs", "a/b", "..", ".", "-x", "a b", "~/t", "C:\\t",
    ] {
        assert!(!is_theme_name(bad), "{bad}");
    }
}

#[test]
fn base_url_keeps_its_path_prefix() {
    assert_eq!(normalize_base_url("/").unwrap(), ("/".into(), "/".into()));
    assert_eq!(
        normalize_base_url("https://example.edu/mlops").unwrap(),
        ("https://example.edu/mlops/".into(), "/mlops/".into())
    );
    assert_eq!(normalize_base_url("https://example.edu").unwrap().1, "/");
    assert!(normalize_base_url("example.edu/x").is_err());
    assert!(normalize_base_url("https:///x").is_err());
}

#[test]
fn due_rule_fills_missing_keys_from_the_course() {
    let rule = DueRuleFile {
        weekday: Some("fri".into()),
        time: None,
        min_days: None,
    };
    let r = resolve_due_rule(Some(&rule), DueRule::default()).unwrap();
    assert_eq!(
        (r.weekday, r.time, r.min_days),
        (Weekday::Fri, 23 * 60 + 59, 7)
    );
    let bad = DueRuleFile {
        weekday: Some("fridy".into()),
        ..Default::default()
    };
    let err = resolve_due_rule(Some(&bad), DueRule::default()).unwrap_err();
    assert_eq!(err.2, "did you mean `fri`?");
}

#[test]
fn language_tags() {
    assert!(is_language_tag("en"));
    assert!(is_language_tag("pt-BR"));
    assert!(!is_language_tag("english!"));
    assert!(!is_language_tag(""));
}

/// `time_format` wins; otherwise English (US and the like) reads 12-hour, the rest 24-hour.
#[test]
fn clock_follows_the_language() {
    let cases = [
        (None, "en", Clock::H12),
        (None, "en-US", Clock::H12),
        (None, "en-GB", Clock::H24),
        (None, "fr", Clock::H24),
        (None, "de-DE", Clock::H24),
        (Some("24h"), "en", Clock::H24),
        (Some("12h"), "fr", Clock::H12),
    ];
    for (written, lang, want) in cases {
        assert_eq!(Clock::of(written, lang), Ok(want), "{written:?} {lang}");
    }
    assert!(Clock::of(Some("24"), "en").is_err());
    assert_eq!(Clock::H24.time(23 * 60 + 59), "23:59");
    assert_eq!(Clock::H12.time(23 * 60 + 59), "11:59\u{a0}PM");
    assert_eq!(Clock::H12.time(0), "12:00\u{a0}AM");
    assert_eq!(Clock::H12.span(660, 810), "11:00\u{a0}AM–1:30\u{a0}PM");
}
