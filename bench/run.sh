#!/usr/bin/env bash
# Times semester against Hugo on the synthetic course corpora. See bench/README.md.
#
# usage: bench/run.sh [small|medium|large|all ...] [--runs N] [--no-nohl] [--no-copy]
#
# Environment:
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
while [[ $# -gt 0 ]]; do
    case $1 in
        small|medium|large) sizes+=("$1") ;;
        all) sizes=(small medium large) ;;
        --runs) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; extra+=(--runs "$2"); shift ;;
        --runs=*) extra+=(--runs "${1#--runs=}") ;;
        --no-nohl|--no-copy) extra+=("$1") ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(small medium)

gen=${BENCH_GEN:-$repo/../shared/bench/gen_corpus.py}
corpora=${BENCH_CORPORA:-$repo/target/bench-corpora}
results=${BENCH_RESULTS:-$repo/target/bench-results}
as_of=${BENCH_AS_OF:-2026-06-01}

command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }

echo "== building semester (release)" >&2
cargo build --release --quiet
semester=$repo/target/release/semester

declare -A count=([small]=12 [medium]=200 [large]=2500)
for size in "${sizes[@]}"; do
    dir=$corpora/$size
    if [[ ! -f $dir/semester/course.yaml || ! -f $dir/hugo/hugo.toml ]]; then
        [[ -f $gen ]] || { echo "gen_corpus.py not found at $gen (set BENCH_GEN)" >&2; exit 1; }
        echo "== generating $size corpus into $dir" >&2
        mkdir -p "$dir"
        python3 "$gen" "$dir" --topics "${count[$size]}" --labs "${count[$size]}" >&2
    fi
done

if ! command -v hugo >/dev/null; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "== installing Debian's hugo" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >&2 \
            || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >&2; } \
            || echo "could not install hugo: timing semester only" >&2
    else
        echo "hugo is not installed: timing semester only." >&2
        echo "  To compare, install it (as root: apt-get install -y hugo) and run again." >&2
    fi
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
