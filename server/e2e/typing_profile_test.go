//go:build e2e && bench

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/cdproto/systeminfo"
	"github.com/chromedp/chromedp"

	"nullaosta/shared"
)

// TestTypingProfile finds where the time of the slow keystrokes goes: it types as TestTyping
// does (the long number into the salary, then across the module) with the CPU throttled
// PROFILE_RATE× (default 4) under V8's sampling profiler, then prints, for every interaction
// over PROFILE_OVER ms (default 60), the functions on the stack during it (inclusive time),
// and the same over the whole typing. Build app.wasm with its name section (`make
// profile-client` does) or the wasm frames are nameless.
func TestTypingProfile(t *testing.T) {
	const (
		keyEvery  = 143 * time.Millisecond
		longMoney = "9876543210,98765432109876543"
		across    = 200
	)
	rate := 4.0
	if v := os.Getenv("PROFILE_RATE"); v != "" {
		fmt.Sscan(v, &rate)
	}
	over := 60.0
	if v := os.Getenv("PROFILE_OVER"); v != "" {
		fmt.Sscan(v, &over)
	}
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	fx := fixtureData(t, "em_badante")
	em := shared.SchemaOf(shared.KindEM)
	b, _ := filledModule(t, bctx, srv, art, fx, "profilo")
	b.do("observe event timing", chromedp.Evaluate[chromedp.Void](eventStartJS))

	const salary = "rapporto.retribuzione_mensile"
	b.gotoSection(em, sectionIndex(em, salary))
	b.throttle(rate)
	threads := b.rendererThreads()
	markAt := b.startProfile()
	b.interactionsAt()
	b.typeMeasured(salary, longMoney, keyEvery)
	b.typeMeasured(salary, fx.Str(salary), keyEvery)
	typed := 0
	for i := range em.Sections {
		if typed >= across || em.Sections[i].Confirm {
			break
		}
		b.gotoSection(em, i)
		for _, f := range em.Sections[i].Fields {
			v, ok := fx[f.Key].(string)
			if !ok || typed >= across || !em.Applies(f.Key, fx) || !b.isTextInput(f.Key) {
				continue
			}
			if f.Type == shared.TypeDate {
				v = typedDate(v)
			}
			b.typeMeasured(f.Key, v, keyEvery)
			typed += len([]rune(v))
		}
	}
	threadsAfter := b.rendererThreads()
	got := b.interactionsAt()
	frames := eval[[]longFrame](b, "long frames", `window.__inpAt.frames`)
	prof, offset := b.stopProfile(markAt)
	b.throttle(1)

	p := newProfileIndex(prof, offset)
	var sb strings.Builder
	fmt.Fprintf(&sb, "PROFILE (CPU %g×, load average %s): %d interactions ≥16 ms, %d samples\n", rate, loadAverage(), len(got), len(prof.Samples))
	for _, x := range got {
		if x.Duration < over {
			continue
		}
		fmt.Fprintf(&sb, "\n%s at %.0f ms: %.0f ms (delay %.0f, processing %.0f) on %s\n", x.Name, x.Start, x.Duration, x.Delay, x.Processing, x.Target)
		for _, f := range frames {
			if f.Start < x.Start+x.Duration && f.Start+f.Duration > x.Start-5 {
				sb.WriteString(f.String())
			}
		}
		sb.WriteString(p.top(x.Start-5, x.Start+x.Duration, 25))
	}
	fmt.Fprintf(&sb, "\nCPU OF THE RENDERER'S THREADS WHILE TYPING %d CHARACTERS (ms, the sampler's own included):\n", typed+len(longMoney)+len(fx.Str(salary)))
	var names []string
	for k := range threadsAfter {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int { return int(threadsAfter[b] - threads[b] - threadsAfter[a] + threads[a]) })
	for _, k := range names {
		if d := threadsAfter[k] - threads[k]; d >= 1 {
			fmt.Fprintf(&sb, "  %8.0f  %s\n", d, k)
		}
	}
	fmt.Fprintf(&sb, "\nWHOLE TYPING:\n%s", p.top(0, 1e12, 60))
	for _, x := range got {
		if strings.HasPrefix(x.Name, "key") {
			p.windows = append(p.windows, [2]float64{x.Start, x.Start + x.Duration})
		}
	}
	fmt.Fprintf(&sb, "\nDURING THE %d KEYSTROKES OF 16 MS OR MORE:\n%s", len(p.windows), p.top(0, 1e12, 60))
	// PROFILE_FOCUS: what the named functions spend their time in (comma-separated).
	for _, fn := range strings.Split(os.Getenv("PROFILE_FOCUS"), ",") {
		if fn != "" {
			p.focus = fn
			fmt.Fprintf(&sb, "\nUNDER %s:\n%s", fn, p.top(0, 1e12, 40))
		}
	}
	os.WriteFile(filepath.Join(art, "profile.txt"), []byte(sb.String()), 0o644)
	t.Logf("%s\n(also in %s)", sb.String(), filepath.Join(art, "profile.txt"))
}

