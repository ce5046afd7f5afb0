// Package receipt makes receipts verifiable by anyone: the canonical text of a receipt, its
// Ed25519 signature with the server's key, verification with the published public key, and
// the printable PDF.
package receipt

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"

	"nullaosta/server/core"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// TextVersion is the first line of the canonical text; a new layout would get a new version.
const TextVersion = "nullaosta-ricevuta-v1"

// Text is what the signature covers: TextVersion, then one "name=value" line per field in this
// order, each line ending in "\n", UTF-8, no trailing blank line:
//
//	nullaosta-ricevuta-v1
//	protocol=EM2009-0000001
//	campaignId=em2009
//	moduleId=EM-7K3Q-9XHD-4
//	submissionId=5f0c…
//	receivedAt=2009-09-01T07:00:00.000Z
//	sportello=Sportello Unico per l'Immigrazione di Cuneo
//	provincia=CN
//	sha256=<64 hex digits>
//	keyId=<16 hex digits>
//
// Values are the receipt's JSON fields exactly as served (receivedAtRome is not signed: it is
// receivedAt shown in Europe/Rome). No value may contain a newline; Sign refuses one that does.
func Text(r *core.Receipt) []byte {
	// Written into one buffer of its exact size: every receipt is signed in the writer, and a
	// growing buffer with a string per line were a kilobyte of garbage each.
	fs := fields(r)
	n := len(TextVersion) + 1
	for _, f := range fs {
		n += len(f[0]) + 1 + len(f[1]) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, TextVersion...)
	b = append(b, '\n')
	for _, f := range fs {
		b = append(b, f[0]...)
		b = append(b, '=')
		b = append(b, f[1]...)
		b = append(b, '\n')
	}
	return b
}

func fields(r *core.Receipt) [][2]string {
	return [][2]string{
		{"protocol", r.Protocol},
		{"campaignId", r.CampaignID},
		{"moduleId", r.ModuleID},
		{"submissionId", r.SubmissionID},
		{"receivedAt", r.ReceivedAt},
		{"sportello", r.Sportello},
		{"provincia", r.Provincia},
		{"sha256", r.SHA256},
		{"keyId", r.KeyID},
	}
}

// KeyID names a public key: the first 8 bytes of its SHA-256, in hex.
func KeyID(pub ed25519.PublicKey) string { return shared.ReceiptKeyID(pub) }

// Signer signs receipts with the server's private key. It implements core.Signer.
type Signer struct {
	priv    ed25519.PrivateKey
	pub     ed25519.PublicKey
	keyID   string
	retired []ed25519.PublicKey // keys that signed earlier receipts, still published
	// secret is the private scalar a of priv (RFC 8032 5.1.5), for SignWith.
	secret *edwards25519.Scalar
	// stock holds the nonces Presign made ahead.
	stock nonceStock
}

var _ core.Presigner = (*Signer)(nil)

// NewSigner wraps a private key.
func NewSigner(priv ed25519.PrivateKey) *Signer {
	pub := priv.Public().(ed25519.PublicKey)
	h := sha512.Sum512(priv.Seed())
	a, err := new(edwards25519.Scalar).SetBytesWithClamping(h[:32])
	if err != nil {
		panic(err) // cannot happen: the slice is 32 bytes
	}
	return &Signer{priv: priv, pub: pub, keyID: KeyID(pub), secret: a}
}

// KeyID implements core.Signer.
func (s *Signer) KeyID() string { return s.keyID }

// PublicKey returns the key that verifies this signer's receipts.
func (s *Signer) PublicKey() ed25519.PublicKey { return s.pub }

// Sign sets r.KeyID and r.Signature.
func (s *Signer) Sign(r *core.Receipt) error {
	text, err := s.text(r)
	if err != nil {
		return err
	}
	r.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(s.priv, text))
	return nil
}

// text sets r.KeyID and returns the text to sign.
func (s *Signer) text(r *core.Receipt) ([]byte, error) {
	r.KeyID = s.keyID
	for _, f := range fields(r) {
		if strings.ContainsAny(f[1], "\r\n") {
			return nil, fmt.Errorf("receipt: field %s contains a newline", f[0])
		}
	}
	return Text(r), nil
}

