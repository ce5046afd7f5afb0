#!/usr/bin/env bash
# Vendors axe-core (the accessibility engine the e2e tests run on every screen) from npm at a
# pinned version, checked against the pinned sha256 of the tarball. Run from anywhere; needs npm.
set -euo pipefail
AXE="axe-core@4.14.1"
AXE_SHA256="e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745"
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
tgz="$(cd "$tmp" && npm pack --silent "$AXE" | tail -n 1)"
echo "$AXE_SHA256  $tmp/$tgz" | sha256sum --check --status || { echo "axe: $tgz: sha256 differs from the pinned one" >&2; exit 1; }
tar -xzf "$tmp/$tgz" -C "$tmp"
cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" "$tmp/package/LICENSE-3RD-PARTY.txt" "$dir/"
echo "axe: $AXE vendored into ${dir}"
