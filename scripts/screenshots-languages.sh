#!/usr/bin/env bash
# Screenshots of the bundled course in Arabic (right to left) and German (issue 17): the home
# page and the calendar at desktop width, the home page on a phone, light scheme.
# Writes docs/screenshots/<lang>-<home|calendar>-<desktop|phone>.png.
# Usage: scripts/screenshots-languages.sh   (needs chromium and python3; no network)
#        SEMESTER_BIN=target/debug/semester scripts/screenshots-languages.sh
set -euo pipefail
cd "$(dirname "$0")/.."
day=2026-03-01
bin=${SEMESTER_BIN:-}
if [ -z "$bin" ]; then cargo build --release -q; bin=target/release/semester; fi
work=$(mktemp -d)
server=
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
term=$(sed -n 's/^current_term: *//p' course.yaml)
for lang in ar de; do
  mkdir -p "$work/$lang"
  cp -a terms content "$work/$lang/"
  sed "s/^language: en\$/language: $lang/" course.yaml > "$work/$lang/course.yaml"
  "$bin" build --root "$work/$lang" --out "$work/site/$lang" --base-url "/$lang/" --as-of "$day"
done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/site" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/de/')" 2>/dev/null && break; sleep 0.1; done
out=docs/screenshots
mkdir -p "$out"
shoot() { # name url width height
  local profile; profile=$(mktemp -d)
  rm -f "$out/$1.png"
  timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
    --force-prefers-color-scheme=light --blink-settings=preferredColorScheme=1 \
    --window-size="$3,$4" --screenshot="$out/$1.png" "http://127.0.0.1:$port$2" >/dev/null 2>&1 || true
  rm -rf "$profile"
  [ -s "$out/$1.png" ] || { echo "no screenshot for $1 ($2)" >&2; return 1; }
  echo "$out/$1.png"
}
for lang in ar de; do
  shoot "$lang-home-desktop" "/$lang/$term/?today=$day" 1280 900
  shoot "$lang-home-phone" "/$lang/$term/?today=$day" 390 844
  shoot "$lang-calendar-desktop" "/$lang/$term/calendar/?today=$day#top" 1280 900
done
