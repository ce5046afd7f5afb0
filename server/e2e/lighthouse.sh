#!/usr/bin/env bash
# make lighthouse: Lighthouse 12 (npm, installed into .bin/lighthouse) with its mobile defaults
# (a mid-range phone: simulated slow 4G, CPU 4× slower) against Debian's chromium, on / and
# /accedi of the built server on loopback with a throwaway data folder. Prints the performance
# score and the metrics of each page and the load average (the simulation runs on this CPU:
# measure on a quiet machine). RUNS runs per page (default 3), each in a fresh profile, and the
# median of each figure. Reports in $OUT (default bin/lighthouse). Not part of make test.
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
runs="${RUNS:-3}"
for page in / /accedi; do
  name="$(echo "$page" | tr -c 'a-z0-9\n' '_' | sed 's/^_$/home/; s/^_//')"
  reports=()
  for run in $(seq "$runs"); do
    echo "load average before $page (run $run): $(cut -d' ' -f1-3 /proc/loadavg)"
    report="$out/$name-$run.json"
    CHROME_PATH=/usr/bin/chromium "$lh" "http://$addr$page" --quiet --only-categories=performance \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" \
      --output=json --output-path="$report" || { echo "lighthouse failed on $page"; exit 1; }
    case "$report" in /*) reports+=("$report") ;; *) reports+=("$root/$report") ;; esac
  done
  # Each run, then each figure's own median over the runs.
  node -e '
    const page = process.argv[1], files = process.argv.slice(2);
    const figs = files.map((f) => {
      const r = require(f), a = r.audits;
      return {score: r.categories.performance.score, fcp: a["first-contentful-paint"].numericValue,
        lcp: a["largest-contentful-paint"].numericValue, tbt: a["total-blocking-time"].numericValue,
        cls: a["cumulative-layout-shift"].numericValue, si: a["speed-index"].numericValue,
        lcpElement: ((a["largest-contentful-paint-element"].details || {}).items || [{items: [{node: {}}]}])[0].items[0].node.selector || "?",
        mode: `${r.configSettings.formFactor}, ${r.configSettings.throttlingMethod} throttling, CPU ${r.configSettings.throttling.cpuSlowdownMultiplier}×`};
    });
    const line = (f) => `performance ${f.score.toFixed(2)}, FCP ${(f.fcp / 1000).toFixed(2)} s, LCP ${(f.lcp / 1000).toFixed(2)} s, ` +
      `TBT ${Math.round(f.tbt)} ms, CLS ${f.cls.toFixed(3)}, Speed Index ${(f.si / 1000).toFixed(2)} s`;
    figs.forEach((f, i) => console.log(`${page} run ${i + 1}: ${line(f)}; LCP element ${f.lcpElement} (${f.mode})`));
    const median = (k) => { const v = figs.map((f) => f[k]).sort((x, y) => x - y); return v[(v.length - 1) >> 1]; };
    const m = {}; for (const k of ["score", "fcp", "lcp", "tbt", "cls", "si"]) m[k] = median(k);
    console.log(`${page} median of ${figs.length}: ${line(m)}`);
  ' "$page" "${reports[@]}"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); reports in $out/"
