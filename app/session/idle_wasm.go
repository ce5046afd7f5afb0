//go:build js && wasm

package session

import (
	"context"
	"time"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// idleCheckEvery is how often the browser looks at the idle time; the lock comes at most
// this late.
const idleCheckEvery = 5 * time.Second

// WatchIdle locks the person after the device's idle time without input, and when the page
// becomes visible again after it. Inputs are listened to in the capture phase, passively, so
// no page can swallow them and scrolling is not slowed.
func WatchIdle(ctx context.Context) {
	touch := goapp.FuncOf(func(goapp.Value, []goapp.Value) any {
		Touch()
		return nil
	})
	opts := map[string]any{"capture": true, "passive": true}
	for _, ev := range []string{"pointerdown", "keydown", "wheel", "touchstart"} {
		goapp.Window().Call("addEventListener", ev, touch, opts)
	}
	vis := goapp.FuncOf(func(goapp.Value, []goapp.Value) any {
		go CheckIdle()
		return nil
	})
	goapp.Window().Get("document").Call("addEventListener", "visibilitychange", vis)
	LockAfter(ctx) // the device's choice, read once off the start-up path
	t := time.NewTicker(idleCheckEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			CheckIdle()
		}
	}
}