// Presign implements core.Presigner: a random secret r and its commitment R = rB, the scalar
// multiplication that is most of an Ed25519 signature's cost. An Ed25519 signature is
// (R, S = r + H(R‖A‖M)·a); RFC 8032 derives r from the key and the message, so that signing
// needs no randomness, but verification does not look at how r was chosen, only that it is
// secret and never used for two messages. Here it is 64 bytes of crypto/rand reduced modulo
// the group order (uniform), made before the message is known, and spent by SignWith. The
// signatures verify with crypto/ed25519.Verify like Sign's; they are not deterministic (the
// same receipt signed twice gives two valid signatures), and nothing signs a receipt twice.
//
// Nonces are made presignBatch at a time and handed out one by one (nonceStock): a
// commitment R is written as bytes through one field inversion, a tenth of the scalar
// multiplication's cost, and a batch shares a single inversion among all its points
// (Montgomery's trick; TestPresignBatchEncoding compares it with Point.Bytes).
func (s *Signer) Presign() (core.Nonce, error) {
	if n, ok := s.stock.take(); ok {
		return n, nil
	}
	var batch [presignBatch]core.Nonce
	defer clear(batch[:]) // the secrets not handed out or stocked do not linger on the stack
	if err := presignInto(batch[:]); err != nil {
		return core.Nonce{}, err
	}
	s.stock.put(batch[1:])
	return batch[0], nil
}

// presignBatch is how many nonces one Presign makes when the stock is empty: the request
// that makes them spends about 0.7 ms more, and each saves 7–8 µs of its inversion.
const presignBatch = 16

// maxStock bounds the nonces kept: requests that find the stock empty together each make a
// batch, and what would overflow is dropped rather than kept without bound.
const maxStock = 8 * presignBatch

// nonceStock holds nonces made and not yet handed out. Each leaves it once, under the lock,
// and its slot is zeroed: a nonce used for two messages would give away the private key.
type nonceStock struct {
	mu     sync.Mutex
	nonces []core.Nonce
}

func (st *nonceStock) take() (core.Nonce, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	i := len(st.nonces) - 1
	if i < 0 {
		return core.Nonce{}, false
	}
	n := st.nonces[i]
	st.nonces[i] = core.Nonce{}
	st.nonces = st.nonces[:i]
	return n, true
}

// put stocks copies of ns, as many as fit; the caller clears ns.
func (st *nonceStock) put(ns []core.Nonce) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.nonces == nil {
		st.nonces = make([]core.Nonce, 0, maxStock)
	}
	st.nonces = append(st.nonces, ns[:min(len(ns), maxStock-len(st.nonces))]...)
}

// presignInto fills ns with new nonces: for each, a secret r, 64 bytes of crypto/rand reduced
// modulo the group order (uniform), and R = rB encoded as Point.Bytes encodes it, y with the
// sign of x in the top bit, x and y made affine with one inversion for the whole batch.
func presignInto(ns []core.Nonce) error {
	if len(ns) == 0 {
		return nil
	}
	var seed [64]byte
	defer clear(seed[:])
	points := make([]edwards25519.Point, len(ns))
	// z[i] holds Z of point i; prod[i] the product of Z of points 0…i.
	z := make([]field.Element, len(ns))
	prod := make([]field.Element, len(ns))
	var x, y field.Element
	for i := range ns {
		if _, err := rand.Read(seed[:]); err != nil {
			return err
		}
		r, err := new(edwards25519.Scalar).SetUniformBytes(seed[:])
		if err != nil {
			return err
		}
		copy(ns[i][:32], r.Bytes())
		points[i].ScalarBaseMult(r)
		_, _, zi, _ := points[i].ExtendedCoordinates()
		z[i].Set(zi)
		if i == 0 {
			prod[0].Set(zi)
		} else {
			prod[i].Multiply(&prod[i-1], zi)
		}
	}
	// inv is 1/(Z0…Zi) going down from the last i; 1/Zi is then inv·(Z0…Zi-1).
	var inv, zInv field.Element
	inv.Invert(&prod[len(ns)-1])
	for i := len(ns) - 1; i >= 0; i-- {
		if i > 0 {
			zInv.Multiply(&inv, &prod[i-1])
			inv.Multiply(&inv, &z[i])
		} else {
			zInv.Set(&inv)
		}
		px, py, _, _ := points[i].ExtendedCoordinates()
		x.Multiply(px, &zInv)
		y.Multiply(py, &zInv)
		copy(ns[i][32:], y.Bytes())
		ns[i][63] |= byte(x.IsNegative() << 7)
	}
	return nil
}

