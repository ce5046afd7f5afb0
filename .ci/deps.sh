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
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "deps: installing ${need_apt[*]} with apt-get"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# wasmbrowsertest, at the version pinned in go.mod, under the name go test looks for.
if [ ! -x "$bin/go_js_wasm_exec" ]; then
  echo "deps: building wasmbrowsertest into $bin"
  GOFLAGS=-mod=mod go build -o "$bin/go_js_wasm_exec" github.com/agnivade/wasmbrowsertest
fi
