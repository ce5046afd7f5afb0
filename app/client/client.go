// Package client is the typed client of the server's HTTP API (docs/API.md), used by the UI and
// by the send queue. It runs natively and in the browser, where it calls fetch (transport_fetch.go)
// and the session cookie is the browser's own.
package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// APIPrefix is where the API lives under the base URL.
const APIPrefix = "/api/v1"

// maxResponse bounds what is read of an answer: the largest, GET /import, holds a user's
// modules, far below this.
const maxResponse = 64 << 20

// Client calls one server. It is safe for concurrent use; WithToken returns a copy, so a token
// never leaks into the client the rest of the UI uses.
type Client struct {
	base  string
	tr    Transport
	token string

	batchLimit int // bytes per POST /submissions; 0 means maxBatchBytes() (tests lower it)

	pages *pageCursors // where the Sportello's list pages start (backoffice.go)
	clock *serverClock // the server's clock as its answers' Date headers tell it
}

// New returns a client for the server at baseURL: scheme and host ("https://host:port"; a
// trailing slash is ignored), or "" in the browser for the page's own origin, where fetch
// sends the session cookie by itself. A nil transport means fetch in the browser and
// http.DefaultClient natively; natively, give it HTTP(a client with a cookie jar) to keep a
// session.
func New(baseURL string, transport Transport) *Client {
	if transport == nil {
		transport = defaultTransport()
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), tr: transport, pages: &pageCursors{}, clock: &serverClock{}}
}

// WithToken returns a copy that authenticates with an import token (Authorization: Bearer)
// instead of the cookie: import, send and receipts work with it.
func (c *Client) WithToken(token string) *Client {
	cp := *c
	cp.token = token
	return &cp
}

// BaseURL returns the server's base URL as given to New.
func (c *Client) BaseURL() string { return c.base }

// do sends a JSON request and decodes a JSON answer into out (when out is not nil). Any status
// other than 2xx becomes an *Error; a request that got no answer becomes an offline error.
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	resp, err := c.send(ctx, method, path, "application/json", in)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return readError(resp)
	}
	if out == nil || resp.StatusCode == 204 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
		return nil
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxResponse)).Decode(out); err != nil {
		return fmt.Errorf("risposta del server illeggibile (%s %s): %w", method, path, err)
	}
	return nil
}

// send builds and sends the request, leaving the answer to the caller.
func (c *Client) send(ctx context.Context, method, path, accept string, in any) (*Response, error) {
	req := &Request{Method: method, URL: c.base + APIPrefix + path, Header: map[string]string{"Accept": accept}}
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		req.Body = b
		req.Header["Content-Type"] = "application/json"
	}
	if c.token != "" {
		req.Header["Authorization"] = "Bearer " + c.token
	}
	sent := time.Now()
	resp, err := c.tr.RoundTrip(ctx, req)
	if err == nil {
		c.clock.observe(resp.Header("Date"), sent, time.Now())
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &OfflineError{Err: err}
	}
	return resp, nil
}

// ServerOffset is how far the server's clock is ahead of this device's (negative: behind),
// from the Date header of its answers; ok is false before any answer carried one. Date has
// whole seconds, so each answer bounds the offset; this is the tightest lower bound, so that
// local time + offset never runs ahead of the server: a send scheduled for the server's
// instant T at local T - offset never arrives early (it may be late by the bounds' gap, under
// a second once a few answers have narrowed it).
func (c *Client) ServerOffset() (offset time.Duration, ok bool) {
	c.clock.mu.Lock()
	defer c.clock.mu.Unlock()
	return c.clock.offset, c.clock.known
}

type serverClock struct {
	mu     sync.Mutex
	known  bool
	offset time.Duration
	low    time.Duration // the offset is at least this…
	high   time.Duration // …and less than this
}

// observe narrows the offset with one answer: the server wrote date (truncated to the
// second) between sent and received by the local clock, so
// date - received <= offset < date + 1s - sent.
func (k *serverClock) observe(date string, sent, received time.Time) {
	t, err := http.ParseTime(date)
	if err != nil {
		return
	}
	low, high := t.Sub(received), t.Add(time.Second).Sub(sent)
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.known && (low > k.high || high < k.low) {
		k.known = false // the device's clock was changed: start again
	}
	if !k.known {
		k.low, k.high, k.known = low, high, true
	} else {
		k.low, k.high = max(k.low, low), min(k.high, high)
	}
	k.offset = k.low
}
