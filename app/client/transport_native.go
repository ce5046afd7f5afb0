//go:build !(js && wasm)

package client

import "net/http"

func defaultTransport() Transport { return HTTP(http.DefaultClient) }
