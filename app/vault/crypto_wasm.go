//go:build js && wasm

package vault

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"
)

// In the browser every operation is WebCrypto's (crypto.subtle): PBKDF2 runs natively at
// 600,000 iterations in a fraction of a second, where Go compiled to wasm would take many, and
// the data key is a CryptoKey created non-extractable: no script of the page can read its bytes.

type aeadKey struct{ k js.Value }

func subtle() (js.Value, error) {
	c := js.Global().Get("crypto")
	if !c.Truthy() || !c.Get("subtle").Truthy() {
		return js.Value{}, errors.New("vault: questo browser non offre la crittografia (WebCrypto): apri l'app da un indirizzo https")
	}
	return c.Get("subtle"), nil
}

func bytesJS(b []byte) js.Value {
	a := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

func bytesGo(buf js.Value) []byte {
	a := js.Global().Get("Uint8Array").New(buf)
	b := make([]byte, a.Get("length").Int())
	js.CopyBytesToGo(b, a)
	return b
}

var aesGCM = map[string]any{"name": "AES-GCM", "length": 256}

func deriveKey(ctx context.Context, password string, salt []byte, iter int) (aeadKey, error) {
	s, err := subtle()
	if err != nil {
		return aeadKey{}, err
	}
	pw := bytesJS([]byte(password))
	base, err := await(ctx, s.Call("importKey", "raw", pw, "PBKDF2", false, []any{"deriveKey"}))
	pw.Call("fill", 0)
	if err != nil {
		return aeadKey{}, err
	}
	params := map[string]any{"name": "PBKDF2", "hash": "SHA-256", "salt": bytesJS(salt), "iterations": iter}
	k, err := await(ctx, s.Call("deriveKey", params, base, aesGCM, false, []any{"encrypt", "decrypt"}))
	if err != nil {
		return aeadKey{}, err
	}
	return aeadKey{k: k}, nil
}

// importKey makes a non-extractable AES-GCM key of raw; ctx is not needed, importKey settles
// at once.
func importKey(raw []byte) (aeadKey, error) {
	s, err := subtle()
	if err != nil {
		return aeadKey{}, err
	}
	r := bytesJS(raw)
	k, err := await(context.Background(), s.Call("importKey", "raw", r, "AES-GCM", false, []any{"encrypt", "decrypt"}))
	r.Call("fill", 0)
	if err != nil {
		return aeadKey{}, err
	}
	return aeadKey{k: k}, nil
}

func gcmParams(iv, aad []byte) map[string]any {
	return map[string]any{"name": "AES-GCM", "iv": bytesJS(iv), "additionalData": bytesJS(aad), "tagLength": 128}
}

func encrypt(ctx context.Context, k aeadKey, iv, aad, plain []byte) ([]byte, error) {
	s, err := subtle()
	if err != nil {
		return nil, err
	}
	v, err := await(ctx, s.Call("encrypt", gcmParams(iv, aad), k.k, bytesJS(plain)))
	if err != nil {
		return nil, err
	}
	return bytesGo(v), nil
}

func decrypt(ctx context.Context, k aeadKey, iv, aad, ct []byte) ([]byte, error) {
	s, err := subtle()
	if err != nil {
		return nil, err
	}
	v, err := await(ctx, s.Call("decrypt", gcmParams(iv, aad), k.k, bytesJS(ct)))
	if err != nil {
		return nil, err
	}
	return bytesGo(v), nil
}

// await waits for a JS promise. The callbacks are released only once the promise settles,
// even when ctx ends first: releasing them earlier would make a late settlement panic.
func await(ctx context.Context, promise js.Value) (js.Value, error) {
	type outcome struct {
		v   js.Value
		err error
	}
	ch := make(chan outcome, 1)
	then := js.FuncOf(func(this js.Value, args []js.Value) any {
		v := js.Undefined()
		if len(args) > 0 {
			v = args[0]
		}
		ch <- outcome{v: v}
		return nil
	})
	catch := js.FuncOf(func(this js.Value, args []js.Value) any {
		msg := "errore sconosciuto"
		if len(args) > 0 {
			msg = js.Global().Get("String").Invoke(args[0]).String()
		}
		ch <- outcome{err: fmt.Errorf("vault: WebCrypto: %s", msg)}
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
