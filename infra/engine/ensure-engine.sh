#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine, so `cyrange up` and the range tests can run.
# Idempotent: does nothing when `docker info` already works. Installs Debian's docker.io when dockerd
# is missing (needs root on Debian) and starts dockerd in the background when no engine answers.
# Bounded: gives up after ENGINE_WAIT_SECONDS (default 60) with a clear message.
set -euo pipefail

WAIT="${ENGINE_WAIT_SECONDS:-60}"
LOG="${DOCKERD_LOG:-/var/log/dockerd.log}"

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && engine_answers; then
  echo "ensure-engine: engine already answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "ensure-engine: dockerd is missing and we are not root: install Debian's docker.io (apt-get install docker.io)" >&2
    exit 1
  fi
  echo "ensure-engine: installing Debian's docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "ensure-engine: starting dockerd (log: $LOG)"
  # A stale pid file from a killed daemon stops a new one from starting.
  rm -f /var/run/docker.pid
  nohup dockerd >"$LOG" 2>&1 &
fi

for _ in $(seq 1 "$WAIT"); do
  if engine_answers; then
    echo "ensure-engine: engine ready ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    exit 0
  fi
  sleep 1
done
echo "ensure-engine: no engine answered within ${WAIT}s; see $LOG" >&2
tail -n 20 "$LOG" >&2 || true
exit 1
