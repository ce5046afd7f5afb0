// Package wire holds the JSON shapes of the HTTP API (docs/API.md), shared by the server and
// the browser client so both sides read and write the same fields.
//
// Only the shapes that are the same on both sides live here; server/core and app/client
// refer to them with type aliases. Standard library and nullaosta/shared only: it is compiled
// into the browser client (GOOS=js GOARCH=wasm) too.
package wire
