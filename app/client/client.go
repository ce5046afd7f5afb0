// Package client is the typed client of the server's HTTP API (docs/API.md), used by the UI and
// by the send queue. It runs natively and in the browser, where it calls fetch (transport_fetch.go)
// and the session cookie is the browser's own.
package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
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

	batchLimit int // bytes per POST /submissions; 0 means MaxBatchBytes (tests lower it)

	pages *pageCursors // where the Sportello's list pages start (backoffice.go)
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
	return &Client{base: strings.TrimRight(baseURL, "/"), tr: transport, pages: &pageCursors{}}
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
	resp, err := c.tr.RoundTrip(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &OfflineError{Err: err}
	}
	return resp, nil
}
