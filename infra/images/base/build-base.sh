#!/usr/bin/env bash
# Builds the range base image from Debian packages, with no container registry:
# debootstrap (default mirror, minbase variant) into a temporary root, then `docker import`.
# Usage: build-base.sh TAG   (e.g. cyrange/base:1a2b3c4d5e6f). Needs root and debootstrap.
# The role images under infra/images/<role>/ are built FROM the tag this prints.
set -euo pipefail

TAG="${1:?usage: build-base.sh TAG}"
SUITE="${CYRANGE_BASE_SUITE:-bookworm}"
# Tools every live host needs: routes (iproute2), process lists, an HTTP client and a TCP prober.
INCLUDE="iproute2,procps,curl,ca-certificates,netcat-openbsd,less"

if ! command -v debootstrap >/dev/null 2>&1; then
  echo "build-base: debootstrap is missing: apt-get install debootstrap" >&2
  exit 1
fi
ROOT="$(mktemp -d /var/tmp/cyrange-base.XXXXXX)"
trap 'rm -rf "$ROOT"' EXIT

echo "build-base: debootstrap $SUITE into $ROOT"
debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$ROOT" >"$ROOT.log" 2>&1 || {
  tail -n 30 "$ROOT.log" >&2; rm -f "$ROOT.log"; exit 1; }
rm -f "$ROOT.log"

# Keep the image small: no apt lists, caches, docs or man pages.
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin "$ROOT"/var/cache/apt/archives/*.deb \
  "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/*
# apt inside role builds must not try to start services or ask questions.
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
chmod +x "$ROOT/usr/sbin/policy-rc.d"
printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\n' \
  >"$ROOT/etc/dpkg/dpkg.cfg.d/01-nodoc"
printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$ROOT/etc/apt/apt.conf.d/01-norecommends"

echo "build-base: importing as $TAG"
tar -C "$ROOT" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV DEBIAN_FRONTEND=noninteractive' \
  --change 'CMD ["/bin/bash"]' - "$TAG" >/dev/null
echo "build-base: done $TAG"