// SignWith implements core.Presigner: r's signature with the nonce n, which it spends (sets to
// zero) whatever happens. A zero nonce is an error: it was spent already.
func (s *Signer) SignWith(rc *core.Receipt, n *core.Nonce) error {
	nonce := *n
	*n = core.Nonce{}
	if nonce == (core.Nonce{}) {
		return errors.New("receipt: nonce already spent")
	}
	text, err := s.text(rc)
	if err != nil {
		return err
	}
	r, err := new(edwards25519.Scalar).SetCanonicalBytes(nonce[:32])
	if err != nil {
		return fmt.Errorf("receipt: nonce: %w", err)
	}
	h := sha512.New()
	h.Write(nonce[32:])
	h.Write(s.pub)
	h.Write(text)
	var digest [64]byte
	k, err := new(edwards25519.Scalar).SetUniformBytes(h.Sum(digest[:0]))
	if err != nil {
		return err
	}
	var sig [ed25519.SignatureSize]byte
	copy(sig[:32], nonce[32:])
	copy(sig[32:], new(edwards25519.Scalar).MultiplyAdd(k, s.secret, r).Bytes())
	rc.Signature = base64.StdEncoding.EncodeToString(sig[:])
	return nil
}

// SignCode sets c's key id and signature: the receipt's compact form printed as its QR code.
func (s *Signer) SignCode(c *shared.ReceiptCode) error { return c.Sign(s.priv) }

// Keys lists the public keys receipts may be signed with: the current one first, then the
// retired ones, so that a receipt signed before a rotation still verifies.
func (s *Signer) Keys() wire.ReceiptKeys {
	out := wire.ReceiptKeys{Keys: []wire.ReceiptKey{{KeyID: s.keyID, Algorithm: "Ed25519",
		PublicKey: base64.StdEncoding.EncodeToString(s.pub), Current: true}}}
	for _, pub := range s.retired {
		out.Keys = append(out.Keys, wire.ReceiptKey{KeyID: KeyID(pub), Algorithm: "Ed25519",
			PublicKey: base64.StdEncoding.EncodeToString(pub)})
	}
	return out
}

// KeyFile is the private key's file name in the data directory; PublicKeyFile is its public
// half, written beside it for whoever wants to verify offline; RetiredKeysFile holds the
// public halves of the keys that signed before a rotation (PEM blocks, oldest first).
const (
	KeyFile         = "receipt-key.pem"
	PublicKeyFile   = "receipt-public-key.pem"
	RetiredKeysFile = "receipt-retired-keys.pem"
)

// LoadOrCreate reads the signing key from dir, creating it (mode 0600) on first start, and the
// retired public keys beside it.
func LoadOrCreate(dir string) (*Signer, error) {
	s, err := loadOrCreate(dir)
	if err != nil {
		return nil, err
	}
	if s.retired, err = readRetired(dir); err != nil {
		return nil, err
	}
	return s, nil
}

func readRetired(dir string) ([]ed25519.PublicKey, error) {
	path := filepath.Join(dir, RetiredKeysFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []ed25519.PublicKey
	for len(bytes.TrimSpace(b)) > 0 {
		blk, rest := pem.Decode(b)
		if blk == nil {
			return nil, fmt.Errorf("%s: dopo %d chiavi c'è testo che non è un blocco PEM", path, len(out))
		}
		pub, err := ParsePublicKey(pem.EncodeToMemory(blk))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, pub)
		b = rest
	}
	return out, nil
}

// Rotate retires the signing key of dir and makes a new one: the old public key is appended
// to RetiredKeysFile (so the server keeps publishing it and old receipts keep verifying), and
// the new private key replaces KeyFile. A running server picks it up when restarted.
func Rotate(dir string) (old, cur *Signer, err error) {
	if old, err = LoadOrCreate(dir); err != nil {
		return nil, nil, err
	}
	oldPEM, err := PublicKeyPEM(old.pub)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, RetiredKeysFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, err
	}
	if _, err := f.Write(oldPEM); err != nil {
		f.Close()
		return nil, nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, nil, err
	}
	if err := f.Close(); err != nil {
		return nil, nil, err
	}
	// The new key is written beside the old one and renamed over it, so a crash leaves one or
	// the other, never a half-written key; the old public key is already retired by then.
	tmp := filepath.Join(dir, KeyFile+".new")
	os.Remove(tmp)
	if _, err := writeNewKey(dir, tmp); err != nil {
		return nil, nil, err
	}
	if err := os.Rename(tmp, filepath.Join(dir, KeyFile)); err != nil {
		return nil, nil, err
	}
	cur, err = LoadOrCreate(dir)
	return old, cur, err
}

