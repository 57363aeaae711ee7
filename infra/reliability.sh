#!/usr/bin/env bash
# The reliability, security and load suite in full (docs/RELIABILITY.md). CI runs the reduced
# version of the same tests as part of `bash infra/test-all.sh`; this runs every repetition the
# full suite promises (CYRANGE_FULL=1) and then the full simulated day (`npm run bench:load`).
# Run after `bash infra/test-all.sh` has set the machine up once. Expect about an hour.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s (%s)\n' "$1" "$(date +%H:%M:%S)"; }

step "container engine"
bash infra/engine/ensure-engine.sh
step "range images"
node bin/cyrange.js images build

step "faults, bad input and attack (full repetitions)"
CYRANGE_FULL=1 npx jest --ci --runInBand test/reliability test/fuzz test/security

step "load: a full simulated day (10 teams, 500 socket clients)"
npm run bench:load

step "leftovers"
left="$(docker ps -aq --filter label=cyrange.exercise | wc -l)"
nets="$(docker network ls -q --filter label=cyrange.exercise | wc -l)"
vols="$(docker volume ls -q --filter label=cyrange.exercise | wc -l)"
echo "containers ${left}, networks ${nets}, volumes ${vols} labelled cyrange.exercise"
[ "$left" = 0 ] && [ "$nets" = 0 ] && [ "$vols" = 0 ]
