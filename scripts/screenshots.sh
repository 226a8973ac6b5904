#!/usr/bin/env bash
# Refreshes the README's screenshots: builds the bundled course, serves it on loopback, and has
# Debian's headless Chromium photograph the home page, a lab handout and the calendar at phone
# (390 px) and desktop (1280 px) widths in light and dark, plus the syllabus (README) at 1280 light.
# Writes docs/screenshots/<page>-<phone|desktop>-<light|dark>.png and syllabus.png.
# Usage: scripts/screenshots.sh   (needs chromium and python3; no network)
#        SEMESTER_BIN=target/debug/semester scripts/screenshots.sh   (an already built binary)
# The site is built for, and the pages opened at, one day of the term (a Sunday before three
# Monday deadlines), so "Next up" and the current week do not depend on the date of the shot.
set -euo pipefail
cd "$(dirname "$0")/.."
day=2026-03-01
if [ -n "${SEMESTER_BIN:-}" ]; then
  "$SEMESTER_BIN" build --out target/shots-site --as-of "$day"
else
  cargo run --release -q -- build --out target/shots-site --as-of "$day"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory target/shots-site >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break; sleep 0.1; done
out=docs/screenshots
mkdir -p "$out"
shoot() { # name url width height scheme
  local profile; profile=$(mktemp -d)
  rm -f "$out/$1.png"
  timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
    --force-prefers-color-scheme="$5" --blink-settings=preferredColorScheme=$([ "$5" = dark ] && echo 0 || echo 1) \
    --window-size="$3,$4" --screenshot="$out/$1.png" "http://127.0.0.1:$port$2" >/dev/null 2>&1 || true
  rm -rf "$profile"
  [ -s "$out/$1.png" ] || { echo "no screenshot for $1 ($2)" >&2; return 1; }
  echo "$out/$1.png"
}
term=$(sed -n 's/^current_term: *//p' course.yaml)
# The term's home, not / (a meta-refresh redirect that would drop the query and can stall a
# headless screenshot). ?today= pins "Next up" and the current week (semester.js) to the same day;
# "#top" keeps the calendar page at its top (its script would scroll to the current week, which a
# headless screenshot does not repaint).
pages=("home|/$term/?today=$day" "lab|/$term/labs/02-containers/" "calendar|/$term/calendar/?today=$day#top")
for entry in "${pages[@]}"; do
  name=${entry%%|*} url=${entry#*|}
  for scheme in light dark; do
    shoot "$name-phone-$scheme" "$url" 390 844 "$scheme"
    shoot "$name-desktop-$scheme" "$url" 1280 900 "$scheme"
  done
done
shoot syllabus "/$term/syllabus/" 1280 900 light
du -ch "$out"/*.png | tail -n 1