func loadOrCreate(dir string) (*Signer, error) {
	path := filepath.Join(dir, KeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return writeNewKey(dir, path)
	}
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("%s non contiene una chiave privata PEM", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s non contiene una chiave Ed25519", path)
	}
	return NewSigner(priv), nil
}

// writeNewKey makes a key, writes its private half to path (mode 0600, which must not exist)
// and its public half to PublicKeyFile.
func writeNewKey(dir, path string) (*Signer, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	pubPEM, err := PublicKeyPEM(pub)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, PublicKeyFile), pubPEM, 0o644); err != nil {
		return nil, err
	}
	return NewSigner(priv), nil
}

// PublicKeyPEM encodes a public key as a PEM "PUBLIC KEY" (PKIX) block.
func PublicKeyPEM(pub ed25519.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// PublicKeyInfo is what GET /api/v1/receipts/public-key answers.
type PublicKeyInfo struct {
	KeyID     string `json:"keyId"`
	Algorithm string `json:"algorithm"` // "Ed25519"
	PublicKey string `json:"publicKey"` // base64 of the 32-byte key
	PEM       string `json:"pem"`       // the same key as PEM (PKIX)
}

// Info describes the signer's public key.
func (s *Signer) Info() PublicKeyInfo {
	p, _ := PublicKeyPEM(s.pub)
	return PublicKeyInfo{KeyID: s.keyID, Algorithm: "Ed25519",
		PublicKey: base64.StdEncoding.EncodeToString(s.pub), PEM: string(p)}
}

// ParsePublicKey reads a public key in any of the forms the server publishes: a PEM "PUBLIC
// KEY" block, the JSON of GET /api/v1/receipts/public-key, or the bare base64 of 32 bytes.
func ParsePublicKey(b []byte) (ed25519.PublicKey, error) {
	t := bytes.TrimSpace(b)
	if blk, _ := pem.Decode(t); blk != nil {
		if blk.Type != "PUBLIC KEY" {
			return nil, fmt.Errorf("il blocco PEM è «%s», serve «PUBLIC KEY»", blk.Type)
		}
		k, err := x509.ParsePKIXPublicKey(blk.Bytes)
		if err != nil {
			return nil, err
		}
		pub, ok := k.(ed25519.PublicKey)
		if !ok {
			return nil, errors.New("la chiave pubblica non è Ed25519")
		}
		return pub, nil
	}
	if len(t) > 0 && t[0] == '{' {
		var info PublicKeyInfo
		if err := json.Unmarshal(t, &info); err != nil {
			return nil, fmt.Errorf("JSON della chiave pubblica non leggibile: %v", err)
		}
		t = []byte(info.PublicKey)
	}
	raw, err := base64.StdEncoding.DecodeString(string(t))
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, errors.New("la chiave pubblica non è un PEM, né il JSON del server, né 32 byte in base64")
	}
	return ed25519.PublicKey(raw), nil
}

// Verify checks that r was signed by the key pub. The error says, in Italian, why not.
func Verify(pub ed25519.PublicKey, r *core.Receipt) error {
	if want := KeyID(pub); r.KeyID != want {
		return fmt.Errorf("la ricevuta dichiara la chiave %q, ma la chiave pubblica usata è %q: verifica con la chiave del server che l'ha rilasciata", r.KeyID, want)
	}
	sig, err := base64.StdEncoding.DecodeString(r.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return errors.New("la firma non è una firma Ed25519 in base64")
	}
	if !ed25519.Verify(pub, Text(r), sig) {
		return errors.New("la firma non corrisponde: la ricevuta è stata modificata o non è stata rilasciata da questo server")
	}
	return nil
}

func receivedTime(r *core.Receipt) time.Time {
	t, _ := time.Parse(core.ReceivedAtLayout, r.ReceivedAt)
	return t
}
