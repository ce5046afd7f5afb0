//go:build e2e && bench

package e2e

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
)

// TestColdStartProfile names the main-thread tasks of a first visit (issue 12, Lighthouse's
// Total Blocking Time): it loads COLD_PATH (default /accedi) in a fresh profile and prints
// every task of the page's main thread of 12 ms or more with the trace events inside it
// (COLD_TRACE=file: Chromium's tracing, the trace also written to file for DevTools'
// Performance panel), or every stretch of work of 10 ms or more with the functions on its
// stack (V8's sampling profiler; build app.wasm with its name section or its frames are
// nameless; PROFILE_FOCUS=f,g: what f and g spend their time in). With tracing it also prints
// what Lighthouse's simulation would make of the tasks on a phone: each observed task of t ms
// blocks 4t − 50 ms. It reports; it asserts nothing.
func TestColdStartProfile(t *testing.T) {
	path := os.Getenv("COLD_PATH")
	if path == "" {
		path = "/accedi"
	}
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, true)
	if out := os.Getenv("COLD_TRACE"); out != "" {
		tr := b.startTracing()
		b.navigate(path)
		b.waitApp(path)
		time.Sleep(1500 * time.Millisecond)
		events := tr.stop()
		data, err := json.Marshal(map[string]any{"traceEvents": events})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(out, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, line := range mainThreadTasks(events, path, 12) {
			fmt.Println(line)
		}
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, profiler.Enable, struct{}{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 100}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, profiler.Start, struct{}{}); err != nil {
		t.Fatal(err)
	}
	b.navigate(path)
	b.waitApp(path)
	time.Sleep(1500 * time.Millisecond)
	res, err := chromedp.Call(ctx, profiler.Stop, struct{}{})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Profile
	if out := os.Getenv("COLD_PROF"); out != "" {
		data, _ := json.Marshal(p)
		os.WriteFile(out, data, 0o644)
	}
	x := newProfileIndex(p, -p.StartTime/1000)
	ts := p.StartTime
	var start, last float64 = -1, 0
	flush := func() {
		if start >= 0 && last-start >= 10 {
			fmt.Printf("busy %.0f–%.0f ms (%.1f ms)\n%s", start, last, last-start, x.top(start, last, 25))
		}
		start = -1
	}
	for i, id := range p.Samples {
		ts += float64(p.TimeDeltas[i])
		at := (ts - p.StartTime) / 1000
		name := frameName(x.node[id])
		if name == "(idle)" || name == "(program)" {
			if start >= 0 && at-last > 1 {
				flush()
			}
			continue
		}
		if start < 0 {
			start = at
		}
		last = at
	}
	flush()
	for _, f := range strings.Split(os.Getenv("PROFILE_FOCUS"), ",") {
		if f != "" {
			x.focus = f
			fmt.Printf("whole load, under %s\n%s", f, x.top(-1, 1e12, 50))
		}
	}
	x.focus = ""
	fmt.Printf("whole load\n%s", x.top(-1, 1e12, 60))
}

// mainThreadTasks lists the tasks of path's main thread (the thread of its navigationStart) of
// least ms or more, in ms from the navigation's start, each with the five kinds of event inside
// it that last longest (nested events counted in each of their ancestors), and the sum of
// 4t − 50 over them.
func mainThreadTasks(events []traceEvent, path string, least float64) []string {
	var nav float64
	var pid, tid int
	for _, e := range events {
		if e.Name == "navigationStart" && strings.Contains(string(e.Args), path) {
			nav, pid, tid = e.Ts, e.Pid, e.Tid
		}
	}
	if nav == 0 {
		return []string{"no navigationStart of " + path + " in the trace"}
	}
	var thread []traceEvent
	for _, e := range events {
		if e.Pid == pid && e.Tid == tid && e.Ph == "X" && e.Ts >= nav {
			thread = append(thread, e)
		}
	}
	slices.SortFunc(thread, func(a, b traceEvent) int { return cmp.Compare(a.Ts, b.Ts) })
	var out []string
	blocking := 0.0
	end := 0.0
	for i, task := range thread {
		if (task.Name != "ThreadControllerImpl::RunTask" && task.Name != "RunTask") || task.Ts < end {
			continue
		}
		end = task.Ts + task.Dur
		ms := task.Dur / 1000
		if ms < least {
			continue
		}
		blocking += max(0, 4*ms-50)
		inside := map[string]float64{}
		for _, e := range thread[i+1:] {
			if e.Ts >= end {
				break
			}
			if e.Name != task.Name {
				inside[e.Name] += e.Dur / 1000
			}
		}
		names := slices.Collect(maps.Keys(inside))
		slices.SortFunc(names, func(a, b string) int { return cmp.Compare(inside[b], inside[a]) })
		var parts []string
		for _, n := range names[:min(len(names), 5)] {
			parts = append(parts, fmt.Sprintf("%s %.1f", n, inside[n]))
		}
		out = append(out, fmt.Sprintf("task at %6.0f ms: %6.1f ms  (%s)", (task.Ts-nav)/1000, ms, strings.Join(parts, ", ")))
	}
	return append(out, fmt.Sprintf("sum of 4t − 50 over the tasks (Lighthouse's blocking time on a phone, before its FCP–TTI window): %.0f ms", blocking))
}
