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
	watchOtherTabs()
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

// watchOtherTabs connects the app's tabs: when one locks with «Blocca» or its person changes,
// the others write what their forms hold, drop their keys and load again, so they come back
// locked (or logged out) with nothing of the person in memory.
func watchOtherTabs() {
	bc := goapp.Window().Get("BroadcastChannel")
	if !bc.Truthy() {
		return
	}
	ch := bc.New("nullaosta-vault")
	tellOtherTabs = func() { ch.Call("postMessage", "lock") }
	ch.Set("onmessage", goapp.FuncOf(func(goapp.Value, []goapp.Value) any {
		go func() {
			FlushAll()
			if keys := Environment().Keys; keys != nil {
				keys.ForgetExcept("")
			}
			goapp.Window().Get("location").Call("reload")
		}()
		return nil
	}))
}
