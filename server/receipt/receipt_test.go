package receipt

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"nullaosta/server/core"
	"nullaosta/shared"
)

func sample() *core.Receipt {
	return &core.Receipt{
		Protocol: "EM2009-0000001", CampaignID: "em2009", ModuleID: "EM-7K3Q-9XHD-4",
		SubmissionID: "5f0c2b1e-8d1c-4a47-9b59-1f8f0c3b2a10", ReceivedAt: "2009-09-01T07:00:00.000Z",
		ReceivedAtRome: "01/09/2009 09:00:00", Sportello: "Sportello Unico per l'Immigrazione di Cuneo",
		Provincia: "CN", SHA256: strings.Repeat("ab", 32),
	}
}

func TestText(t *testing.T) {
	r := sample()
	r.KeyID = "0011223344556677"
	want := "nullaosta-ricevuta-v1\nprotocol=EM2009-0000001\ncampaignId=em2009\nmoduleId=EM-7K3Q-9XHD-4\n" +
		"submissionId=5f0c2b1e-8d1c-4a47-9b59-1f8f0c3b2a10\nreceivedAt=2009-09-01T07:00:00.000Z\n" +
		"sportello=Sportello Unico per l'Immigrazione di Cuneo\nprovincia=CN\nsha256=" + strings.Repeat("ab", 32) +
		"\nkeyId=0011223344556677\n"
	if got := string(Text(r)); got != want {
		t.Fatalf("Text =\n%s\nwant\n%s", got, want)
	}
}

func TestSignAndVerify(t *testing.T) {
	dir := t.TempDir()
	s, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", fi.Mode(), err)
	}
	again, err := LoadOrCreate(dir)
	if err != nil || again.KeyID() != s.KeyID() || len(s.KeyID()) != 16 {
		t.Fatalf("reloaded key %q vs %q, %v", again.KeyID(), s.KeyID(), err)
	}
	r := sample()
	if err := s.Sign(r); err != nil {
		t.Fatal(err)
	}
	if err := Verify(s.PublicKey(), r); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	// Every signed field is covered.
	for i, tamper := range []func(*core.Receipt){
		func(r *core.Receipt) { r.Protocol = "EM2009-0000002" },
		func(r *core.Receipt) { r.ModuleID = "EM-7K3Q-9XHD-5" },
		func(r *core.Receipt) { r.ReceivedAt = "2009-09-01T07:00:01.000Z" },
		func(r *core.Receipt) { r.Sportello = "Sportello Unico di Roma" },
		func(r *core.Receipt) { r.SHA256 = strings.Repeat("cd", 32) },
		func(r *core.Receipt) { r.Signature = r.Signature[:10] },
	} {
		c := *r
		tamper(&c)
		if err := Verify(s.PublicKey(), &c); err == nil {
			t.Errorf("tampering %d not detected", i)
		}
	}
	// Another key.
	pub, _, _ := ed25519.GenerateKey(nil)
	if err := Verify(pub, r); err == nil || !strings.Contains(err.Error(), "chiave") {
		t.Errorf("other key: %v", err)
	}
	// A newline cannot be smuggled into the text.
	bad := sample()
	bad.SubmissionID = "a\nprotocol=X"
	if err := s.Sign(bad); err == nil {
		t.Error("signed a field with a newline")
	}
}

func TestParsePublicKey(t *testing.T) {
	s, err := LoadOrCreate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	info := s.Info()
	pemBytes, _ := PublicKeyPEM(s.PublicKey())
	for name, in := range map[string]string{
		"pem":    string(pemBytes),
		"json":   `{"keyId":"` + info.KeyID + `","publicKey":"` + info.PublicKey + `"}`,
		"base64": info.PublicKey + "\n",
	} {
		pub, err := ParsePublicKey([]byte(in))
		if err != nil || !bytes.Equal(pub, s.PublicKey()) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ParsePublicKey([]byte("nonsense")); err == nil {
		t.Error("nonsense parsed")
	}
}

func TestPDF(t *testing.T) {
	s, _ := LoadOrCreate(t.TempDir())
	r := sample()
	s.Sign(r)
	var buf bytes.Buffer
	err := PDF(&buf, r, Details{ModuleTitle: "Dichiarazione di emersione", Campaign: "Emersione 2009",
		Datore: "ROSSI Maria — RSSMRA70C47D205X", Lavoratore: "PERERA Nimal", Tipologia: "colf", PublicKey: s.PublicKey()})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) || buf.Len() < 1000 {
		t.Fatalf("not a PDF (%d bytes)", buf.Len())
	}
}

// keyMap is what a verifier keeps of the server's published keys.
func keyMap(t *testing.T, s *Signer) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	for _, k := range s.Keys().Keys {
		pub, err := ParsePublicKey([]byte(k.PublicKey))
		if err != nil {
			t.Fatal(err)
		}
		m[k.KeyID] = pub
	}
	return m
}

func sampleCode(s *Signer) *shared.ReceiptCode {
	r := sample()
	c := &shared.ReceiptCode{Protocol: r.Protocol, ModuleID: r.ModuleID, CampaignID: r.CampaignID,
		EmployerCF: "RSSMRA70C47D205X", Worker: "PERERA Nimal", ReceivedAt: r.ReceivedAt, SHA256: r.SHA256}
	if err := s.SignCode(c); err != nil {
		panic(err)
	}
	return c
}

