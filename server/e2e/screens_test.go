//go:build e2e

package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Helpers that check a screen the way a person meets it: accessibility (axe-core, WCAG 2.2 AA),
// layout at the sizes of a tablet and a phone (with screenshots), and the keyboard.

// axeJS is axe-core, vendored from npm (testdata/axe/README.md): injected into each screen that
// a test checks, so nothing is downloaded while tests run.
//
//go:embed testdata/axe/axe.min.js
var axeJS string

// axeTags are the rule sets of WCAG 2.2 level AA (with those of 2.0 and 2.1 it includes).
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// axeViolation is one rule that fails on a screen, with the elements that fail it.
type axeViolation struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	Nodes  []axeNode `json:"nodes"`
}

type axeNode struct {
	Target string `json:"target"`
	HTML   string `json:"html"`
	Why    string `json:"why"`
}

// axeRunJS runs axe on the whole document with the WCAG A/AA rules and returns the violations
// in the shape of axeViolation.
const axeRunJS = `(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
	.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
		nodes: v.nodes.slice(0, 10).map(n => ({target: n.target.join(" "), html: n.html.slice(0, 300),
			why: (n.failureSummary || "").slice(0, 300)}))})))`

// checkAccessibility runs axe-core on the screen as it is now and fails the test on any serious
// or critical violation of WCAG 2.2 AA. Every violation, of any impact, is written to the
// artifacts (axe-<screen>.json) and logged, so minor ones stay visible.
func (b *tab) checkAccessibility(screen string) []axeViolation {
	b.t.Helper()
	if !eval[bool](b, "is axe loaded", `typeof axe === "object" && typeof axe.run === "function"`) {
		eval[bool](b, "inject axe-core", axeJS+"\n;true")
	}
	vs := call[[]axeViolation](b, "axe.run on "+screen, axeRunJS, axeTags)
	if j, err := json.MarshalIndent(vs, "", "  "); err == nil {
		os.WriteFile(filepath.Join(b.artifacts, "axe-"+fileSafe(screen)+".json"), j, 0o644)
	}
	var blocking []string
	for _, v := range vs {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, n.Target+" — "+n.HTML)
		}
		line := fmt.Sprintf("%s [%s] %s:\n      %s", v.ID, v.Impact, v.Help, strings.Join(targets, "\n      "))
		b.t.Logf("axe %s: %s", screen, line)
		if v.Impact == "serious" || v.Impact == "critical" {
			blocking = append(blocking, line)
		}
	}
	if len(blocking) > 0 {
		b.fail("accessibility of %s (axe-core, WCAG 2.2 AA): %d serious or critical violations:\n  %s",
			screen, len(blocking), strings.Join(blocking, "\n  "))
	}
	return vs
}

// screenSize is a device the layout must work on.
type screenSize struct {
	name          string
	width, height int64
}

// Sizes of issue 13: an iPad Air in portrait and a common phone.
var (
	tabletSize = screenSize{"tablet", 820, 1180}
	phoneSize  = screenSize{"telefono", 390, 844}
)

