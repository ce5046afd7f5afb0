// Command wasm is the browser half of Nullaosta: the compiler as WebAssembly. It imports only
// the app package and go-app, never server code:
//
//	GOOS=js GOARCH=wasm go build -o web/app.wasm ./app/wasm
package main

import (
	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app"
)

func main() {
	app.RegisterRoutes()
	app.Start()
	goapp.RunWhenOnBrowser()
}