// TestPDFQRCode: the QR code printed on the receipt, rendered as a page image and read back by
// zbarimg (zbar-tools), is the signed code, which verifies; one changed byte does not.
func TestPDFQRCode(t *testing.T) {
	for _, tool := range []string{"gs", "zbarimg"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed (Debian ghostscript, zbar-tools: .ci/deps.sh installs them): %v", tool, err)
		}
	}
	s, _ := LoadOrCreate(t.TempDir())
	r := sample()
	s.Sign(r)
	code := sampleCode(s).String()
	var buf bytes.Buffer
	if err := PDF(&buf, r, Details{ModuleTitle: "Dichiarazione di emersione", Datore: "ROSSI Maria — RSSMRA70C47D205X",
		Lavoratore: "PERERA Nimal", PublicKey: s.PublicKey(), Code: code}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pdfPath, png := filepath.Join(dir, "r.pdf"), filepath.Join(dir, "r.png")
	if err := os.WriteFile(pdfPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", "-r150",
		"-o", png, pdfPath).CombinedOutput(); err != nil {
		t.Fatalf("gs: %v\n%s", err, out)
	}
	out, err := exec.Command("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", png).Output()
	if err != nil {
		t.Fatalf("zbarimg found no QR code in the rendered receipt: %v", err)
	}
	got := strings.TrimRight(string(out), "\n")
	if got != code {
		t.Fatalf("zbarimg read\n%q\nwant\n%q", got, code)
	}
	c, err := shared.VerifyReceiptCode(got, keyMap(t, s))
	if err != nil || c.EmployerCF != "RSSMRA70C47D205X" || c.Protocol != r.Protocol {
		t.Fatalf("decoded code: %+v, %v", c, err)
	}
	i := strings.Index(got, "PERERA")
	if _, err := shared.VerifyReceiptCode(got[:i]+"B"+got[i+1:], keyMap(t, s)); !errors.Is(err, shared.ErrAltered) {
		t.Fatalf("one changed byte: %v", err)
	}
	// The same code is in the PDF's bytes, for a verifier that reads the file without rendering it.
	if found, ok := shared.FindReceiptCode(buf.Bytes()); !ok || found != code {
		t.Fatalf("code in the PDF's bytes: %q, %v", found, ok)
	}
	t.Logf("receipt code: %d bytes; PDF: %d bytes", len(code), buf.Len())
}

// TestRotate: after a rotation new receipts carry the new key id, and both the receipts and the
// QR codes signed with the old key still verify with the keys the server publishes.
func TestRotate(t *testing.T) {
	dir := t.TempDir()
	first, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	oldReceipt := sample()
	first.Sign(oldReceipt)
	oldCode := sampleCode(first).String()

	old, cur, err := Rotate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if old.KeyID() != first.KeyID() || cur.KeyID() == first.KeyID() {
		t.Fatalf("rotation: old %s, new %s, first %s", old.KeyID(), cur.KeyID(), first.KeyID())
	}
	again, err := LoadOrCreate(dir) // as the restarted server does
	if err != nil {
		t.Fatal(err)
	}
	keys := again.Keys().Keys
	if len(keys) != 2 || keys[0].KeyID != cur.KeyID() || !keys[0].Current || keys[1].KeyID != first.KeyID() || keys[1].Current {
		t.Fatalf("published keys after rotation: %+v", keys)
	}
	if _, err := shared.VerifyReceiptCode(oldCode, keyMap(t, again)); err != nil {
		t.Fatalf("old QR code after rotation: %v", err)
	}
	if err := Verify(first.PublicKey(), oldReceipt); err != nil {
		t.Fatalf("old receipt after rotation: %v", err)
	}
	newCode := sampleCode(again)
	if newCode.KeyID != cur.KeyID() {
		t.Fatalf("new code signed by %s, want %s", newCode.KeyID, cur.KeyID())
	}
	pubPEM, _ := os.ReadFile(filepath.Join(dir, PublicKeyFile))
	if pub, err := ParsePublicKey(pubPEM); err != nil || !bytes.Equal(pub, cur.PublicKey()) {
		t.Fatalf("%s does not hold the new key: %v", PublicKeyFile, err)
	}
	// A second rotation keeps both earlier keys.
	if _, _, err := Rotate(dir); err != nil {
		t.Fatal(err)
	}
	third, _ := LoadOrCreate(dir)
	if n := len(third.Keys().Keys); n != 3 {
		t.Fatalf("%d keys after two rotations", n)
	}
	if _, err := shared.VerifyReceiptCode(oldCode, keyMap(t, third)); err != nil {
		t.Fatalf("first key after two rotations: %v", err)
	}
}

// BenchmarkText: the text every receipt is signed over, written in the writer on every
// submission.
func BenchmarkText(b *testing.B) {
	r := sample()
	r.KeyID = "0011223344556677"
	b.ReportAllocs()
	for b.Loop() {
		Text(r)
	}
}
