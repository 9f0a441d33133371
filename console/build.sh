#!/usr/bin/env bash
# Builds the console into target/classes/tether-console (run by Maven, console/pom.xml; `build.sh test` runs
# its unit tests on the same Node): `npm ci` only when
# package-lock.json changed since the last install, `vite build` only when a source is newer than the
# last build. With the machine's node and npm when its Node.js is 20.19 or later, else with the pinned one
# (tools/node.sh: installed into .tether/node/ on first use; ./tether puts it on the PATH itself).
set -euo pipefail
cd "$(dirname "$0")"

ROOT="$(cd .. && pwd)"
. "$ROOT/tools/tether-lib.sh"
. "$ROOT/tools/node.sh"
ensure_node
node_new_enough || { echo "error: the console's build (Vite 7) needs Node.js >= 20.19; this is $(node --version)" >&2; exit 1; }

# `build.sh test`: the console's unit tests (test/), on the same Node as the build.
if [ "${1:-}" = test ]; then
  exec npm test --silent
fi

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
