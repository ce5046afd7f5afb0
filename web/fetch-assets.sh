#!/usr/bin/env bash
# Re-fetches the third-party static assets of web/ from npm (make assets). The results are
# committed, so ordinary builds need neither npm nor a network. Sources, versions and licences:
# web/ASSETS.md. Change BOOTSTRAP_ITALIA to update, then review the diff and ASSETS.md.
set -euo pipefail

BOOTSTRAP_ITALIA="${BOOTSTRAP_ITALIA:-2.18.3}"
JSQR="${JSQR:-1.4.0}"
WEB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

command -v npm >/dev/null || { echo "fetch-assets: npm is needed (apt-get install -y npm)" >&2; exit 1; }

cd "$TMP"
npm pack --silent "bootstrap-italia@${BOOTSTRAP_ITALIA}" >/dev/null
tar xzf "bootstrap-italia-${BOOTSTRAP_ITALIA}.tgz"
PKG="$TMP/package"
grep -q '"license": *"BSD-3-Clause"' "$PKG/package.json" || { echo "fetch-assets: bootstrap-italia licence changed, check it" >&2; exit 1; }

mkdir -p "$WEB/css" "$WEB/fonts"
# The minified theme without its source map (its comment would make browsers fetch a missing file).
sed -e 's|/\*# sourceMappingURL=[^*]*\*/||' "$PKG/dist/css/bootstrap-italia.min.css" > "$WEB/css/bootstrap-italia.min.css"
cp "$PKG/LICENSE" "$WEB/css/bootstrap-italia.LICENSE.txt"

# Titillium Web (the PA font) and Roboto Mono (codes, protocol numbers), woff2 only.
for w in 300 regular italic 600 700; do
  cp "$PKG/dist/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-$w.woff2" "$WEB/fonts/"
done
cp "$PKG/dist/fonts/Titillium_Web/OFL.txt" "$WEB/fonts/TitilliumWeb-OFL.txt"
cp "$PKG/dist/fonts/Roboto_Mono/roboto-mono-v13-latin-ext_latin-regular.woff2" "$WEB/fonts/"
cp "$PKG/dist/fonts/Roboto_Mono/LICENSE.txt" "$WEB/fonts/RobotoMono-LICENSE.txt"

# jsQR: the QR decoder «Verifica ricevuta» loads when the browser has no BarcodeDetector for
# QR codes; kept out of app.wasm and loaded only by that page.
npm pack --silent "jsqr@${JSQR}" >/dev/null
mkdir -p "$TMP/jsqr" "$WEB/js"
tar xzf "jsqr-${JSQR}.tgz" -C "$TMP/jsqr"
grep -q '"license": *"Apache-2.0"' "$TMP/jsqr/package/package.json" || { echo "fetch-assets: jsqr licence changed, check it" >&2; exit 1; }
cp "$TMP/jsqr/package/dist/jsQR.js" "$WEB/js/jsQR.js"
cp "$TMP/jsqr/package/LICENSE" "$WEB/js/jsQR.LICENSE.txt"

chmod 644 "$WEB"/css/bootstrap-italia.* "$WEB"/fonts/* "$WEB"/js/jsQR.*
echo "fetch-assets: bootstrap-italia@${BOOTSTRAP_ITALIA} → web/css, web/fonts; jsqr@${JSQR} → web/js"
