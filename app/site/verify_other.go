//go:build !(js && wasm)

package site

import "errors"

// Outside the browser there is no file to choose and no camera: the page renders, and its
// verification (judge) is tested on its own.

var errNoBrowser = errors.New("serve il browser")

func readChosen(string) (string, []byte, string, error) { return "", nil, "", errNoBrowser }

func startCamera(string, func(string), func(string)) (func(), error) { return nil, errNoBrowser }

func decoderName() string { return "" }
