package site

import (
	"errors"
	"syscall/js"
	"time"
)

// The page's bridge to web/js/verifica.js, loaded on the page's first use so that no other
// page pays for it; the QR decoder it may load (jsQR) stays out of app.wasm.

const bridgeScript = "/web/js/verifica.js"

func bridge() (js.Value, error) {
	w := js.Global()
	if b := w.Get("nullaostaQR"); b.Truthy() {
		return b, nil
	}
	doc := w.Get("document")
	s := doc.Call("querySelector", `script[src="`+bridgeScript+`"]`)
	if !s.Truthy() {
		s = doc.Call("createElement", "script")
		s.Set("src", bridgeScript)
		doc.Get("head").Call("appendChild", s)
	}
	done := make(chan error, 1)
	var onLoad, onErr js.Func
	onLoad = js.FuncOf(func(js.Value, []js.Value) any { done <- nil; return nil })
	onErr = js.FuncOf(func(js.Value, []js.Value) any {
		done <- errors.New("la pagina non ha potuto caricare il proprio lettore di codici: aprila una volta con la connessione")
		return nil
	})
	s.Call("addEventListener", "load", onLoad)
	s.Call("addEventListener", "error", onErr)
	// Loaded meanwhile (a second call while the first waited)?
	if b := w.Get("nullaostaQR"); b.Truthy() {
		return b, nil
	}
	err := <-done
	s.Call("removeEventListener", "load", onLoad)
	s.Call("removeEventListener", "error", onErr)
	onLoad.Release()
	onErr.Release()
	if err != nil {
		return js.Value{}, err
	}
	return w.Get("nullaostaQR"), nil
}

func await(p js.Value) (js.Value, error) {
	ch := make(chan struct {
		v   js.Value
		err error
	}, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any {
		v := js.Null()
		if len(args) > 0 {
			v = args[0]
		}
		ch <- struct {
			v   js.Value
			err error
		}{v: v}
		return nil
	})
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "errore sconosciuto"
		if len(args) > 0 {
			if m := args[0].Get("message"); m.Type() == js.TypeString {
				msg = m.String()
			} else {
				msg = js.Global().Get("String").Invoke(args[0]).String()
			}
		}
		ch <- struct {
			v   js.Value
			err error
		}{err: errors.New(msg)}
		return nil
	})
	p.Call("then", then, catch)
	r := <-ch
	then.Release()
	catch.Release()
	return r.v, r.err
}

// chosenFile is the first file of the file input id.
func chosenFile(id string) (f js.Value, name string, size int, isPDF bool, err error) {
	in := js.Global().Get("document").Call("getElementById", id)
	if !in.Truthy() || in.Get("files").Length() == 0 {
		return js.Value{}, "", 0, false, errNoFile
	}
	f = in.Get("files").Index(0)
	name = f.Get("name").String()
	return f, name, f.Get("size").Int(), f.Get("type").String() == "application/pdf", nil
}

// readChosen returns the chosen file's name and, for a PDF, its bytes; for an image, the
// text of the QR code in it ("" when none was found).
func readChosen(id string) (name string, pdf []byte, qrText string, err error) {
	f, name, size, isPDF, err := chosenFile(id)
	if err != nil {
		return "", nil, "", err
	}
	if size > maxFileBytes {
		return name, nil, "", errTooBig
	}
	b, err := bridge()
	if err != nil {
		return name, nil, "", err
	}
	if isPDF || hasPDFName(name) {
		v, err := await(b.Call("readFile", f))
		if err != nil {
			return name, nil, "", err
		}
		pdf = make([]byte, v.Length())
		js.CopyBytesToGo(pdf, v)
		return name, pdf, "", nil
	}
	v, err := await(b.Call("decodeImage", f))
	if err != nil {
		return name, nil, "", errNotImage
	}
	if v.Type() == js.TypeString {
		qrText = v.String()
	}
	return name, nil, qrText, nil
}

// startCamera shows the camera in the video element id until a frame holds a QR code; it
// returns a function that stops it. onCode and onError are called once, from JavaScript.
func startCamera(videoID string, onCode, onError func(string)) (stop func(), err error) {
	b, err := bridge()
	if err != nil {
		return nil, err
	}
	var video js.Value
	for i := 0; i < 50 && !video.Truthy(); i++ { // rendered by the click's update
		if i > 0 {
			time.Sleep(20 * time.Millisecond)
		}
		video = js.Global().Get("document").Call("getElementById", videoID)
	}
	if !video.Truthy() {
		return nil, errors.New("manca il riquadro della fotocamera")
	}
	var codeFn, errFn js.Func
	release := func() { codeFn.Release(); errFn.Release() }
	codeFn = js.FuncOf(func(_ js.Value, args []js.Value) any {
		go func() { onCode(args[0].String()); release() }()
		return nil
	})
	errFn = js.FuncOf(func(_ js.Value, args []js.Value) any {
		go func() { onError(args[0].String()); release() }()
		return nil
	})
	jsStop := b.Call("startCamera", video, codeFn, errFn)
	return func() { jsStop.Invoke() }, nil
}

// decoderName says which QR decoder the browser uses: "BarcodeDetector" or "jsQR".
func decoderName() string {
	b, err := bridge()
	if err != nil {
		return ""
	}
	v, err := await(b.Call("decoder"))
	if err != nil || v.Type() != js.TypeString {
		return ""
	}
	return v.String()
}
