#!/usr/bin/env bash
# The README's second quick-start command: sets up everything the test suite needs on a fresh
# Debian 12 machine with Node 20 (as root) and runs the whole suite. CI runs exactly this.
# Steps: Debian packages → Docker engine → npm packages (builds dist/) → lint and types →
# range images → Jest. Every step is idempotent, so a second run only re-runs the checks.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s (%s)\n' "$1" "$(date +%H:%M:%S)"; }

step "container engine"
bash infra/engine/ensure-engine.sh
step "Debian packages"
# debootstrap builds the range base image; chromium drives the browser tests (playwright-core).
missing=""
command -v debootstrap >/dev/null 2>&1 || missing="$missing debootstrap"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
if [ -n "$missing" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

step "npm packages"
npm ci --no-audit --no-fund

step "lint and types"
npm run lint
npm run typecheck

step "range images"
node bin/cyrange.js images build

step "tests"
REPORT="$(mktemp /tmp/cyrange-jest.XXXXXX.json)"
status=0
npx jest --ci --json --outputFile="$REPORT" || status=$?
# A plain closing line that any reader of CI logs (human or machine) can count.
node -e '
  const r = require(process.argv[1]);
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$REPORT" || true
rm -f "$REPORT"
exit "$status"