// screensDir is where the screenshots of the sizes go: NULLAOSTA_E2E_SCREENS when set (kept),
// or the test's artifacts.
func (b *tab) screensDir() string {
	dir := os.Getenv("NULLAOSTA_E2E_SCREENS")
	if dir == "" {
		dir = filepath.Join(b.artifacts, "screens")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	return dir
}

// atSizes shows the current screen at each size in turn: it checks that nothing makes the page
// scroll sideways and that no code in the page (elements of class "code", such as module ids and
// protocol numbers, also of class "module-id" and "protocol") wraps inside itself, saves a full-page screenshot, runs check (if any) at
// that size, and goes back to the desktop size.
func (b *tab) atSizes(screen string, check func(size screenSize), sizes ...screenSize) {
	b.t.Helper()
	// chromedp's EmulateReset leaves the last mobile viewport in place: the override is
	// cleared by the protocol's own command, and touch turned off.
	defer b.do("back to the desktop size", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: false})
		return err
	}))
	for _, s := range sizes {
		b.do("emulate "+s.name, chromedp.EmulateViewport(s.width, s.height, chromedp.EmulateMobile, chromedp.EmulateTouch))
		// A page wider than the phone makes a mobile browser widen its layout viewport (zoomed
		// out): innerWidth then exceeds the size, and the overflow check below names why.
		b.waitJS(screen+" at the "+s.name+" size", fmt.Sprintf(`innerWidth >= %d && innerWidth < 2 * %d || "width " + innerWidth`, s.width, s.width), stepTimeout)
		// Let the layout settle after the resize (media queries, the menu folding).
		b.waitJS("layout after the resize", `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, stepTimeout)
		overflow := eval[string](b, "horizontal overflow", `(() => {
			const w = `+fmt.Sprint(s.width)+`;
			if (document.documentElement.scrollWidth <= w + 1) return "";
			const wide = [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > w + 1)
				.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : ""));
			return "page " + document.documentElement.scrollWidth + " px wide in " + w + ": " + wide.join(", ");
		})()`)
		broken := eval[string](b, "codes broken across lines", `[...document.querySelectorAll(".code, .module-id, .protocol")]
			.filter(e => e.getClientRects().length > 1 || e.getBoundingClientRect().height > 1.8 * parseFloat(getComputedStyle(e).lineHeight || "20"))
			.slice(0, 5).map(e => e.textContent.trim()).join(", ")`)
		ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		cancel()
		if err != nil {
			b.fail("screenshot of %s at the %s size: %v", screen, s.name, err)
		}
		name := filepath.Join(b.screensDir(), fmt.Sprintf("%s-%s-%dx%d.png", fileSafe(screen), s.name, s.width, s.height))
		if err := os.WriteFile(name, png, 0o644); err != nil {
			b.t.Fatal(err)
		}
		if overflow != "" {
			b.fail("%s at the %s size (%d×%d) scrolls sideways: %s (screenshot %s)", screen, s.name, s.width, s.height, overflow, name)
		}
		if broken != "" {
			b.fail("%s at the %s size: codes wrap inside themselves: %s (screenshot %s)", screen, s.name, broken, name)
		}
		if check != nil {
			check(s)
		}
	}
}

// fileSafe turns a screen's name into a file name.
func fileSafe(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			sb.WriteRune(r)
		default:
			if !strings.HasSuffix(sb.String(), "-") {
				sb.WriteByte('-')
			}
		}
	}
	return strings.Trim(sb.String(), "-")
}

// focused describes the element that has the keyboard focus: its tag, id, role and accessible
// text, e.g. `input#field-datore.cognome[role=combobox] «Cognome»`.
func (b *tab) focused() string {
	b.t.Helper()
	return eval[string](b, "the focused element", `(() => {
		const e = document.activeElement;
		if (!e || e === document.body) return "body";
		const role = e.getAttribute("role") ? "[role=" + e.getAttribute("role") + "]" : "";
		const label = (e.labels && e.labels[0] ? e.labels[0].innerText : (e.getAttribute("aria-label") || e.innerText || "")).trim().slice(0, 60);
		return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + role + " «" + label + "»";
	})()`)
}

// press sends keys to the focused element as a keyboard does (kb.Tab, kb.Enter, kb.ArrowDown,
// kb.Escape, or text).
func (b *tab) press(keys string) {
	b.t.Helper()
	b.do("press "+keyName(keys), chromedp.KeyEvent(keys))
}

// pressShift sends keys with Shift held (Shift+Tab).
func (b *tab) pressShift(keys string) {
	b.t.Helper()
	b.do("press Shift+"+keyName(keys), chromedp.KeyEvent(keys, chromedp.KeyModifiers(chromedp.ModifierShift)))
}

func keyName(keys string) string {
	switch keys {
	case kb.Tab:
		return "Tab"
	case kb.Enter:
		return "Enter"
	case kb.Escape:
		return "Escape"
	case kb.ArrowDown:
		return "ArrowDown"
	case kb.ArrowUp:
		return "ArrowUp"
	}
	return fmt.Sprintf("%q", keys)
}

// tabTo presses Tab until the focused element's description contains want, at most max times,
// and fails (naming every element the focus passed) if it never gets there: the element must
// be reachable with the keyboard alone.
func (b *tab) tabTo(want string, max int) {
	b.t.Helper()
	var path []string
	for range max {
		b.press(kb.Tab)
		f := b.focused()
		path = append(path, f)
		if strings.Contains(f, want) {
			return
		}
	}
	b.fail("%q not reached with %d presses of Tab; the focus went through:\n  %s", want, max, strings.Join(path, "\n  "))
}

// focusVisible reports whether the focused element shows where the focus is: an outline or a
// box shadow that is not "none" (WCAG 2.4.7).
func (b *tab) focusVisible() bool {
	b.t.Helper()
	return eval[bool](b, "focus indicator", `(() => {
		const e = document.activeElement;
		if (!e || e === document.body) return false;
		const s = getComputedStyle(e);
		return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== "none");
	})()`)
}

// settle waits a moment of real time for something the page does after an event (an animation
// frame, a debounce); only for what a person would also wait for.
func (b *tab) settle() {
	b.t.Helper()
	b.waitJS("the page settles", `new Promise(r => setTimeout(() => r(true), 50))`, 5*time.Second)
}
