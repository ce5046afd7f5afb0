package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"nullaosta/app/store"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// maxBatchBytes is the most Send puts in one request: under the server's limit for batch
// sends (shared.MaxBatchBytes), with room for the envelope. Computed on the first send, not
// at start: the limit is derived from both modules' schemas, whose building was a third of
// Go's package initialisers in the trace of the app's start.
func maxBatchBytes() int { return shared.MaxBatchBytes() - 1<<10 }

type submission struct {
	SubmissionID string      `json:"submissionId"`
	ModuleID     string      `json:"moduleId"`
	Data         shared.Data `json:"data"`
}

// Send submits queued items (POST /submissions), as many per request as fit in maxBatchBytes,
// and returns one result per answered submission. If a later request fails, the results of
// the earlier ones are returned with the error: those modules are settled, the rest are not.
// It implements outbox.Sender.
func (c *Client) Send(ctx context.Context, items []store.OutboxItem) ([]SubmissionResult, error) {
	limit := maxBatchBytes()
	if c.batchLimit > 0 {
		limit = c.batchLimit
	}
	batches, err := batch(items, limit)
	if err != nil {
		return nil, err
	}
	var results []SubmissionResult
	for _, b := range batches {
		var out struct {
			Results []SubmissionResult `json:"results"`
		}
		body := struct {
			Submissions []json.RawMessage `json:"submissions"`
		}{b}
		if err := c.do(ctx, http.MethodPost, "/submissions", body, &out); err != nil {
			return results, err
		}
		results = append(results, out.Results...)
	}
	return results, nil
}

// batch encodes items and groups them so each group's encoding stays under limit and holds at
// most shared.MaxBatchItems (an item larger than limit goes alone, and the server answers
// too_large for it).
func batch(items []store.OutboxItem, limit int) ([][]json.RawMessage, error) {
	var out [][]json.RawMessage
	var cur []json.RawMessage
	size := 0
	for _, it := range items {
		b, err := json.Marshal(submission{it.SubmissionID, it.ModuleID, it.Data})
		if err != nil {
			return nil, fmt.Errorf("modulo %s: %w", it.ModuleID, err)
		}
		if len(cur) > 0 && (size+len(b)+1 > limit || len(cur) == shared.MaxBatchItems) {
			out = append(out, cur)
			cur, size = nil, 0
		}
		cur = append(cur, b)
		size += len(b) + 1
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out, nil
}

// Receipts lists the user's receipts from the server.
func (c *Client) Receipts(ctx context.Context) ([]Receipt, error) {
	var rs []Receipt
	err := c.do(ctx, http.MethodGet, "/receipts", nil, &rs)
	return rs, err
}

// ReceiptPDFURL is the address of a receipt's PDF, for a download link (works with the
// session cookie; with an import token use ReceiptPDF).
func (c *Client) ReceiptPDFURL(protocol string) string {
	return c.base + APIPrefix + "/receipts/" + url.PathEscape(protocol) + "/pdf"
}

// ReceiptPDF downloads a receipt's PDF.
func (c *Client) ReceiptPDF(ctx context.Context, protocol string) ([]byte, error) {
	resp, err := c.send(ctx, http.MethodGet, "/receipts/"+url.PathEscape(protocol)+"/pdf", "application/pdf", nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, readError(resp)
	}
	return io.ReadAll(io.LimitReader(resp.Body, maxResponse))
}

// PublicKey returns the key that verifies receipts' signatures.
func (c *Client) PublicKey(ctx context.Context) (keyID, publicKey string, err error) {
	var out struct {
		KeyID     string `json:"keyId"`
		PublicKey string `json:"publicKey"`
	}
	err = c.do(ctx, http.MethodGet, "/receipts/public-key", nil, &out)
	return out.KeyID, out.PublicKey, err
}

// ReceiptKeys returns every key the server's receipts are or were signed with (GET
// /receipts/keys), to keep on the device for verifying receipt codes offline.
func (c *Client) ReceiptKeys(ctx context.Context) (wire.ReceiptKeys, error) {
	var out wire.ReceiptKeys
	err := c.do(ctx, http.MethodGet, "/receipts/keys", nil, &out)
	return out, err
}
