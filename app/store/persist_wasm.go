//go:build js && wasm

package store

import (
	"context"
	"fmt"
	"syscall/js"
)

// RequestPersistence asks the browser to keep this site's data even under storage pressure
// (navigator.storage.persist). Without it the browser may evict drafts; the UI warns when it is
// refused. It answers true at once if persistence was already granted.
func RequestPersistence(ctx context.Context) (granted bool, err error) {
	defer recoverTo(&err)
	storage, err := navigatorStorage()
	if err != nil {
		return false, err
	}
	if storage.Get("persisted").Type() == js.TypeFunction {
		v, err := await(ctx, storage.Call("persisted"))
		if err == nil && v.Truthy() {
			return true, nil
		}
	}
	if storage.Get("persist").Type() != js.TypeFunction {
		return false, ErrNoBrowser
	}
	v, err := await(ctx, storage.Call("persist"))
	if err != nil {
		return false, err
	}
	return v.Truthy(), nil
}

// Estimate reports how many bytes this site uses and may use (navigator.storage.estimate), so
// the UI can warn before the quota runs short.
func Estimate(ctx context.Context) (usage, quota int64, err error) {
	defer recoverTo(&err)
	storage, err := navigatorStorage()
	if err != nil {
		return 0, 0, err
	}
	if storage.Get("estimate").Type() != js.TypeFunction {
		return 0, 0, ErrNoBrowser
	}
	v, err := await(ctx, storage.Call("estimate"))
	if err != nil {
		return 0, 0, err
	}
	return jsInt(v.Get("usage")), jsInt(v.Get("quota")), nil
}

func navigatorStorage() (js.Value, error) {
	nav := js.Global().Get("navigator")
	if !nav.Truthy() || !nav.Get("storage").Truthy() {
		return js.Value{}, ErrNoBrowser
	}
	return nav.Get("storage"), nil
}

func jsInt(v js.Value) int64 {
	if v.Type() != js.TypeNumber {
		return 0
	}
	return int64(v.Float())
}

// await waits for a JS promise. The callbacks are released only once the promise settles, even
// when ctx ends first: releasing them earlier would make a late settlement panic.
func await(ctx context.Context, promise js.Value) (js.Value, error) {
	type outcome struct {
		v   js.Value
		err error
	}
	ch := make(chan outcome, 1)
	then := js.FuncOf(func(this js.Value, args []js.Value) any {
		ch <- outcome{v: arg0(args)}
		return nil
	})
	catch := js.FuncOf(func(this js.Value, args []js.Value) any {
		ch <- outcome{err: fmt.Errorf("store: %s", js.Global().Get("String").Invoke(arg0(args)).String())}
		return nil
	})
	release := func() { then.Release(); catch.Release() }
	promise.Call("then", then, catch)
	select {
	case o := <-ch:
		release()
		return o.v, o.err
	case <-ctx.Done():
		go func() { <-ch; release() }()
		return js.Value{}, ctx.Err()
	}
}

func arg0(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}
