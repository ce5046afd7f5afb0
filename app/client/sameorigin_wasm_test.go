//go:build js && wasm

package client_test

import (
	"context"
	"strings"
	"testing"

	"nullaosta/app/client"
)

// TestSameOrigin checks that an empty base URL calls the page's own origin through fetch.
// The test page's server answers unknown paths with an empty 200, so the request arrives
// (not offline) and the empty body fails to decode.
func TestSameOrigin(t *testing.T) {
	_, err := client.New("", nil).RefDataVersion(context.Background())
	if err == nil || client.IsOffline(err) || !strings.Contains(err.Error(), "illeggibile") {
		t.Fatalf("same-origin request: %v", err)
	}
}
