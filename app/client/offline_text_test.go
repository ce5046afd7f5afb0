package client

import (
	"errors"
	"strings"
	"testing"
)

// TestOfflineErrorIsOneItalianSentence: a request with no answer reads as the connection
// banner does, without the browser's English («Failed to fetch», «net/http: fetch() failed»).
func TestOfflineErrorIsOneItalianSentence(t *testing.T) {
	err := error(&OfflineError{Err: errors.New(`Post "http://127.0.0.1/api/v1/submissions": net/http: fetch() failed: TypeError: Failed to fetch`)})
	msg := err.Error()
	for _, english := range []string{"Post", "http", "fetch", "TypeError", "Failed"} {
		if strings.Contains(msg, english) {
			t.Errorf("the message carries %q: %s", english, msg)
		}
	}
	if !strings.HasPrefix(msg, "Server non raggiungibile") || !IsOffline(err) {
		t.Errorf("message %q (offline %v)", msg, IsOffline(err))
	}
}
