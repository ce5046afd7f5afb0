package shared

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ReceiptCodePrefix opens every receipt code: it names the format and its version, and is the
// marker the verification page looks for in the raw bytes of a receipt's PDF.
const ReceiptCodePrefix = "NULLAOSTA-R1"

// MaxReceiptCode bounds the text a code is read from: a real one is under 300 bytes.
const MaxReceiptCode = 1024

// ReceiptCode is a receipt in the compact, self-verifying form printed as the receipt's QR
// code: who sent what, when, and the server's Ed25519 signature over all of it, so that anyone
// holding the server's public keys can check it with no connection. The text form is
//
//	NULLAOSTA-R1|protocol|moduleId|campaignId|employerCF|worker|receivedAt|sha256|keyId|signature
//
// ASCII only, fields separated by "|": text fields keep printable ASCII as is and write any
// other byte (and "|", "%", "(", ")", "\") as %XX of its UTF-8; sha256 and signature are
// unpadded base64url; keyId is 16 hex digits. The signature covers the text up to the last
// "|" exactly as written, so changing any byte of the code makes it fail.
type ReceiptCode struct {
	Protocol   string // "EM2009-0000001"
	ModuleID   string
	CampaignID string
	EmployerCF string // the employer's codice fiscale
	Worker     string // the worker as the receipt shows them: «PERERA Nimal», or a numerica line
	ReceivedAt string // UTC, as wire.Receipt.ReceivedAt
	SHA256     string // hex of the canonical content, as wire.Receipt.SHA256
	KeyID      string // ReceiptKeyID of the signing key
	Signature  []byte // Ed25519 over SignedText
}

// Why a code does not verify; VerifyReceiptCode wraps one of these with the details.
var (
	ErrNotReceiptCode = errors.New("non è una ricevuta di Nullaosta")
	ErrUnknownKey     = errors.New("chiave sconosciuta")
	ErrAltered        = errors.New("ricevuta alterata")
)

// ReceiptKeyID names a public key: the first 8 bytes of its SHA-256, in hex.
func ReceiptKeyID(pub []byte) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:8])
}

// SignedText is what the signature covers: the code's text up to its last "|".
func (c *ReceiptCode) SignedText() (string, error) {
	sum, err := hex.DecodeString(c.SHA256)
	if err != nil || len(sum) != sha256.Size {
		return "", fmt.Errorf("%w: lo SHA-256 del contenuto non è di 64 cifre esadecimali", ErrNotReceiptCode)
	}
	if !isKeyID(c.KeyID) {
		return "", fmt.Errorf("%w: l'identificativo della chiave non è di 16 cifre esadecimali", ErrNotReceiptCode)
	}
	parts := []string{ReceiptCodePrefix}
	for _, f := range []string{c.Protocol, c.ModuleID, c.CampaignID, c.EmployerCF, c.Worker, c.ReceivedAt} {
		parts = append(parts, escapeCodeField(f))
	}
	parts = append(parts, base64.RawURLEncoding.EncodeToString(sum), c.KeyID)
	return strings.Join(parts, "|") + "|", nil
}

// Sign sets the key id and the signature with priv.
func (c *ReceiptCode) Sign(priv ed25519.PrivateKey) error {
	c.KeyID = ReceiptKeyID(priv.Public().(ed25519.PublicKey))
	text, err := c.SignedText()
	if err != nil {
		return err
	}
	c.Signature = ed25519.Sign(priv, []byte(text))
	return nil
}

// String is the code's text, as printed in the QR code.
func (c *ReceiptCode) String() string {
	text, _ := c.SignedText()
	return text + base64.RawURLEncoding.EncodeToString(c.Signature)
}

