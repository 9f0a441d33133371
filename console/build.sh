#!/usr/bin/env bash
# Builds the console into target/classes/tether-console (run by Maven, console/pom.xml): `npm ci` only when
# package-lock.json changed since the last install, `vite build` only when a source is newer than the
# last build. Uses the machine's node and npm (./tether installs them from Debian's packages).
set -euo pipefail
cd "$(dirname "$0")"

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || {
  echo "error: the console is built with Node.js >= 20.19 and npm: sudo apt-get install -y nodejs npm" >&2
  exit 1
}
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' || {
  echo "error: the console's build (Vite 7) needs Node.js >= 20.19; this is $(node --version): install a newer nodejs" >&2
  exit 1
}

LOCK_STAMP=node_modules/.tether-package-lock.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$LOCK_STAMP" ] || [ "$(cat "$LOCK_STAMP")" != "$want" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$LOCK_STAMP"
fi

OUT=target/classes/tether-console/index.html
if [ ! -f "$OUT" ] || [ -n "$(find src index.html vite.config.js package-lock.json -newer "$OUT" -print -quit)" ]; then
  npx --no-install vite build --logLevel warn
fi
