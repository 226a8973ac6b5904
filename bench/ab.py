#!/usr/bin/env python3
"""Compares two or more semester binaries on one benchmark course, alternating (stdlib only).

    python3 bench/ab.py target/bench-corpora/varied-medium/semester OLD NEW [--runs 9] [--search]

Each round runs every binary once (a cold build: output folder and SEMESTER_CACHE_DIR emptied
before each run, neither timed), in reversed order every other round, after one warm-up round.
Prints per binary the median and minimum of CPU time (user + system, from wait4) and of wall
time, the peak RSS (max over the runs), and each run's CPU. Builds run with --no-search unless
--search is given. Use it for a before/after of one change on this shared machine: CPU time is
the figure least moved by other load (see bench/README.md).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(binary, course, out, cache, search, as_of):
    """One cold build; returns (cpu seconds, wall seconds, peak RSS in MB)."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    cmd = [binary, "build", "--root", course, "--out", out, "--as-of", as_of]
    if not search:
        cmd.append("--no-search")
    env = dict(os.environ, SEMESTER_CACHE_DIR=cache)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if status != 0:
        sys.exit(f"{binary} failed (status {status}):\n{err}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("course", help="a semester course folder, e.g. <corpora>/varied-medium/semester")
    ap.add_argument("binaries", nargs="+", help="semester binaries to compare")
    ap.add_argument("--runs", type=int, default=9, help="measured rounds (default 9)")
    ap.add_argument("--search", action="store_true", help="build the search index too")
    ap.add_argument("--as-of", default="2026-06-01", help="semester --as-of (default 2026-06-01)")
    args = ap.parse_args()
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    work = tempfile.mkdtemp(prefix="semester-ab-", dir=base)
    out, cache = os.path.join(work, "out"), os.path.join(work, "cache")
    seen = {b: [] for b in args.binaries}
    try:
        for r in range(args.runs + 1):
            order = args.binaries if r % 2 == 0 else args.binaries[::-1]
            for b in order:
                m = run_once(b, args.course, out, cache, args.search, args.as_of)
                if r > 0:
                    seen[b].append(m)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    first = statistics.median(c for c, _, _ in seen[args.binaries[0]])
    for b, ms in seen.items():
        cpu = [c for c, _, _ in ms]
        wall = [w for _, w, _ in ms]
        med = statistics.median(cpu)
        print(
            f"{b}: CPU median {med:.3f} s (min {min(cpu):.3f}, {med / first:.3f}x the first), "
            f"wall median {statistics.median(wall):.3f} s (min {min(wall):.3f}), "
            f"peak {max(r for _, _, r in ms):.0f} MB; CPU per run "
            + " ".join(f"{c:.3f}" for c in cpu)
        )


if __name__ == "__main__":
    main()