// ParseReceiptCode reads a code's text (surrounding white space is ignored). It checks the
// form only; VerifyReceiptCode checks the signature.
func ParseReceiptCode(s string) (*ReceiptCode, error) {
	s = strings.TrimSpace(s)
	if len(s) > MaxReceiptCode {
		return nil, fmt.Errorf("%w: il testo è troppo lungo (%d caratteri, al massimo %d)", ErrNotReceiptCode, len(s), MaxReceiptCode)
	}
	if !strings.HasPrefix(s, ReceiptCodePrefix+"|") {
		return nil, fmt.Errorf("%w: il testo non comincia con %s", ErrNotReceiptCode, ReceiptCodePrefix)
	}
	parts := strings.Split(s, "|")
	if len(parts) != 10 {
		return nil, fmt.Errorf("%w: servono 10 campi separati da «|», ce ne sono %d", ErrNotReceiptCode, len(parts))
	}
	var c ReceiptCode
	text := []*string{&c.Protocol, &c.ModuleID, &c.CampaignID, &c.EmployerCF, &c.Worker, &c.ReceivedAt}
	for i, dst := range text {
		v, err := unescapeCodeField(parts[i+1])
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNotReceiptCode, err)
		}
		*dst = v
	}
	if c.Protocol == "" || c.ModuleID == "" {
		return nil, fmt.Errorf("%w: mancano il protocollo o il codice del modulo", ErrNotReceiptCode)
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000Z", c.ReceivedAt); err != nil {
		return nil, fmt.Errorf("%w: l'istante di ricezione «%s» non è leggibile", ErrNotReceiptCode, c.ReceivedAt)
	}
	sum, err := base64.RawURLEncoding.Strict().DecodeString(parts[7])
	if err != nil || len(sum) != sha256.Size {
		return nil, fmt.Errorf("%w: lo SHA-256 del contenuto non è leggibile", ErrNotReceiptCode)
	}
	c.SHA256 = hex.EncodeToString(sum)
	c.KeyID = parts[8]
	if !isKeyID(c.KeyID) {
		return nil, fmt.Errorf("%w: l'identificativo della chiave non è di 16 cifre esadecimali", ErrNotReceiptCode)
	}
	if c.Signature, err = base64.RawURLEncoding.Strict().DecodeString(parts[9]); err != nil || len(c.Signature) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%w: la firma non è leggibile", ErrNotReceiptCode)
	}
	return &c, nil
}

// VerifyReceiptCode reads a code's text and checks its signature with the key it names among
// keys (key id → Ed25519 public key). The error wraps ErrNotReceiptCode, ErrUnknownKey or
// ErrAltered and says, in Italian, what to do.
func VerifyReceiptCode(s string, keys map[string][]byte) (*ReceiptCode, error) {
	c, err := ParseReceiptCode(s)
	if err != nil {
		return nil, err
	}
	pub, ok := keys[c.KeyID]
	if !ok || len(pub) != ed25519.PublicKeySize {
		return c, fmt.Errorf("%w: la ricevuta è firmata con la chiave %s, che questo dispositivo non conosce; apri la pagina una volta con la connessione per aggiornare le chiavi del server", ErrUnknownKey, c.KeyID)
	}
	// Verify exactly the text as read: a re-encoded field (%41 for A) is a changed byte too.
	raw := strings.TrimSpace(s)
	signed := raw[:strings.LastIndexByte(raw, '|')+1]
	if canon, _ := c.SignedText(); canon != signed || !ed25519.Verify(ed25519.PublicKey(pub), []byte(signed), c.Signature) {
		return c, fmt.Errorf("%w: la firma non corrisponde ai dati, che sono stati modificati dopo il rilascio", ErrAltered)
	}
	return c, nil
}

// FindReceiptCode finds a receipt code in b: pasted text, or the raw bytes of the receipt's
// PDF, which carries the code as text in its metadata, so that no PDF needs rendering. It
// returns the first candidate that has the form of a code; ok is false when there is none.
func FindReceiptCode(b []byte) (code string, ok bool) {
	marker := []byte(ReceiptCodePrefix + "|")
	for i := 0; i < 64; i++ { // a PDF holds the marker a few times at most
		at := bytes.Index(b, marker)
		if at < 0 {
			return "", false
		}
		end, bars := at, 0
		for end < len(b) && end-at <= MaxReceiptCode && isCodeByte(b[end], bars == 9) {
			if b[end] == '|' {
				bars++
			}
			end++
		}
		cand := string(b[at:end])
		if _, err := ParseReceiptCode(cand); err == nil {
			return cand, true
		}
		b = b[at+len(marker):]
	}
	return "", false
}

// isCodeByte reports whether c may appear in a code's text; in the signature, the last field,
// only base64url may, so a code pasted within a sentence ends where its signature does.
func isCodeByte(c byte, signature bool) bool {
	if signature {
		return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
	}
	return c >= ' ' && c < 0x7f && c != '(' && c != ')' && c != '\\'
}

func isKeyID(s string) bool {
	if len(s) != 16 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

const hexDigits = "0123456789ABCDEF"

// escapeCodeField writes s in the code's ASCII alphabet.
func escapeCodeField(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= ' ' && c < 0x7f && c != '|' && c != '%' && c != '(' && c != ')' && c != '\\' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func unescapeCodeField(s string) (string, error) {
	if !strings.Contains(s, "%") {
		return s, nil
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b = append(b, s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", errors.New("una sequenza %XX è troncata")
		}
		v, err := hex.DecodeString(s[i+1 : i+3])
		if err != nil {
			return "", fmt.Errorf("«%s» non è una sequenza %%XX", s[i:i+3])
		}
		b = append(b, v[0])
		i += 2
	}
	return string(b), nil
}
