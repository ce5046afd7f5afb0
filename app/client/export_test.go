package client

// Do exposes the request helper to the external tests, for answers no method asks for.
var Do = (*Client).do

// SetBatchLimit lowers the bytes per POST /submissions, so that tests need no megabytes.
func SetBatchLimit(c *Client, n int) { c.batchLimit = n }

// Transport is the client's transport (the default one when New was given nil).
func (c *Client) Transport() Transport { return c.tr }
