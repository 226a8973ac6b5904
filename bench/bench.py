#!/usr/bin/env python3
"""Times semester against Hugo and Zola on the synthetic course corpora (stdlib only).

Usually run through bench/run.sh, which builds semester, generates the corpora
and finds Hugo (and Zola, if on PATH). Direct use:

    python3 bench/bench.py --semester target/release/semester --hugo PATH [--zola PATH] \
        --corpora target/bench-corpora [--corpus varied|repetitive ...] [--runs N] \
        [--no-nohl] [--json FILE] small medium

C is <corpora>/<corpus>-<size>: "varied" is gen_corpus.py's default (--unique-code 0.7,
about 18 % of code lines repeat), "repetitive" its older corpus (--unique-code 0, 82 %).
Every table names the corpus.

For every size it runs, alternating the tools (and their order) in each round,
one warm-up round and then N measured rounds (default 5, 3 on large):

    semester       semester build --root C/semester --out T --as-of AS_OF
    semester-nosearch  the same without the search index (Hugo builds none)
    semester-nohl  C/semester-nohl, without search: a copy whose code fences say `text`
                   (made by this script; semester has no switch to turn highlighting off)
    hugo           hugo --source C/hugo --destination T --quiet
    hugo-nohl      the same with --config hugo-nohl.toml (code highlighting off)
    zola           zola --root C/zola build --output-dir T --force (when --zola is given or on PATH)
    zola-nohl      the same with --config config-nohl.toml
    copy           cp -r C/semester T   (baseline: copying the course folder)

Each command writes into a fresh empty directory on tmpfs (/dev/shm when present);
removing it is not timed. Per run it records wall time (time.perf_counter around
spawn and reap), user+sys CPU time of that child (os.wait4's rusage) and its peak
RSS (GNU time's %M when /usr/bin/time is GNU time, else os.wait4's ru_maxrss).
Then semester runs once more with --verbose and its stage times are printed.
Highlighting's CPU per code line is each tool's CPU minus its CPU with highlighting
off, over the code lines of the corpus's highlighted fences.
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SIZES = {"small": 12, "medium": 200, "large": 2500}
DEFAULT_RUNS = {"small": 5, "medium": 5, "large": 3}
# gen_corpus.py's --unique-code for each corpus: "varied" is its default (about 18 % of code
# lines repeat an earlier one, close to a real course); "repetitive" the older corpus (82 %).
CORPORA = {"varied": "0.7", "repetitive": "0"}
# Fence languages shown plain by every tool (not counted as highlighted lines).
PLAIN = {"", "text", "txt", "plain", "plaintext", "output", "none", "math"}


def rss_kib(ru):
    # ru_maxrss is KiB on Linux, bytes on macOS.
    return ru.ru_maxrss / 1024 if sys.platform == "darwin" else ru.ru_maxrss


def gnu_time():
    """/usr/bin/time if it is GNU time (its -f %M gives the child's own peak RSS)."""
    path = shutil.which("time", path="/usr/bin:/bin:/usr/local/bin")
    if not path:
        return None
    try:
        r = subprocess.run([path, "-f", "%M", "true"], capture_output=True, text=True, timeout=10)
        int(r.stderr.strip().splitlines()[-1])
        return path
    except (OSError, ValueError, IndexError, subprocess.SubprocessError):
        return None


GNU_TIME = None  # set in main()
# semester's build cache goes to a folder of the benchmark's own, never the user's.
os.environ["SEMESTER_CACHE_DIR"] = tempfile.mkdtemp(prefix="semester-bench-cache-")


def run_once(cmd, out_dir, cwd=None):
    """Runs cmd once into a fresh out_dir; returns a dict of measurements.

    Wall time: perf_counter around spawn and reap. CPU time: the rusage os.wait4
    returns for the child (with GNU time in between, that includes GNU time's own
    negligible CPU). Peak RSS: GNU time's %M when available; otherwise the child's
    ru_maxrss, which on Linux never reads below this Python process's own RSS
    (about 14 MB), because the child starts as a copy of it.
    """
    shutil.rmtree(out_dir, ignore_errors=True)
    # semester keeps highlighted code in its cache folder for the next build; every run here is
    # a cold build, so the folder (SEMESTER_CACHE_DIR, set in main) is emptied too.
    shutil.rmtree(os.environ["SEMESTER_CACHE_DIR"], ignore_errors=True)
    if cmd[0] != "cp":
        os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe, \
            tempfile.NamedTemporaryFile("r", suffix=".rss") as frss:
        full = [GNU_TIME, "-f", "%M", "-o", frss.name] + cmd if GNU_TIME else cmd
        t0 = time.perf_counter()
        p = subprocess.Popen(full, cwd=cwd, stdin=subprocess.DEVNULL, stdout=fo, stderr=fe)
        # wait4 reaps this child and returns the rusage of that child (and the
        # descendants it reaped) alone.
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        fo.seek(0)
        fe.seek(0)
        out, err = fo.read(), fe.read()
        rss = rss_kib(ru)
        if GNU_TIME:
            try:
                rss = int(frss.read().strip().splitlines()[-1])
            except (ValueError, IndexError):
                pass
    html = sum(1 for _r, _d, fs in os.walk(out_dir) for f in fs if f.endswith(".html"))
    return {
        "wall": wall,
        "cpu": ru.ru_utime + ru.ru_stime,
        "user": ru.ru_utime,
        "sys": ru.ru_stime,
        "rss_kib": rss,
        "rc": p.returncode,
        "stdout": out.decode("utf-8", "replace"),
        "stderr": err.decode("utf-8", "replace"),
        "html": html,
    }


def tmp_root():
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    return tempfile.mkdtemp(prefix="semester-bench-", dir=base)


def commands(tool, corpus, out, a):
    semester, hugo, zola, as_of = a.semester, a.hugo, a.zola, a.as_of
    if tool == "semester":
        return [semester, "build", "--root", os.path.join(corpus, "semester"), "--out", out, "--as-of", as_of]
    if tool == "semester-nosearch":
        return [semester, "build", "--root", os.path.join(corpus, "semester"), "--out", out, "--as-of", as_of,
                "--no-search"]
    if tool == "semester-nohl":
        return [semester, "build", "--root", os.path.join(corpus, "semester-nohl"), "--out", out, "--as-of", as_of,
                "--no-search"]
    if tool == "hugo":
        return [hugo, "--source", os.path.join(corpus, "hugo"), "--destination", out, "--quiet"]
    if tool == "hugo-nohl":
        return [hugo, "--source", os.path.join(corpus, "hugo"), "--destination", out, "--quiet",
                "--config", "hugo-nohl.toml"]
    if tool in ("zola", "zola-nohl"):
        config = ["--config", "config-nohl.toml"] if tool == "zola-nohl" else []
        return [zola, "--root", os.path.join(corpus, "zola")] + config + ["build", "--output-dir", out, "--force"]
    if tool == "copy":
        return ["cp", "-r", os.path.join(corpus, "semester"), out]
    raise ValueError(tool)


FENCE_OPEN = re.compile(r"^\s*(```+|~~~+)\s*([A-Za-z][\w+#.-]*)?")


def code_lines(corpus):
    """(code lines in highlighted fences, how many of them repeat an earlier line) over the
    pages of C/content: what every tool highlights (its µs per line is measured per these)."""
    total, seen, repeats = 0, set(), 0
    for d, _dirs, files in os.walk(os.path.join(corpus, "content")):
        for f in sorted(files):
            if not f.endswith(".md"):
                continue
            with open(os.path.join(d, f), encoding="utf-8") as fh:
                fence, lang = None, ""
                for line in fh:
                    m = FENCE_OPEN.match(line)
                    if fence is None and m:
                        fence, lang = m.group(1), (m.group(2) or "").lower()
                    elif fence is not None and line.strip().startswith(fence):
                        fence = None
                    elif fence is not None and lang not in PLAIN:
                        total += 1
                        repeats += line in seen
                        seen.add(line)
    return total, repeats


FENCE = re.compile(r"^(\s*(?:```|~~~))[A-Za-z][\w+#.-]*", re.M)


def prepare_nohl(corpus):
    """C/semester-nohl: C/semester with every fenced block's language set to `text`,
    which semester shows plain, so this variant measures the build without highlighting
    (semester has no switch for it). Rebuilt when semester/course.yaml is newer."""
    src, dst = os.path.join(corpus, "semester"), os.path.join(corpus, "semester-nohl")
    stamp = os.path.join(dst, "course.yaml")
    if os.path.exists(stamp) and os.path.getmtime(stamp) >= os.path.getmtime(os.path.join(src, "course.yaml")):
        return
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    for d, _dirs, files in os.walk(os.path.join(dst, "content")):
        for f in files:
            if f.endswith(".md"):
                path = os.path.join(d, f)
                with open(path, encoding="utf-8", newline="") as fh:
                    text = fh.read()
                new = FENCE.sub(r"\1text", text)
                if new != text:
                    with open(path, "w", encoding="utf-8", newline="") as fh:
                        fh.write(new)
    os.utime(stamp)


def machine():
    info = {"nproc": os.cpu_count(), "cpu": platform.processor() or "?", "ram": "?"}
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as fh:
            kib = int(fh.readline().split()[1])
            info["ram"] = "%.1f GiB" % (kib / 1024 / 1024)
    except OSError:
        pass
    try:
        info["nproc"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    return info


def git_commit(repo):
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo,
                               capture_output=True, text=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "?"


def tool_version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        return "?"


def fmt_s(x):
    return "—" if x is None else ("%.3f" % x if x < 10 else "%.2f" % x)


def fmt_mb(kib):
    return "—" if kib is None else "%.0f" % (kib / 1024)


def fmt_ratio(a, b):
    return "—" if a is None or not b else "%.2f×" % (a / b)


def summarize(runs):
    ok = [r for r in runs if r["rc"] == 0]
    if not ok:
        return None
    return {
        "n": len(ok),
        "wall": statistics.median(r["wall"] for r in ok),
        "wall_min": min(r["wall"] for r in ok),
        "wall_max": max(r["wall"] for r in ok),
        "cpu": statistics.median(r["cpu"] for r in ok),
        "rss_kib": max(r["rss_kib"] for r in ok),
        "html": ok[-1]["html"],
    }


def bench_size(kind, size, a, tools, out_root):
    corpus = os.path.join(a.corpora, "%s-%s" % (kind, size))
    runs_n = a.runs or DEFAULT_RUNS[size]
    lines, repeats = code_lines(corpus)
    results = {t: [] for t in tools}
    failures = {}
    if "semester-nohl" in tools:
        prepare_nohl(corpus)
    print("\n== %s corpus, %s (%d topics / %d labs; %d highlighted code lines, %.0f %% repeats):"
          " 1 warm-up + %d runs, alternating %s"
          % (kind, size, SIZES[size], SIZES[size], lines, 100.0 * repeats / max(lines, 1), runs_n,
             ", ".join(tools)), flush=True)
    for rnd in range(runs_n + 1):
        order = tools if rnd % 2 == 0 else list(reversed(tools))
        for tool in order:
            if tool in failures:
                continue
            out = os.path.join(out_root, tool)
            r = run_once(commands(tool, corpus, out, a), out)
            if r["rc"] != 0:
                failures[tool] = r
                print("  %s FAILED (exit %s):\n%s%s" % (tool, r["rc"], r["stdout"], r["stderr"]), flush=True)
                continue
            if rnd > 0:
                results[tool].append(r)
            print("  %-9s %s %7.3f s wall %7.3f s cpu %6.0f MB %5d html"
                  % (tool, "warm-up" if rnd == 0 else "run %-3d" % rnd, r["wall"], r["cpu"],
                     r["rss_kib"] / 1024, r["html"]), flush=True)
    summary = {t: summarize(results[t]) for t in tools}

    stages = []
    if "semester" not in failures:
        out = os.path.join(out_root, "semester-verbose")
        r = run_once(commands("semester", corpus, out, a) + ["--verbose"], out)
        stages = [l for l in r["stderr"].splitlines() if l.strip()]
    for t in tools:
        shutil.rmtree(os.path.join(out_root, t), ignore_errors=True)
    shutil.rmtree(os.path.join(out_root, "semester-verbose"), ignore_errors=True)

    print("\n  %-10s %10s %10s %10s %8s %10s" % ("tool", "wall(med)", "cpu(med)", "peak MB", "html", "wall range"))
    for t in tools:
        s = summary[t]
        if s is None:
            print("  %-10s FAILED" % t)
            continue
        print("  %-10s %10s %10s %10s %8d %5s–%s" % (t, fmt_s(s["wall"]), fmt_s(s["cpu"]), fmt_mb(s["rss_kib"]),
                                                  s["html"], fmt_s(s["wall_min"]), fmt_s(s["wall_max"])))
    for line in ratio_lines(summary) + per_line_lines(summary, lines):
        print("  " + line)
    if stages:
        print("  semester --verbose:")
        for l in stages:
            print("    " + l.strip())
    return {"corpus": kind, "size": size, "runs": runs_n, "code_lines": lines, "code_repeats": repeats,
            "summary": summary, "stages": stages,
            "failures": {t: {"rc": f["rc"], "stdout": f["stdout"], "stderr": f["stderr"]} for t, f in failures.items()},
            "raw": {t: [{k: r[k] for k in ("wall", "cpu", "user", "sys", "rss_kib", "html")} for r in results[t]]
                    for t in tools}}


RATIOS = [("semester", "hugo"), ("semester-nosearch", "hugo"), ("semester-nohl", "hugo-nohl"),
          ("semester", "zola"), ("semester-nosearch", "zola"), ("semester-nohl", "zola-nohl"),
          ("semester", "semester-nohl"), ("semester-nohl", "copy")]
# Highlighting's CPU: each tool with highlighting on minus the same tool with it off.
HIGHLIGHTING = [("semester", "semester-nosearch", "semester-nohl"), ("hugo", "hugo", "hugo-nohl"),
                ("zola", "zola", "zola-nohl")]


def per_line(summary, lines):
    """{tool: µs of CPU per highlighted code line}, for the tools measured both ways."""
    out = {}
    for name, on, off in HIGHLIGHTING:
        x, y = summary.get(on), summary.get(off)
        if x and y and lines:
            out[name] = (x["cpu"] - y["cpu"]) / lines * 1e6
    return out


def per_line_lines(summary, lines):
    us = per_line(summary, lines)
    return ["highlighting CPU per code line: " + ", ".join("%s %.1f µs" % kv for kv in us.items())] if us else []


def ratio_lines(summary):
    out = []
    for a, b in RATIOS:
        x, y = summary.get(a), summary.get(b)
        if not (x and y):
            continue
        line = "%s/%s: wall %s (min %s)" % (a, b, fmt_ratio(x["wall"], y["wall"]), fmt_ratio(x["wall_min"], y["wall_min"]))
        if b != "copy":
            line += "  cpu %s  peak memory %s" % (fmt_ratio(x["cpu"], y["cpu"]), fmt_ratio(x["rss_kib"], y["rss_kib"]))
        out.append(line)
    return out


def parse_stages(lines):
    """`  render   592.2 ms` lines -> [(name, "592 ms")]; the `Built ...` line -> ("total", ...)."""
    out = []
    for l in lines:
        l = l.strip()
        m = re.search(r" in (\d+) ms$", l)
        if m and l.startswith("Built"):
            out.append(("total", m.group(1) + " ms"))
            continue
        m = re.match(r"(\S.*?)\s+([\d.]+) ms$", l)
        if m:
            out.append((m.group(1), m.group(2) + " ms"))
    return out


def stage_names(sizes):
    names = []
    for res in sizes:
        for n, _ in parse_stages(res["stages"]):
            if n not in names:
                names.append(n)
    return names


def markdown(meta, sizes):
    L = []
    L.append("Machine: %s, %s CPUs, %s RAM; %s; semester %s (binary %s); %s; output on %s; peak RSS via %s."
             % (meta["machine"]["cpu"], meta["machine"]["nproc"], meta["machine"]["ram"], meta["date"],
                meta["commit"], meta["semester_binary"], meta["hugo_version"], meta["tmp"], meta["rss_method"]))
    L.append("Load average (1/5/15 min) at start %s, at end %s." % (meta["loadavg_start"], meta["loadavg_end"]))
    L.append("")
    L.append("Every build is cold; the tools alternate within each round; medians over the rounds. CPU is"
             " user + system time of the process (os.wait4), the figure least moved by other load.")
    L.append("")
    L.append("| corpus | size | tool | median wall s | min wall s | median CPU s | peak RSS MB | HTML files |")
    L.append("|---|---|---|---:|---:|---:|---:|---:|")
    for res in sizes:
        for t, s in res["summary"].items():
            if s is None:
                L.append("| %s | %s | %s | failed | | | | |" % (res["corpus"], res["size"], t))
                continue
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s |"
                     % (res["corpus"], res["size"], t, fmt_s(s["wall"]), fmt_s(s["wall_min"]), fmt_s(s["cpu"]),
                        fmt_mb(s["rss_kib"]) if t != "copy" else "—", s["html"] if t != "copy" else "—"))
    L.append("")
    L.append("| corpus | size | ratio | wall (median) | wall (min) | CPU | peak RSS |")
    L.append("|---|---|---|---:|---:|---:|---:|")
    for res in sizes:
        sm = res["summary"]
        for a, b in RATIOS:
            x, y = sm.get(a), sm.get(b)
            if x and y:
                L.append("| %s | %s | %s / %s | %s | %s | %s | %s |"
                         % (res["corpus"], res["size"], a, b, fmt_ratio(x["wall"], y["wall"]), fmt_ratio(x["wall_min"], y["wall_min"]),
                            fmt_ratio(x["cpu"], y["cpu"]) if b != "copy" else "",
                            fmt_ratio(x["rss_kib"], y["rss_kib"]) if b != "copy" else ""))
    L.append("")
    L.extend(per_line_table(sizes))
    L.append("")
    L.append("semester --verbose (one run after the timed ones):")
    L.append("")
    L.append("| corpus | size | " + " | ".join(stage_names(sizes)) + " |")
    L.append("|---|---|" + "---:|" * len(stage_names(sizes)))
    for res in sizes:
        st = dict(parse_stages(res["stages"]))
        L.append("| %s | %s | %s |" % (res["corpus"], res["size"], " | ".join(st.get(n, "") for n in stage_names(sizes))))
    return "\n".join(L)


def per_line_table(sizes):
    """Highlighting CPU per code line: (tool on − tool with highlighting off) / code lines."""
    L = ["Highlighting CPU per highlighted code line, µs: (median CPU with highlighting − without) /"
         " code lines in highlighted fences (semester: semester-nosearch − semester-nohl).", "",
         "| corpus | size | code lines | repeated | semester | hugo | zola |", "|---|---|---:|---:|---:|---:|---:|"]
    for res in sizes:
        us = per_line(res["summary"], res["code_lines"])
        cells = ["%.1f" % us[t] if t in us else "—" for t in ("semester", "hugo", "zola")]
        L.append("| %s | %s | %d | %.0f %% | %s |" % (res["corpus"], res["size"], res["code_lines"],
                                                    100.0 * res["code_repeats"] / max(res["code_lines"], 1),
                                                    " | ".join(cells)))
    return L


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="*", default=["small", "medium"], choices=list(SIZES) + ["all"])
    ap.add_argument("--semester", required=True)
    ap.add_argument("--hugo", default=shutil.which("hugo"), help="the hugo binary itself (not a wrapper)")
    ap.add_argument("--zola", default=shutil.which("zola"))
    ap.add_argument("--corpus", action="append", choices=list(CORPORA),
                    help="which corpus (repeatable; default varied): <corpora>/<corpus>-<size>")
    ap.add_argument("--corpora", required=True, help="folder holding <size>/ corpora")
    ap.add_argument("--runs", type=int, default=0, help="measured runs per tool (default 5, 3 on large)")
    ap.add_argument("--as-of", default="2026-06-01",
                    help="semester --as-of (after every lab's release date, so all pages are built)")
    ap.add_argument("--no-nohl", action="store_true", help="skip the runs with highlighting off (semester-nohl, hugo-nohl)")
    ap.add_argument("--no-copy", action="store_true", help="skip the cp -r baseline")
    ap.add_argument("--json", help="write all measurements here")
    ap.add_argument("--markdown", help="write the results table (Markdown) here")
    a = ap.parse_args()
    sizes = list(SIZES) if "all" in a.sizes else [s for s in SIZES if s in a.sizes]
    if a.runs < 0:
        ap.error("--runs must be >= 1")

    tools = ["semester", "semester-nosearch"] + ([] if a.no_nohl else ["semester-nohl"])
    for other in ("hugo", "zola"):
        if getattr(a, other):
            tools += [other] + ([] if a.no_nohl else [other + "-nohl"])
        else:
            print("%s not found: not timed" % other, file=sys.stderr)
    if not a.no_copy:
        tools.append("copy")

    global GNU_TIME
    GNU_TIME = gnu_time()
    out_root = tmp_root()
    # Time a private copy: target/release/semester may be rebuilt by someone else mid-run.
    private = os.path.join(out_root, "bin", "semester")
    os.makedirs(os.path.dirname(private))
    shutil.copy2(a.semester, private)
    with open(private, "rb") as fh:
        binary_sha = hashlib.sha256(fh.read()).hexdigest()[:12]
    binary_mtime = datetime.datetime.fromtimestamp(os.path.getmtime(a.semester), datetime.timezone.utc)
    a.semester = private
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "commit": git_commit(repo),
        "hugo_version": "; ".join([tool_version([a.hugo, "version"]) if a.hugo else "no Hugo",
                                   tool_version([a.zola, "--version"]) if a.zola else "no Zola"]),
        "semester_version": tool_version([a.semester, "--version"]),
        "semester_binary": "sha256 %s, built %s" % (binary_sha, binary_mtime.strftime("%H:%M:%S UTC")),
        "tmp": os.path.dirname(out_root),
        "rss_method": "GNU time %M" if GNU_TIME else "os.wait4 ru_maxrss (floor: Python's own RSS, ~14 MB)",
    }
    print("machine: %(cpu)s, %(nproc)s CPUs, %(ram)s RAM" % meta["machine"])
    print("date: %s; semester %s (%s; binary %s); %s; output under %s; peak RSS via %s"
          % (meta["date"], meta["commit"], meta["semester_version"], meta["semester_binary"],
             meta["hugo_version"], out_root, meta["rss_method"]))
    results = []
    meta["loadavg_start"] = "%.2f %.2f %.2f" % os.getloadavg()
    try:
        for kind in a.corpus or ["varied"]:
            for size in sizes:
                results.append(bench_size(kind, size, a, tools, out_root))
    finally:
        shutil.rmtree(out_root, ignore_errors=True)
    meta["loadavg_end"] = "%.2f %.2f %.2f" % os.getloadavg()

    md = markdown(meta, results)
    print("\n" + md)
    if a.markdown:
        with open(a.markdown, "w") as fh:
            fh.write(md + "\n")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({"meta": meta, "results": results}, fh, indent=1)
    failed = [(r["size"], t) for r in results for t in r["failures"]]
    if failed:
        print("\nfailures: " + ", ".join("%s on %s" % (t, s) for s, t in failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
