use super::*;

fn placeholders(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_string()))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn texts(m: &Message) -> Vec<&str> {
    match m {
        Message::Text(t) => vec![t.as_str()],
        Message::Plural(forms) => forms.values().map(String::as_str).collect(),
    }
}

// Every built-in table reads, has exactly the English keys, a counting message where English
// counts (with `other`, and only CLDR's category names), and the same {placeholders}.
#[test]
fn every_table_has_every_key_and_placeholder() {
    let english = built_in_table(BUILT_IN[0].1);
    assert!(english.len() > 100, "{}", english.len());
    for (tag, text) in BUILT_IN {
        let table: Table = serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{tag}: {e}"));
        let keys: Vec<&String> = table.keys().collect();
        assert_eq!(keys, english.keys().collect::<Vec<_>>(), "{tag}");
        for (key, en) in &english {
            let m = &table[key];
            assert_eq!(
                matches!(m, Message::Plural(_)),
                matches!(en, Message::Plural(_)),
                "{tag} {key}"
            );
            if let Message::Plural(forms) = m {
                assert!(forms.contains_key("other"), "{tag} {key}");
                for cat in forms.keys() {
                    let known = ["zero", "one", "two", "few", "many", "other"];
                    assert!(known.contains(&cat.as_str()), "{tag} {key} {cat}");
                }
            }
            let want = placeholders(texts(en)[0]);
            for t in texts(m) {
                let got = placeholders(t);
                assert!(got.iter().all(|p| want.contains(p)), "{tag} {key}: {t}");
                assert!(!t.trim().is_empty(), "{tag} {key}");
            }
        }
    }
}

// Counts take the language's plural form (CLDR cardinal rules through icu_plurals).
#[test]
fn plurals_follow_each_language() {
    let cases = [
        ("en", 1, "in 1 day"),
        ("en", 3, "in 3 days"),
        ("de", 1, "in 1 Tag"),
        ("de", 2, "in 2 Tagen"),
        ("fr", 0, "dans 0 jour"),
        ("fr", 2, "dans 2 jours"),
        ("ar", 1, "بعد يوم واحد"),
        ("ar", 2, "بعد يومين"),
        ("ar", 3, "بعد 3 أيام"),
        ("ar", 11, "بعد 11 يومًا"),
        ("ar", 100, "بعد 100 يوم"),
        ("he", 2, "בעוד יומיים"),
        ("he", 5, "בעוד 5 ימים"),
        ("ja", 1, "1 日後"),
        ("tr", 3, "3 gün sonra"),
    ];
    for (lang, n, want) in cases {
        let i = I18n::new(lang, Table::new(), None);
        assert_eq!(i.n("in_days", n), want, "{lang} {n}");
    }
}

// A course's own message wins; a key no table of its language has falls back to English,
// marked lang="en" in HTML; markup only passes through `_html` keys.
#[test]
fn overrides_and_fallback() {
    let mut own = Table::new();
    own.insert("search".into(), Message::Text("Sök <här>".into()));
    let sv = I18n::new("sv", own, None);
    assert_eq!(sv.html("search", None, &[]), "Sök &lt;här&gt;");
    assert_eq!(sv.html("next", None, &[]), "<span lang=\"en\">Next</span>");
    assert_eq!(sv.f("week_n", &[]), "Week {n}");
    let de = I18n::new("de-AT", Table::new(), None);
    assert_eq!(de.html("next", None, &[]), "Weiter");
    assert_eq!(
        de.f("all_times", &[("zone", "Europe/Vienna")]),
        "Alle Zeiten in der Zeitzone Europe/Vienna."
    );
    let en = I18n::new("en-GB", Table::new(), None);
    assert_eq!(en.html("next", None, &[]), "Next");
    assert_eq!(en.html("nope", None, &[]), "nope");
}

#[test]
fn tags_find_their_table() {
    let cases = [
        ("pt-BR", Some("pt")),
        ("zh", Some("zh-Hans")),
        ("zh-CN", Some("zh-Hans")),
        ("zh-Hans-SG", Some("zh-Hans")),
        ("zh-TW", None),
        ("zh-Hant", None),
        ("iw", Some("he")),
        ("EN_us", Some("en")),
        ("sv", None),
    ];
    for (tag, want) in cases {
        assert_eq!(built_in_for(tag).map(|(t, _)| t), want, "{tag}");
    }
    assert!(I18n::new("ar-EG", Table::new(), None).rtl());
    assert!(I18n::new("he", Table::new(), None).rtl());
    assert!(!I18n::new("de", Table::new(), None).rtl());
}

