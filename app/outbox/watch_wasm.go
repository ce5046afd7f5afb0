//go:build js && wasm

package outbox

import (
	"context"
	"syscall/js"
)

// Watch keeps user's queue moving until ctx ends: it flushes at start, when the browser fires
// "online", on Kick (Enqueue kicks), and when the next retry is due; it does not try while
// navigator.onLine is false. onChange gets every report that settled or rescheduled
// something; it runs on Watch's goroutine, so the UI must hand it over to its own (go-app:
// ctx.Dispatch). user is asked before every flush: "" means nobody is logged in.
//
// Watch blocks: run it in its own goroutine (go-app: ctx.Async).
func Watch(ctx context.Context, q *Queue, user func() string, onChange func(Report)) {
	events := make(chan struct{}, 1)
	notify := js.FuncOf(func(js.Value, []js.Value) any {
		select { // never block inside a JS callback
		case events <- struct{}{}:
		default:
		}
		return nil
	})
	win := js.Global()
	win.Call("addEventListener", "online", notify)
	defer func() {
		win.Call("removeEventListener", "online", notify)
		notify.Release()
	}()
	watch(ctx, q, user, onChange, navigatorOnLine, events)
}

// navigatorOnLine is navigator.onLine; true when the browser does not say. A false is
// reliable (no network at all); a true may still fail, and then the retry takes over.
func navigatorOnLine() bool {
	nav := js.Global().Get("navigator")
	if !nav.Truthy() {
		return true
	}
	v := nav.Get("onLine")
	return v.Type() != js.TypeBoolean || v.Bool()
}
