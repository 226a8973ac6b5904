#!/usr/bin/env python3
"""Scaling benchmark for hostile input (issue 19): each pathological input grown by 10x.

Usage: bench/hostile.py [--bin target/release/semester] [--sizes 3] [--out FILE.md]

For each kind of input (YAML nesting, math nesting, links to missing anchors, term events,
holiday ranges, plus one ~1 MB input of each kind), a fresh course made by `semester new` gets
the input, `semester build` runs on it once, and the wall time and the peak memory (max RSS of
the child, from wait4) are recorded. A build that fails with the expected error is a success
here: what is measured is that the answer comes in time linear in the input.

Prints a Markdown table (and writes it to --out when given). Python 3 standard library only.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def add_to_course_yaml(course, text):
    with open(os.path.join(course, "course.yaml"), "a") as f:
        f.write(text)


def write(course, rel, text):
    path = os.path.join(course, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def term_path(course):
    terms = os.path.join(course, "terms")
    return os.path.join(terms, sorted(os.listdir(terms))[0])


def yaml_depth(course, n):
    """`extra:` in course.yaml nested n levels deep in flow style, all on one line."""
    add_to_course_yaml(course, "extra: " + "{a: " * n + "1" + "}" * n + "\n")


def front_matter_depth(course, n):
    """A page whose front matter nests n block sequences (`- - - …`)."""
    write(course, "content/deep.md", "---\ntitle: Deep\nextra:\n  x:\n  " + "- " * n + "1\n---\nx\n")


def math_depth(course, n):
    """A page with math nested n braces deep."""
    write(course, "content/math.md", "---\ntitle: Math\n---\n$" + "{" * n + "x" + "}" * n + "$\n")


def bad_anchors(course, n):
    """n links to missing headings of a page with n/10 headings."""
    heads = "".join(f"## Part {i}\n\ntext\n\n" for i in range(max(n // 10, 1)))
    write(course, "content/long.md", "---\ntitle: Long\n---\n" + heads)
    links = "".join(f"[l](long.md#prat-{i}-x) " for i in range(n))
    write(course, "content/links.md", "---\ntitle: Links\n---\n" + links + "\n")


def events(course, n):
    """n dated events in the term file."""
    text = open(term_path(course)).read()
    if "events:" not in text:
        text += "events:\n"
    lines = "".join(
        f"  - {{ date: 2027-03-{1 + i % 28:02d}, title: Event {i}, kind: exam }}\n" for i in range(n)
    )
    with open(term_path(course), "w") as f:
        f.write(text.replace("events:\n", "events:\n" + lines, 1))


def holidays(course, n):
    """n holiday ranges (weekends of April, so that no class is lost) in the term file."""
    text = open(term_path(course)).read()
    lines = "".join(
        f"  - {{ from: 2027-04-{3 + 7 * (i % 4):02d}, to: 2027-04-{4 + 7 * (i % 4):02d}, name: H{i} }}\n"
        for i in range(n)
    )
    with open(term_path(course), "w") as f:
        f.write(text.replace("holidays:\n", "holidays:\n" + lines, 1))


def swaps(course, n):
    """n swap days (most listed twice) beside n holiday ranges in the term file."""
    holidays(course, n)
    text = open(term_path(course)).read()
    lines = "".join(
        f"  - {{ date: 2027-04-{1 + i % 28:02d}, follows: mon, name: S{i} }}\n" for i in range(n)
    )
    if "swaps:" not in text:
        text += "swaps:\n"
    text = text.replace("swaps:", "swaps:\n" + lines.rstrip("\n"), 1)
    with open(term_path(course), "w") as f:
        f.write(text)


# (name, generator, first size, bytes per unit roughly, what "n" counts)
KINDS = [
    ("YAML flow nesting (course.yaml)", yaml_depth, 1_000, 5, "levels"),
    ("YAML block nesting (front matter)", front_matter_depth, 1_000, 2, "levels"),
    ("math brace nesting", math_depth, 1_000, 2, "braces"),
    ("links to missing anchors", bad_anchors, 500, 30, "links"),
    ("term events", events, 500, 60, "events"),
    ("holiday ranges", holidays, 500, 55, "ranges"),
    ("swap days beside holiday ranges", swaps, 500, 110, "swaps"),
]


def run_build(binary, course):
    out = os.path.join(course, "public")
    start = time.perf_counter()
    proc = subprocess.Popen(
        [binary, "build", "--root", course, "--out", out, "--as-of", "2027-01-01"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    first = stderr.decode("utf-8", "replace").splitlines()[:1]
    return wall, usage.ru_maxrss / 1024.0, code, (first[0] if first else "")


def measure(binary, gen, n, workdir):
    course = os.path.join(workdir, "course")
    shutil.rmtree(course, ignore_errors=True)
    subprocess.run([binary, "new", course], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    gen(course, n)
    size = sum(
        os.path.getsize(os.path.join(d, f))
        for d, _, files in os.walk(course)
        for f in files
        if "public" not in d
    )
    return (size,) + run_build(binary, course)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(REPO, "target/release/semester"))
    ap.add_argument("--sizes", type=int, default=3, help="sizes per kind, each 10x the last")
    ap.add_argument("--out")
    args = ap.parse_args()
    workdir = tempfile.mkdtemp(prefix="semester-hostile-")
    rows = ["| input | n | course bytes | wall s | max RSS MB | exit | first line of output |", "|---|---:|---:|---:|---:|---:|---|"]
    try:
        for name, gen, first, per_unit, unit in KINDS:
            sizes = [first * 10**i for i in range(args.sizes)]
            # and the size whose input is about 1 MB
            sizes.append(max(1_000_000 // per_unit, 1))
            for n in sizes:
                size, wall, rss, code, line = measure(args.bin, gen, n, workdir)
                row = f"| {name} | {n:,} {unit} | {size:,} | {wall:.2f} | {rss:.0f} | {code} | {line[:90].replace('|', '/')} |"
                rows.append(row)
                print(row, flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.out:
        with open(args.out, "w") as f:
            f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    sys.exit(main())
