#!/usr/bin/env bash
# make lighthouse: Lighthouse 12 (npm, installed into .bin/lighthouse) with its mobile defaults
# (a mid-range phone: simulated slow 4G, CPU 4× slower) against Debian's chromium, on / and
# /accedi of the built server on loopback with a throwaway data folder. Prints the performance
# score and the metrics of each page and the load average (the simulation runs on this CPU:
# measure on a quiet machine). Reports in $OUT (default bin/lighthouse). Not part of make test.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
lh_dir=".bin/lighthouse"
lh="$lh_dir/node_modules/.bin/lighthouse"
LH_VERSION="${LH_VERSION:-12}"
if [ ! -x "$lh" ]; then
  echo "lighthouse: installing lighthouse@$LH_VERSION from npm into $lh_dir"
  mkdir -p "$lh_dir"
  (cd "$lh_dir" && npm install --no-audit --no-fund --loglevel=error "lighthouse@$LH_VERSION" >/dev/null)
fi
out="${OUT:-bin/lighthouse}"
mkdir -p "$out"
data="$(mktemp -d)"
addrfile="$data/addr"
bin/nullaosta -addr 127.0.0.1:0 -addr-file "$addrfile" -data "$data" -web web -dev -log-level warn &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do [ -s "$addrfile" ] && break; sleep 0.1; done
addr="$(cat "$addrfile")"
echo "lighthouse $("$lh" --version), $(chromium --version 2>/dev/null | head -1), server http://$addr"
for page in / /accedi; do
  name="$(echo "$page" | tr -c 'a-z0-9\n' '_' | sed 's/^_$/home/; s/^_//')"
  echo "load average before $page: $(cut -d' ' -f1-3 /proc/loadavg)"
  CHROME_PATH=/usr/bin/chromium "$lh" "http://$addr$page" --quiet --only-categories=performance \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" \
    --output=json --output-path="$out/$name.json" || { echo "lighthouse failed on $page"; exit 1; }
  node -e '
    const r = require(process.argv[1]);
    const a = r.audits, ms = (k) => (a[k].numericValue / 1000).toFixed(2) + " s";
    console.log(`${process.argv[2]}: performance ${r.categories.performance.score}, FCP ${ms("first-contentful-paint")}, ` +
      `LCP ${ms("largest-contentful-paint")}, TBT ${Math.round(a["total-blocking-time"].numericValue)} ms, ` +
      `CLS ${a["cumulative-layout-shift"].numericValue.toFixed(3)}, Speed Index ${ms("speed-index")} ` +
      `(${r.configSettings.formFactor}, ${r.configSettings.throttlingMethod} throttling, CPU ${r.configSettings.throttling.cpuSlowdownMultiplier}×)`);
  ' "$root/$out/$name.json" "$page"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); reports in $out/"
