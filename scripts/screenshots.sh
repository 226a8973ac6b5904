#!/usr/bin/env bash
# Refreshes the README's screenshots: builds the bundled course, serves public/ on loopback,
# and has Debian's headless Chromium photograph pages at phone and desktop widths, light and dark.
# Usage: scripts/screenshots.sh   (needs chromium and python3)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -- build --out target/shots-site
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory target/shots-site >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break; sleep 0.1; done
mkdir -p docs/screenshots
shoot() { # name url width height scheme
  local profile; profile=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
    --force-prefers-color-scheme="$5" --blink-settings=preferredColorScheme=$([ "$5" = dark ] && echo 0 || echo 1) \
    --window-size="$3,$4" --screenshot="docs/screenshots/$1.png" "http://127.0.0.1:$port$2" >/dev/null 2>&1
  rm -rf "$profile"
  echo "docs/screenshots/$1.png"
}
term=$(sed -n 's/^current_term: *//p' course.yaml)
shoot syllabus "/$term/syllabus/" 1280 900 light
shoot calendar-desktop "/$term/calendar/" 1280 1000 light
shoot calendar-phone "/$term/calendar/" 390 844 light
shoot lab-phone-dark "/$term/labs/02-containers/" 390 844 dark