// Dates as CLDR writes them (hand-written from CLDR's medium patterns): Monday 2 February
// 2026 and 23:59 in each built-in language.
#[test]
fn dates_as_cldr_writes_them() {
    let d = jiff::civil::date(2026, 2, 2);
    let cases: [(&str, &str, &str, &str); 14] = [
        ("en", "Mon, Feb 2", "Mon, Feb 2, 2026", "11:59\u{202f}PM"),
        ("de", "Mo., 2. Feb.", "Mo., 02.02.2026", "23:59"),
        ("fr", "lun. 2 févr.", "lun. 2 févr. 2026", "23:59"),
        ("es", "lun, 2 feb", "lun, 2 feb 2026", "23:59"),
        ("it", "lun 2 feb", "lun 2 feb 2026", "23:59"),
        ("pt", "seg., 2 de fev.", "seg., 2 de fev. de 2026", "23:59"),
        ("nl", "ma 2 feb", "ma 2 feb 2026", "23:59"),
        ("tr", "2 Şub Pzt", "2 Şub 2026 Pzt", "23:59"),
        ("zh-Hans", "2月2日周一", "2026年2月2日周一", "23:59"),
        ("ja", "2月2日(月)", "2026/02/02(月)", "23:59"),
        // ICU4X's year-month-day-weekday medium skeleton for Korean (CLDR yMEd family).
        ("ko", "2월 2일 (월)", "2026/2/2 월", "오후 11:59"),
        ("hi", "सोम, 2 फ़र॰", "सोम, 2 फ़र॰ 2026", "11:59 pm"),
        // CLDR writes Arabic (ar, no region) with Latin digits since v42.
        ("ar", "الاثنين، 2 فبراير", "الاثنين، 02‏/02‏/2026", "11:59 م"),
        ("he", "יום ב׳, 2 בפבר׳", "יום ב׳, 2 בפבר׳ 2026", "23:59"),
    ];
    let mut wrong = Vec::new();
    for (lang, short, long, time) in cases {
        let dates = dates::Dates::new(lang, None);
        let got = (dates.date(d), dates.long_date(d), dates.time(23 * 60 + 59));
        if got != (short.to_string(), long.to_string(), time.to_string()) {
            wrong.push(format!("{lang}: {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    // course.yaml's time_format overrides the language's clock.
    assert_eq!(
        dates::Dates::new("de", Some(true)).time(13 * 60 + 30),
        "1:30\u{202f}PM"
    );
    assert_eq!(
        dates::Dates::new("en", Some(false)).time(13 * 60 + 30),
        "13:30"
    );
}

// A control whose accessible name is one message and whose visible text another must show
// the words of its name (WCAG 2.5.3, axe's label-content-name-mismatch): "Copy code" / "Copy".
#[test]
fn accessible_names_contain_the_visible_words() {
    for (tag, text) in BUILT_IN {
        let table = built_in_table(text);
        let get = |k: &str| match &table[k] {
            Message::Text(t) => t.to_lowercase(),
            Message::Plural(f) => f["other"].to_lowercase(),
        };
        assert!(get("copy_code").contains(&get("copy")), "{tag}");
    }
}

// The first day of the week is CLDR's for the language's region (the region the tag names,
// or the language's likely one): checked against CLDR's weekData, written out by hand.
#[test]
fn first_day_of_the_week_is_cldrs() {
    use jiff::civil::Weekday::{Monday, Saturday, Sunday};
    let cases = [
        ("en", Sunday),
        ("en-US", Sunday),
        ("en-GB", Monday),
        ("de", Monday),
        ("de-AT", Monday),
        ("fr", Monday),
        ("pt-BR", Sunday),
        ("ar", Saturday),
        ("ar-EG", Saturday),
        ("ar-SA", Sunday),
        ("he", Sunday),
        ("ja", Sunday),
        ("zh-Hans", Monday),
        ("zh-Hant", Sunday),
        ("sv", Monday),
        ("fa", Saturday),
        ("not a tag", Monday),
    ];
    for (tag, want) in cases {
        assert_eq!(dates::first_weekday(tag), want, "{tag}");
    }
    let wed = jiff::civil::date(2026, 9, 9);
    assert_eq!(dates::row_start(wed, Monday), jiff::civil::date(2026, 9, 7));
    assert_eq!(dates::row_start(wed, Sunday), jiff::civil::date(2026, 9, 6));
    assert_eq!(
        dates::row_start(wed, Saturday),
        jiff::civil::date(2026, 9, 5)
    );
    let sat = jiff::civil::date(2026, 9, 5);
    assert_eq!(dates::row_start(sat, Saturday), sat);
    assert_eq!(
        dates::row_start(sat, Monday),
        jiff::civil::date(2026, 8, 31)
    );
}
