package site

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"nullaosta/app/client"
	"nullaosta/app/internal/apptest"
	"nullaosta/app/session"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

func signedCode(t *testing.T, priv ed25519.PrivateKey) string {
	t.Helper()
	c := &shared.ReceiptCode{Protocol: "EM2009-0000007", ModuleID: "EM-7K3Q-9XHD-4", CampaignID: "em2009",
		EmployerCF: "BNCGNN58C52D205K", Worker: "PERERA Kumari", ReceivedAt: "2009-09-15T08:00:00.000Z",
		SHA256: strings.Repeat("ab", 32)}
	if err := c.Sign(priv); err != nil {
		t.Fatal(err)
	}
	return c.String()
}

func key(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func keysJSON(pubs ...ed25519.PublicKey) wire.ReceiptKeys {
	var ks wire.ReceiptKeys
	for i, pub := range pubs {
		ks.Keys = append(ks.Keys, wire.ReceiptKey{KeyID: shared.ReceiptKeyID(pub), Algorithm: "Ed25519",
			PublicKey: base64.StdEncoding.EncodeToString(pub), Current: i == 0})
	}
	return ks
}

// TestReceiptKeysKeptForOffline: the keys fetched once stay on the device and serve when the
// server cannot be reached; a key whose id is not its own hash is not kept.
func TestReceiptKeysKeptForOffline(t *testing.T) {
	cur, old := key(1), key(2)
	ks := keysJSON(cur.Public().(ed25519.PublicKey), old.Public().(ed25519.PublicKey))
	forged := key(3).Public().(ed25519.PublicKey)
	ks.Keys = append(ks.Keys, wire.ReceiptKey{KeyID: shared.ReceiptKeyID(cur.Public().(ed25519.PublicKey))[:15] + "0",
		Algorithm: "Ed25519", PublicKey: base64.StdEncoding.EncodeToString(forged)})
	_, st := apptest.UseFakeAPI(t, apptest.EmDay, map[string]http.HandlerFunc{
		"GET /receipts/keys": func(w http.ResponseWriter, r *http.Request) { apptest.WriteJSON(w, 200, ks) },
	})
	ctx := context.Background()
	if keys, err := session.ReceiptKeys(ctx); err != nil || len(keys) != 0 {
		t.Fatalf("before any refresh: %v, %v", keys, err)
	}
	if err := session.RefreshReceiptKeys(ctx); err != nil {
		t.Fatal(err)
	}
	// The server goes away: the device keeps what it fetched.
	session.Use(session.Env{Store: st, API: client.New("http://127.0.0.1:1", nil), Now: time.Now})
	if err := session.RefreshReceiptKeys(ctx); !client.IsOffline(err) {
		t.Fatalf("refresh with no server: %v", err)
	}
	keys, err := session.ReceiptKeys(ctx)
	if err != nil || len(keys) != 2 {
		t.Fatalf("kept keys: %d, %v", len(keys), err)
	}
	// An old receipt (signed with the retired key) verifies offline.
	if v := judge(signedCode(t, old), sourcePasted, keys); !v.OK {
		t.Fatalf("retired key's receipt: %+v", v)
	}
}

func TestJudge(t *testing.T) {
	priv := key(4)
	keys := map[string][]byte{shared.ReceiptKeyID(priv.Public().(ed25519.PublicKey)): priv.Public().(ed25519.PublicKey)}
	code := signedCode(t, priv)
	i := strings.Index(code, "PERERA")
	for _, tc := range []struct {
		name, text, title string
		keys              map[string][]byte
	}{
		{"authentic", code, "Ricevuta autentica", keys},
		{"one byte changed", code[:i] + "B" + code[i+1:], "Ricevuta alterata", keys},
		{"unknown key", code, "Chiave sconosciuta", map[string][]byte{}},
		{"another QR code", "https://example.org/menu", "Non è una ricevuta", keys},
	} {
		v := judge(tc.text, sourcePasted, tc.keys)
		if v.Title != tc.title || v.OK != (tc.title == "Ricevuta autentica") || (!v.OK && v.Reason == "") {
			t.Errorf("%s: %+v", tc.name, v)
		}
	}
	// No key at all on the device: the page says how to get them.
	if v := judge(code, sourcePasted, nil); !strings.Contains(v.Reason, "con la connessione") {
		t.Errorf("no keys: %q", v.Reason)
	}

	// Files: the code in a PDF's bytes, a PDF without one, a photo with no QR code in it.
	pdf := []byte("%PDF-1.3\n1 0 obj << /Keywords (" + code + ") >> endobj\n%%EOF")
	if v := judgeFile("ricevuta-EM2009-0000007.pdf", pdf, "", keys); !v.OK || v.Code.EmployerCF != "BNCGNN58C52D205K" || !strings.Contains(v.Source, "ricevuta-EM2009-0000007.pdf") {
		t.Errorf("PDF: %+v", v)
	}
	if v := judgeFile("altro.pdf", []byte("%PDF-1.4 nothing"), "", keys); v.OK || v.Title != "Non è una ricevuta" || !strings.Contains(v.Reason, "PDF") {
		t.Errorf("PDF without a code: %+v", v)
	}
	if v := judgeFile("foto.jpg", nil, "", keys); v.OK || !strings.Contains(v.Reason, "codice QR leggibile") {
		t.Errorf("photo without a code: %+v", v)
	}
	if v := judgeFile("foto.jpg", nil, code, keys); !v.OK {
		t.Errorf("photo: %+v", v)
	}
}

func TestVerifyPageShowsTheData(t *testing.T) {
	priv := key(5)
	keys := map[string][]byte{shared.ReceiptKeyID(priv.Public().(ed25519.PublicKey)): priv.Public().(ed25519.PublicKey)}
	v := judge(signedCode(t, priv), sourcePasted, keys)
	html := apptest.Render(t, &Verify{keys: keys, result: &v})
	for _, want := range []string{"Ricevuta autentica", "EM2009-0000007", "BNCGNN58C52D205K", "PERERA Kumari",
		"15/09/2009 10:00:00 (ora italiana)", `id="verifica-file"`, `id="verifica-testo"`, `id="verifica-camera"`} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if c, _ := shared.CampaignByID("em2009"); !strings.Contains(html, c.Title) {
		t.Errorf("page lacks the campaign's title %q", c.Title)
	}
	bad := judge("NULLAOSTA-R1|x", sourcePasted, keys)
	html = apptest.Render(t, &Verify{keys: keys, result: &bad})
	if !strings.Contains(html, "Non è una ricevuta") || strings.Contains(html, "Ricevuta autentica") {
		t.Error("a broken code is not reported as such")
	}
}
