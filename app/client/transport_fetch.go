//go:build js && wasm

package client

import (
	"context"
	"errors"
	"io"
	"strings"
	"syscall/js"
)

func defaultTransport() Transport { return fetchTransport{} }

// fetchTransport calls the browser's fetch with the page's cookies (same origin). Like any
// Transport it blocks its goroutine until the answer's headers arrive: call it from a
// goroutine, never from a JavaScript callback.
type fetchTransport struct{}

func (fetchTransport) RoundTrip(ctx context.Context, r *Request) (*Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	global := js.Global()
	opts := global.Get("Object").New()
	opts.Set("method", r.Method)
	opts.Set("credentials", "same-origin")
	h := global.Get("Headers").New()
	for k, v := range r.Header {
		h.Call("set", k, v)
	}
	opts.Set("headers", h)
	if r.Body != nil {
		b := global.Get("Uint8Array").New(len(r.Body))
		js.CopyBytesToJS(b, r.Body)
		opts.Set("body", b)
	}
	abort := global.Get("AbortController").New()
	opts.Set("signal", abort.Get("signal"))

	v, err := await(ctx, abort, global.Call("fetch", r.URL, opts))
	if err != nil {
		return nil, err
	}
	header := map[string]string{}
	each := js.FuncOf(func(_ js.Value, args []js.Value) any {
		header[strings.ToLower(args[1].String())] = args[0].String()
		return nil
	})
	v.Get("headers").Call("forEach", each)
	each.Release()
	var body io.ReadCloser = emptyBody{}
	if b := v.Get("body"); b.Truthy() {
		body = &fetchBody{ctx: ctx, abort: abort, reader: b.Call("getReader")}
	}
	return &Response{StatusCode: v.Get("status").Int(), Body: body, header: header}, nil
}

// await waits for a promise; cancelling ctx aborts the request.
func await(ctx context.Context, abort, promise js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	done := make(chan result, 1)
	ok := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- result{v: args[0]}
		return nil
	})
	fail := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "richiesta non riuscita"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		done <- result{err: errors.New(msg)}
		return nil
	})
	defer ok.Release()
	defer fail.Release()
	promise.Call("then", ok, fail)
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		abort.Call("abort")
		<-done // the promise settles (rejected) once aborted; then the callbacks may go
		return js.Value{}, ctx.Err()
	}
}

// fetchBody reads a response's stream chunk by chunk, so a caller's limit (io.LimitReader)
// bounds what is held in memory.
type fetchBody struct {
	ctx    context.Context
	abort  js.Value
	reader js.Value
	buf    []byte
	eof    bool
}

func (b *fetchBody) Read(p []byte) (int, error) {
	for len(b.buf) == 0 {
		if b.eof {
			return 0, io.EOF
		}
		v, err := await(b.ctx, b.abort, b.reader.Call("read"))
		if err != nil {
			return 0, err
		}
		if v.Get("done").Bool() {
			b.eof = true
			continue
		}
		chunk := v.Get("value")
		b.buf = make([]byte, chunk.Get("length").Int())
		js.CopyBytesToGo(b.buf, chunk)
	}
	n := copy(p, b.buf)
	b.buf = b.buf[n:]
	return n, nil
}

func (b *fetchBody) Close() error {
	if !b.eof {
		b.reader.Call("cancel")
		b.eof = true
	}
	return nil
}

type emptyBody struct{}

func (emptyBody) Read([]byte) (int, error) { return 0, io.EOF }
func (emptyBody) Close() error             { return nil }
