#!/usr/bin/env python3
"""Build time with frozen versions (issue 4): the bundled course with 0, 1 and 8 frozen terms.

Usage: python3 bench/versions.py [--runs N] [--course DIR]

Each frozen term is a copy of the course under versions/<id>/ (its own course.yaml, term file
and content), as `semester freeze` makes it. After one build that fills the output, unchanged
versions are reused from it; the script prints the median wall time of the following builds
and the ratio to the build with none.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TERMS = ["fall-2021", "spring-2022", "fall-2022", "spring-2023",
         "fall-2023", "spring-2024", "fall-2024", "spring-2025"]


def freeze_copy(course, term_id):
    """A snapshot of the course as term `term_id` (same pages, renamed term)."""
    current = re.search(r"^current_term:\s*(\S+)", open(os.path.join(course, "course.yaml")).read(), re.M).group(1)
    dest = os.path.join(course, "versions", term_id)
    os.makedirs(os.path.join(dest, "terms"), exist_ok=True)
    shutil.copytree(os.path.join(course, "content"), os.path.join(dest, "content"))
    for extra in ("static", "templates"):
        if os.path.isdir(os.path.join(course, extra)):
            shutil.copytree(os.path.join(course, extra), os.path.join(dest, extra))
    yaml = open(os.path.join(course, "course.yaml")).read()
    open(os.path.join(dest, "course.yaml"), "w").write(
        re.sub(r"^current_term:.*$", f"current_term: {term_id}", yaml, flags=re.M))
    term = open(os.path.join(course, "terms", f"{current}.yaml")).read()
    season, year = term_id.split("-")
    # Move the term back in time by whole years so that versions.json sorts them.
    shift = int(current.split("-")[1]) - int(year)
    term = re.sub(r"(\d{4})-(\d\d)-(\d\d)", lambda m: f"{int(m.group(1)) - shift}-{m.group(2)}-{m.group(3)}", term)
    term = re.sub(r"^name:.*$", f"name: {season.title()} {year}", term, flags=re.M)
    open(os.path.join(dest, "terms", f"{term_id}.yaml"), "w").write(term)


def timed_builds(binary, course, out, runs):
    times = []
    for _ in range(runs + 1):  # the first fills the output (and the page cache): not counted
        t = time.perf_counter()
        subprocess.run([binary, "build", "--root", course, "--out", out], check=True,
                       stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return times[0], statistics.median(times[1:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--course", default=REPO)
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
    binary = os.path.join(REPO, "target", "release", "semester")
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    results = []
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        course = os.path.join(tmp, "course")
        os.makedirs(course)
        for part in ("course.yaml", "terms", "content", "static", "templates", "themes"):
            src = os.path.join(args.course, part)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(course, part))
            elif os.path.isfile(src):
                shutil.copy(src, os.path.join(course, part))
        frozen = 0
        for n in (0, 1, 8):
            while frozen < n:
                freeze_copy(course, TERMS[frozen])
                frozen += 1
            out = os.path.join(tmp, f"out-{n}")
            first, median = timed_builds(binary, course, out, args.runs)
            results.append((n, first, median))
            print(f"{n} frozen versions: first build {first * 1000:.0f} ms, "
                  f"then median {median * 1000:.0f} ms over {args.runs} builds", flush=True)
    none = results[0][2]
    for n, _, median in results[1:]:
        print(f"ratio with {n} frozen / none: {median / none:.2f}")


if __name__ == "__main__":
    sys.exit(main())
