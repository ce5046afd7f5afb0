#!/usr/bin/env bash
# Installs what `make test` needs and a fresh Debian machine lacks. Idempotent and quiet when
# everything is already there. $1: the repo's tool folder (.bin).
set -euo pipefail
bin="$1"
mkdir -p "$bin"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v gcc >/dev/null 2>&1 || need_apt+=(gcc)
command -v brotli >/dev/null 2>&1 || need_apt+=(brotli)
# The receipt's QR code is read back from its rendered PDF in the tests: gs renders, zbarimg reads.
command -v zbarimg >/dev/null 2>&1 || need_apt+=(zbar-tools)
command -v gs >/dev/null 2>&1 || need_apt+=(ghostscript)
# PostgreSQL's server programs (initdb, pg_ctl, postgres, pg_dump): the tests start a throwaway
# cluster of their own (server/pgtest); nothing else uses the package's own cluster.
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need_apt+=(postgresql)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "deps: installing ${need_apt[*]} with apt-get"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# wasmbrowsertest, pinned, built with its own go.mod (it needs an older chromedp than the
# project's end-to-end tests), under the name go test looks for.
WBT_VERSION=v0.11.0
if [ ! -x "$bin/go_js_wasm_exec" ] || [ "$(cat "$bin/.wbt-version" 2>/dev/null)" != "$WBT_VERSION" ]; then
  echo "deps: installing wasmbrowsertest@$WBT_VERSION into $bin"
  GOBIN="$bin" GOFLAGS= go install "github.com/agnivade/wasmbrowsertest@$WBT_VERSION"
  mv -f "$bin/wasmbrowsertest" "$bin/go_js_wasm_exec"
  echo "$WBT_VERSION" > "$bin/.wbt-version"
fi
