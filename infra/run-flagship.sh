#!/usr/bin/env bash
# The README's first quick-start command: sets up a fresh Debian 12 machine with Node 20 (as root)
# and runs the main job — the flagship exercise `scenarios/agency-apt.yaml` for two teams:
# validate and plan it, build the range images, bring up every team's live range on the local
# Docker engine, then serve the exercise: the console URL and join links are printed, the clock
# starts, injects act on the live containers and their real logs are collected.
# Environment: TEAMS (default 2), SPEED (scenario seconds per wall second, default from the scenario),
# PORT (default 8080), DB (event database, default .cyrange/exercise.db), SCENARIO (default
# scenarios/agency-apt.yaml). Ctrl-C stops serving; running this again resumes the same session.
set -euo pipefail
cd "$(dirname "$0")/.."

SCENARIO="${SCENARIO:-scenarios/agency-apt.yaml}"
TEAMS="${TEAMS:-2}"
DB="${DB:-.cyrange/exercise.db}"
PORT="${PORT:-8080}"
SESSION="${SESSION:-flagship}"

step() { printf '\n== %s (%s)\n' "$1" "$(date +%H:%M:%S)"; }

step "container engine"
bash infra/engine/ensure-engine.sh
if ! command -v debootstrap >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

step "npm packages"
if [ -d node_modules ]; then npm run build; else npm ci --no-audit --no-fund; fi

step "scenario"
node bin/cyrange.js validate "$SCENARIO"
node bin/cyrange.js plan "$SCENARIO" --teams "$TEAMS"

step "range images"
node bin/cyrange.js images build

step "live range"
node bin/cyrange.js up "$SCENARIO" --teams "$TEAMS"

step "exercise (console URL and join links below)"
mkdir -p "$(dirname "$DB")"
exec node bin/cyrange.js serve "$SCENARIO" --teams "$TEAMS" --live --start --db "$DB" \
  --session "$SESSION" --port "$PORT" ${SPEED:+--speed "$SPEED"}
