#!/usr/bin/env python3
"""Rebuilds with the build cache (issue 12): no-change, one-page edit and cold builds.

Usage: python3 bench/cache.py NEW [--main OLD] [--corpus DIR] [--runs N] [--only WHAT,...]

NEW and OLD are semester binaries (copy them first, so that a rebuild by someone else cannot
swap them mid-run). DIR is a generated corpus (gen_corpus.py output, its `semester/` course;
default target/bench-corpora/varied-large). The course is copied to a temporary folder on
/dev/shm (edits never touch DIR); outputs and caches go there too. Every measurement is CPU
time (user + system, from wait4's rusage) and wall time of one process; runs alternate between
the two things compared, the order reversed every other round. Prints one Markdown table.

- cold:     NEW vs OLD, output folder and cache emptied before each run.
- nochange: NEW building again into its own unchanged output vs `cp -r` of that output.
- edit:     a line appended to one topic page, then NEW (and OLD, each on its own copy of the
            course) build into their previous output with their caches.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AS_OF = "2026-06-01"


def run(cmd, env=None):
    """Runs cmd; returns (wall s, cpu s). Fails loudly on a non-zero exit."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode("utf-8", "replace")
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, ru.ru_utime + ru.ru_stime


def build(binary, course, out, cache):
    env = dict(os.environ, SEMESTER_CACHE_DIR=cache)
    return run([binary, "build", "--root", course, "--out", out, "--as-of", AS_OF], env)


def clear(*paths):
    for p in paths:
        shutil.rmtree(p, ignore_errors=True)


def alternate(runs, a, b):
    """Runs a() and b() `runs` times each, alternating; returns their lists of results."""
    ra, rb = [], []
    for i in range(runs):
        if i % 2 == 0:
            ra.append(a())
            rb.append(b())
        else:
            rb.append(b())
            ra.append(a())
    return ra, rb


def med(results, i):
    return statistics.median(r[i] for r in results)


def row(what, ra, rb, na, nb):
    wa, wb, ca, cb = med(ra, 0), med(rb, 0), med(ra, 1), med(rb, 1)
    return (f"| {what} | {na} {wa:.3f} s wall, {ca:.3f} s CPU | {nb} {wb:.3f} s wall, "
            f"{cb:.3f} s CPU | {wa / wb:.2f}× | {ca / cb:.2f}× |")


def topic_page(course):
    topics = os.path.join(course, "content", "topics")
    pages = sorted(f for f in os.listdir(topics) if f.endswith(".md") and f != "_index.md")
    return os.path.join(topics, pages[len(pages) // 2])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("new")
    ap.add_argument("--main")
    ap.add_argument("--corpus", default=os.path.join(REPO, "target/bench-corpora/varied-large"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="cold,nochange,edit")
    a = ap.parse_args()
    only = a.only.split(",")
    base = tempfile.mkdtemp(prefix="semester-cache-bench-",
                            dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None)
    try:
        rows = measure(a, only, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"corpus {os.path.basename(a.corpus)}, {a.runs} runs each, medians\n")
    print("| what | A | B | A/B wall | A/B CPU |\n|---|---|---|---:|---:|")
    print("\n".join(rows))


def measure(a, only, base):
    courses = {}
    for name in ("new", "main"):
        courses[name] = os.path.join(base, name, "course")
        shutil.copytree(os.path.join(a.corpus, "semester"), courses[name])
    out = {n: os.path.join(base, n, "out", "public") for n in courses}
    cache = {n: os.path.join(base, n, "cache") for n in courses}
    rows = []
    if "cold" in only and a.main:
        def cold(name, binary):
            clear(out[name], cache[name])
            return build(binary, courses[name], out[name], cache[name])
        rn, rm = alternate(a.runs, lambda: cold("new", a.new), lambda: cold("main", a.main))
        rows.append(row("cold build", rn, rm, "new", "main"))
    if "nochange" in only:
        build(a.new, courses["new"], out["new"], cache["new"])
        build(a.new, courses["new"], out["new"], cache["new"])
        copy = os.path.join(base, "copy")

        def cp():
            clear(copy)
            return run(["cp", "-r", out["new"], copy])
        rn, rc = alternate(a.runs, lambda: build(a.new, courses["new"], out["new"], cache["new"]), cp)
        rows.append(row("no-change build into the same output vs cp -r of it", rn, rc, "build", "cp -r"))
    if "edit" in only:
        def edit(name, binary):
            with open(topic_page(courses[name]), "a") as f:
                f.write(f"\nAn edit at {time.time_ns()}.\n")
            return build(binary, courses[name], out[name], cache[name])
        build(a.new, courses["new"], out["new"], cache["new"])
        if a.main:
            build(a.main, courses["main"], out["main"], cache["main"])
            rn, rm = alternate(a.runs, lambda: edit("new", a.new), lambda: edit("main", a.main))
            rows.append(row("one-page edit, then build", rn, rm, "new", "main"))
        else:
            rn = [edit("new", a.new) for _ in range(a.runs)]
            rows.append(f"| one-page edit, then build | new {med(rn, 0):.3f} s wall, "
                        f"{med(rn, 1):.3f} s CPU | | | |")
    return rows


if __name__ == "__main__":
    main()