// rendererThreads is the CPU time (ms) of each thread of the browser's renderer processes,
// by process id and thread name, read from /proc.
func (b *tab) rendererThreads() map[string]float64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.CallBrowser(ctx, systeminfo.GetProcessInfo, cdp.Empty{})
	if err != nil {
		b.fail("process info: %v", err)
	}
	out := map[string]float64{}
	for _, p := range res.ProcessInfo {
		if p.Type != "renderer" {
			continue
		}
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/stat", p.ID))
		for _, st := range tasks {
			raw, err := os.ReadFile(st)
			if err != nil {
				continue
			}
			// pid (comm) state ... utime stime at fields 14 and 15, counted after the ')'.
			s := string(raw)
			i := strings.LastIndexByte(s, ')')
			name := s[strings.IndexByte(s, '(')+1 : i]
			f := strings.Fields(s[i+1:])
			var ut, stt float64
			fmt.Sscan(f[11], &ut)
			fmt.Sscan(f[12], &stt)
			out[fmt.Sprintf("%d %s", p.ID, name)] += (ut + stt) * 10 // clock ticks of 10 ms
		}
	}
	return out
}

// eventStartJS is eventTimingJS keeping when each interaction started and on what.
const eventStartJS = `(() => {
  const w = window.__inpAt = {byId: new Map()};
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (!e.interactionId) continue;
      const d = w.byId.get(e.interactionId);
      if (!d || e.duration > d.duration) w.byId.set(e.interactionId, {duration: e.duration, name: e.name,
        start: e.startTime, delay: e.processingStart - e.startTime, processing: e.processingEnd - e.processingStart,
        target: e.target ? e.target.id : ""});
    }
  }).observe({type: "event", durationThreshold: 16, buffered: true});
  w.frames = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      w.frames.push({start: e.startTime, duration: e.duration, render: e.renderStart, style: e.styleAndLayoutStart,
        blocking: e.blockingDuration,
        scripts: e.scripts.map(s => ({invoker: s.invoker, type: s.invokerType, start: s.startTime, duration: s.duration,
          forcedStyle: s.forcedStyleAndLayoutDuration, source: s.sourceFunctionName}))});
    }
  }).observe({type: "long-animation-frame", buffered: true});
})()`

// longFrame is a long animation frame (LoAF): when its rendering and its style and layout
// started, and the scripts that ran in it.
type longFrame struct {
	Start    float64 `json:"start"`
	Duration float64 `json:"duration"`
	Render   float64 `json:"render"`
	Style    float64 `json:"style"`
	Blocking float64 `json:"blocking"`
	Scripts  []struct {
		Invoker     string  `json:"invoker"`
		Type        string  `json:"type"`
		Start       float64 `json:"start"`
		Duration    float64 `json:"duration"`
		ForcedStyle float64 `json:"forcedStyle"`
		Source      string  `json:"source"`
	} `json:"scripts"`
}

func (f longFrame) String() string {
	var sb strings.Builder
	end := f.Start + f.Duration
	fmt.Fprintf(&sb, "  frame at %.0f: %.0f ms", f.Start, f.Duration)
	if f.Render > 0 {
		fmt.Fprintf(&sb, " (scripts and tasks %.0f, rendering %.0f of which style+layout %.0f)", f.Render-f.Start, end-f.Render, end-f.Style)
	}
	sb.WriteString("\n")
	for _, s := range f.Scripts {
		fmt.Fprintf(&sb, "    script %s %s at %.0f: %.0f ms (forced style %.0f) %s\n", s.Type, s.Invoker, s.Start, s.Duration, s.ForcedStyle, s.Source)
	}
	return sb.String()
}

type timedInteraction struct {
	Duration   float64 `json:"duration"`
	Name       string  `json:"name"`
	Start      float64 `json:"start"`
	Delay      float64 `json:"delay"`
	Processing float64 `json:"processing"`
	Target     string  `json:"target"`
}

func (b *tab) interactionsAt() []timedInteraction {
	b.t.Helper()
	return eval[[]timedInteraction](b, "event timing", `(async () => {
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 300)));
  const out = [...window.__inpAt.byId.values()];
  window.__inpAt.byId.clear();
  return out;
})()`)
}

