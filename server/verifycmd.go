package main

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"nullaosta/server/core"
	"nullaosta/server/receipt"
	"nullaosta/shared"
)

// verifyCmd checks a receipt's Ed25519 signature with a public key from a file or from a
// server, and optionally that an application file is the content it covers. Exit status: 0
// valid, 1 not valid, 2 unusable input.
func verifyCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify-receipt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	keyFile := fs.String("key", "", "chiave pubblica: PEM, JSON di /api/v1/receipts/public-key o base64")
	server := fs.String("server", "", "indirizzo del server da cui leggere la chiave pubblica (es. https://nullaosta.example)")
	content := fs.String("content", "", "facoltativo: il file JSON della domanda inviata, per controllarne lo SHA-256")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "verify-receipt: "+format+"\n", a...)
		return 2
	}
	if fs.NArg() != 1 {
		return fail("serve il file della ricevuta (JSON)")
	}
	if (*keyFile == "") == (*server == "") {
		return fail("indica la chiave pubblica con -key FILE oppure -server URL (uno dei due)")
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return fail("non riesco a leggere la ricevuta: %v", err)
	}
	r, err := parseReceipt(b)
	if err != nil {
		return fail("%v", err)
	}
	var pub ed25519.PublicKey
	if *keyFile != "" {
		kb, err := os.ReadFile(*keyFile)
		if err != nil {
			return fail("non riesco a leggere la chiave: %v", err)
		}
		if pub, err = receipt.ParsePublicKey(kb); err != nil {
			return fail("chiave pubblica: %v", err)
		}
	} else if pub, err = fetchKey(*server); err != nil {
		return fail("chiave pubblica dal server: %v", err)
	}
	if err := receipt.Verify(pub, r); err != nil {
		fmt.Fprintf(stdout, "NON VALIDA: %v.\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "OK: la ricevuta %s (modulo %s, ricevuta il %s, %s) è firmata dalla chiave %s.\n",
		r.Protocol, r.ModuleID, r.ReceivedAtRome, r.Sportello, r.KeyID)
	if *content != "" {
		cb, err := os.ReadFile(*content)
		if err != nil {
			return fail("non riesco a leggere il contenuto: %v", err)
		}
		d, err := shared.ParseData(cb)
		if err != nil {
			return fail("contenuto: %v", err)
		}
		sum := sha256.Sum256(shared.CanonicalJSON(d))
		if hex.EncodeToString(sum[:]) != r.SHA256 {
			fmt.Fprintf(stdout, "NON VALIDA: il contenuto di %s non è quello coperto dalla ricevuta (SHA-256 diverso).\n", *content)
			return 1
		}
		fmt.Fprintf(stdout, "OK: %s è il contenuto inviato (SHA-256 %s).\n", *content, r.SHA256)
	}
	return 0
}

// parseReceipt accepts a receipt, or anything that holds one under "receipt" (a module, a
// submission result).
func parseReceipt(b []byte) (*core.Receipt, error) {
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

func fetchKey(base string) (ed25519.PublicKey, error) {
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
	return receipt.ParsePublicKey(b)
}
