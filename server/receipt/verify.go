package receipt

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"nullaosta/server/core"
	"nullaosta/shared"
)

// Parse reads a receipt from JSON: a receipt, or anything that holds one under "receipt" (a
// module, a submission result).
func Parse(b []byte) (*core.Receipt, error) {
	var probe struct {
		Protocol string          `json:"protocol"`
		Receipt  json.RawMessage `json:"receipt"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("la ricevuta non è JSON valido: %v", err)
	}
	if probe.Protocol == "" && len(probe.Receipt) > 0 {
		b = probe.Receipt
	}
	var r core.Receipt
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("la ricevuta non è leggibile: %v", err)
	}
	if r.Protocol == "" || r.Signature == "" {
		return nil, errors.New("il file non contiene una ricevuta (mancano protocol o signature)")
	}
	return &r, nil
}

// FetchPublicKey asks a server for its receipts' public key.
func FetchPublicKey(base string) (ed25519.PublicKey, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	u := strings.TrimRight(base, "/") + "/api/v1/receipts/public-key"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s ha risposto %s", u, res.Status)
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if err != nil {
		return nil, err
	}
	return ParsePublicKey(b)
}

// Covers reports whether content, an application's data as JSON, is what the receipt's
// SHA-256 covers. The error is for content that is not an application's data.
func Covers(r *core.Receipt, content []byte) (bool, error) {
	d, err := shared.ParseData(content)
	if err != nil {
		return false, err
	}
	sum := sha256.Sum256(shared.CanonicalJSON(d))
	return hex.EncodeToString(sum[:]) == r.SHA256, nil
}
