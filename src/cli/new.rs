//! `semester new DIR`: a small course that builds at once, to be edited into a real one.

use std::path::Path;

const COURSE: &str = r#"# The course: every key is explained in docs/format.md of semester.
title: My Course
code: ABC 101
institution: My University
description: One paragraph about the course, shown on the home page and in search results.
timezone: America/New_York
# The site's interface language: labels, dates and times (docs/format.md, `language`).
language: {language}
current_term: spring-2027
# The site's full address (change it): links, the calendar feed and sitemap.xml use it.
base_url: https://example.edu/my-course/
instructors:
  - name: Your Name
    email: you@example.edu
    office: Room 100
    hours: Tuesdays 14:00–15:00 (on the calendar as a meeting of the term)
nav: [syllabus, topics, labs, calendar]
labs:
  due: { weekday: mon, time: "23:59", min_days: 7 }
"#;

const TERM: &str = r#"# One file per term. Change these dates and every date on the site follows.
name: Spring 2027
start: 2027-01-19
end: 2027-05-10
meetings:
  - name: Lecture          # the first meeting carries the topics
    days: [mon, wed]
    start: "10:00"
    end: "11:15"
    location: Room 101
  - name: Office hours
    kind: office-hours
    person: Your Name
    days: [tue]
    start: "14:00"
    end: "15:00"
    location: Room 100
holidays:
  - { date: 2027-02-15, name: Presidents' Day }
  - { from: 2027-03-15, to: 2027-03-21, name: Spring recess }
swaps:                     # a day that follows another weekday's schedule
  - { date: 2027-02-16, follows: mon, name: Monday schedule after Presidents' Day }
events:
  - { date: 2027-03-08, time: "23:59", title: Project proposal due, kind: project }
  - { date: 2027-05-17, time: "10:00", end: "12:00", title: Final exam, kind: exam, location: Room 101 }
sessions:                  # sessions without a topic page; topics skip them, except `kind: open`
  - { session: 14, title: Midterm exam, kind: exam }
  - { from: 3, to: 13, title: To be planned, kind: open }
  - { from: 15, to: 28, title: To be planned, kind: open }
  - { session: 29, title: Review, kind: review }
  - { session: 30, title: Project presentations, kind: project }
"#;

const HOME: &str = "---\ntitle: Welcome\ndescription: Start here.\n---\n\nWelcome to the course. Read the [syllabus](syllabus.md) first, then follow the\n[topics](topics/_index.md) and [labs](labs/_index.md) week by week.\n";

const SYLLABUS: &str = "---\ntitle: Syllabus\ndescription: What the course covers and how it is graded.\n---\n\n## Description\n\nWhat students will learn, and why it matters.\n\n## Meetings\n\nThe class meets {@meetings}, from {@term.start} to {@term.end}. Write to {@instructors} with questions; office hours are on the calendar.\n\n## Grading\n\n| Part | Weight |\n|---|---|\n| Labs | 60% |\n| Project | 40% |\n\n## Late work\n\nEvery lab's due date is on the calendar and on the lab's page.\n";

const TOPICS: &str = "---\ntitle: Topics\ndescription: One page per lecture, in order.\n---\n\nEach topic is scheduled on the next free session of the term.\n";

const TOPIC1: &str = "---\ntitle: Introduction\ndescription: What this course is about.\n---\n\n## Outline\n\n- Why this subject matters\n- How the course runs\n\nThe first lab is [getting started](../labs/01-getting-started.md).\n";

const TOPIC2: &str = "---\ntitle: Foundations\ndescription: The ideas everything else builds on.\n---\n\n## Outline\n\nA little math, $e^{i\\pi} + 1 = 0$, and a little code:\n\n```python\ndef mean(xs):\n    return sum(xs) / len(xs)\n```\n";

const LABS: &str = "---\ntitle: Labs\ndescription: Hands-on work, released with their topic.\n---\n\nLabs are released with their topic's session and due on the first {@labs.due.weekday} at least {@labs.due.min_days} days later, at {@labs.due.time}.\n";

const LAB1: &str = "---\ntitle: \"Lab 1: Getting started\"\ndescription: Set up your tools.\ntopic: 01-introduction\nnotebook: python3\n---\n\n## Set up\n\n```bash\npython3 -m venv .venv && . .venv/bin/activate\n```\n\n## Try it\n\n```python\nprint(\"hello, course\")\n```\n\n> [!TIP]\n> Start early: the due date is not the do date.\n\n## What to submit\n\n- [ ] A screenshot of the output\n";

/// Creates a course folder at `dir` whose interface is English. Refuses a folder that exists
/// and is not empty.
pub fn new_course(dir: &Path) -> Result<(), String> {
    new_course_in(dir, "en")
}

/// Creates a course folder at `dir` whose sample text is English and whose interface (labels,
/// dates) is in `language`, a BCP 47 tag (`semester new --language de`). Refuses a tag that
/// is not one, and a folder that exists and is not empty.
pub fn new_course_in(dir: &Path, language: &str) -> Result<(), String> {
    if let Some((msg, hint)) = crate::base::i18n::check::language_problem(language) {
        return Err(format!("{msg}; {hint}"));
    }
    let course = COURSE.replace("{language}", language);
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !dir.is_dir() || !empty {
            return Err(format!(
                "{} already exists and is not empty; choose a new folder",
                dir.display()
            ));
        }
    }
    let files: [(&str, &str); 10] = [
        ("course.yaml", course.as_str()),
        ("terms/spring-2027.yaml", TERM),
        ("content/_index.md", HOME),
        ("content/syllabus.md", SYLLABUS),
        ("content/topics/_index.md", TOPICS),
        ("content/topics/01-introduction.md", TOPIC1),
        ("content/topics/02-foundations.md", TOPIC2),
        ("content/labs/_index.md", LABS),
        ("content/labs/01-getting-started.md", LAB1),
        (".gitignore", "public/\n"),
    ];
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}
