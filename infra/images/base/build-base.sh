#!/usr/bin/env bash
# Builds the root file system of the range base image from Debian packages, with no container registry:
# debootstrap (default mirror, minbase variant) into a temporary root, packed as a tar archive that
# cyrange imports into the engine through the Engine API (see src/range/images/image-builder.ts).
# Usage: build-base.sh OUT.tar   Needs root and debootstrap.
set -euo pipefail

OUT="${1:?usage: build-base.sh OUT.tar}"
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

echo "build-base: packing $OUT"
tar -C "$ROOT" --numeric-owner -cf "$OUT" .
echo "build-base: done $OUT ($(du -h "$OUT" | cut -f1))"