// startProfile starts V8's sampler, then runs a function of a known name for 20 ms at a known
// performance.now(), so that samples can be placed on the page's clock.
func (b *tab) startProfile() float64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, profiler.Enable, struct{}{}); err != nil {
		b.fail("profiler: %v", err)
	}
	if _, err := chromedp.Call(ctx, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 200}); err != nil {
		b.fail("profiler: %v", err)
	}
	if _, err := chromedp.Call(ctx, profiler.Start, struct{}{}); err != nil {
		b.fail("profiler: %v", err)
	}
	return eval[float64](b, "profile marker", `(() => {
  function nullaostaProfileMarker() { const t0 = performance.now(); while (performance.now() - t0 < 20) {} return t0; }
  return nullaostaProfileMarker();
})()`)
}

// stopProfile returns the profile and the offset that turns its sample times (µs) into the
// page's performance.now() (ms).
func (b *tab) stopProfile(markAt float64) (*profiler.Profile, float64) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.Call(ctx, profiler.Stop, struct{}{})
	if err != nil {
		b.fail("profiler: %v", err)
	}
	prof := res.Profile
	var at float64 = -1
	ts := prof.StartTime
	for i, id := range prof.Samples {
		ts += float64(prof.TimeDeltas[i])
		if n := nodeByID(prof, id); n != nil && n.CallFrame.FunctionName == "nullaostaProfileMarker" {
			at = ts
			break
		}
	}
	if at < 0 {
		b.fail("the profile marker is not in the profile")
	}
	return prof, markAt - at/1000
}

func nodeByID(p *profiler.Profile, id int64) *profiler.ProfileNode {
	for _, n := range p.Nodes {
		if n.ID == id {
			return n
		}
	}
	return nil
}

type profileIndex struct {
	prof   *profiler.Profile
	parent map[int64]int64
	node   map[int64]*profiler.ProfileNode
	offset float64
	focus  string // count only the frames called by this function
	// windows: count only the samples in these intervals (page ms), when there are some
	windows [][2]float64
}

func newProfileIndex(p *profiler.Profile, offset float64) *profileIndex {
	x := &profileIndex{prof: p, parent: map[int64]int64{}, node: map[int64]*profiler.ProfileNode{}, offset: offset}
	for _, n := range p.Nodes {
		x.node[n.ID] = n
		for _, c := range n.Children {
			x.parent[c] = n.ID
		}
	}
	return x
}

// top lists the functions on the stack in [from, to] (page ms), by inclusive and self time.
func (x *profileIndex) top(from, to float64, n int) string {
	incl := map[string]float64{}
	self := map[string]float64{}
	total := 0.0
	ts := x.prof.StartTime
	for i, id := range x.prof.Samples {
		ts += float64(x.prof.TimeDeltas[i])
		at := ts/1000 + x.offset
		if at < from || at > to {
			continue
		}
		if len(x.windows) > 0 && !slices.ContainsFunc(x.windows, func(w [2]float64) bool { return at >= w[0] && at <= w[1] }) {
			continue
		}
		dt := 0.0
		if i+1 < len(x.prof.TimeDeltas) {
			dt = float64(x.prof.TimeDeltas[i+1]) / 1000
		}
		var stack []string
		for cur, ok := id, true; ok; cur, ok = x.parent[cur] {
			stack = append(stack, frameName(x.node[cur]))
		}
		if x.focus != "" {
			i := slices.IndexFunc(stack, func(s string) bool { return strings.HasSuffix(s, x.focus) })
			if i < 0 {
				continue
			}
			stack = stack[:i+1]
		}
		total += dt
		seen := map[string]bool{}
		first := true
		for _, name := range stack {
			if first {
				self[name] += dt
				first = false
			}
			if !seen[name] {
				incl[name] += dt
				seen[name] = true
			}
		}
	}
	names := make([]string, 0, len(incl))
	for k := range incl {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int {
		if incl[a] != incl[b] {
			if incl[a] > incl[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	var sb strings.Builder
	fmt.Fprintf(&sb, "  sampled %.1f ms\n", total)
	for i, k := range names {
		if i >= n {
			break
		}
		fmt.Fprintf(&sb, "  %8.1f incl %8.1f self  %s\n", incl[k], self[k], k)
	}
	return sb.String()
}

func frameName(n *profiler.ProfileNode) string {
	if n == nil {
		return "?"
	}
	name := n.CallFrame.FunctionName
	if name == "" {
		name = "(anonymous)"
	}
	if u := n.CallFrame.URL; u != "" && !strings.Contains(u, "app.wasm") {
		name += " " + filepath.Base(u)
	}
	return name
}
