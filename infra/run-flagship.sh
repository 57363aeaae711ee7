#!/usr/bin/env bash
# The README's first quick-start command: sets up a fresh Debian 12 machine with Node 20 (as root)
# and runs the main job — the flagship exercise `scenarios/agency-apt.yaml` for two teams:
# validate and plan it, build the range images, bring up every team's live range on the local
# Docker engine, then run the exercise clock and MSEL against it.
# Environment: TEAMS (default 2), SPEED (scenario seconds per wall second, default from the scenario),
# DB (event database, default .cyrange/exercise.db), SCENARIO (default scenarios/agency-apt.yaml).
set -euo pipefail
cd "$(dirname "$0")/.."

SCENARIO="${SCENARIO:-scenarios/agency-apt.yaml}"
TEAMS="${TEAMS:-2}"
DB="${DB:-.cyrange/exercise.db}"

step() { printf '\n== %s (%s)\n' "$1" "$(date +%H:%M:%S)"; }

step "container engine"
bash infra/engine/ensure-engine.sh
if ! command -v debootstrap >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

step "npm packages"
[ -d node_modules ] && [ -d dist ] || npm ci --no-audit --no-fund

step "scenario"
node bin/cyrange.js validate "$SCENARIO"
node bin/cyrange.js plan "$SCENARIO" --teams "$TEAMS"

step "range images"
node bin/cyrange.js images build

step "live range"
node bin/cyrange.js up "$SCENARIO" --teams "$TEAMS"

step "exercise"
mkdir -p "$(dirname "$DB")"
exec node bin/cyrange.js run "$SCENARIO" --teams "$TEAMS" --db "$DB" ${SPEED:+--speed "$SPEED"}
