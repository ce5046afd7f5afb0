// Command wasm is the browser half of Nullaosta: the compiler as WebAssembly. It imports only
// the app package and go-app, never server code:
//
//	GOOS=js GOARCH=wasm go build -o web/app.wasm ./app/wasm
package main

import (
	"runtime/debug"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app"
)

// gcPercent is the app's GOGC. Its live heap is small (about 3 MB while a module is being
// filled in), and in WebAssembly the collector marks all of it in one go on the page's only
// thread: with the default 100 a collection came every ~2.5 MB allocated, about twenty while a
// module is filled in and typed over, and the keystroke that met one waited for the whole
// mark. At 400 they are four times rarer, for about 10 MB more memory.
const gcPercent = 400

// main runs after the Go runtime and every package's initialiser, in the task of go.run; each
// step then gets a task of its own (app.GiveTurn): the store and who is logged in, then the
// first render. On a cold load V8 compiles every Go function on its first call, on the page's
// main thread, so these steps are long on a slow phone, and one task for all of them kept the
// page from answering input for its whole length.
func main() {
	if app.WarmingUp() {
		return
	}
	debug.SetGCPercent(gcPercent)
	app.GiveTurn()
	app.RegisterRoutes()
	app.Start()
	app.GiveTurn()
	goapp.RunWhenOnBrowser()
}
