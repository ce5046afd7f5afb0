package vault_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"nullaosta/app/store"
	"nullaosta/app/vault"
	"nullaosta/shared"
)

// Run natively (Go's crypto) and in Chromium (WebCrypto): GOOS=js GOARCH=wasm with
// wasmbrowsertest as go_js_wasm_exec.

func TestWrapUnwrap(t *testing.T) {
	ctx := context.Background()
	w, k, err := vault.New(ctx, "anna@example.it", "una password lunga")
	if err != nil {
		t.Fatal(err)
	}
	if w.Iter != 600_000 || w.KDF != "PBKDF2-SHA256" || len(w.Salt) != 16 {
		t.Errorf("wrapped key %+v: want PBKDF2-SHA256, 600,000 iterations, 16-byte salt", w)
	}
	kr := vault.NewKeyring()
	kr.Set("anna@example.it", k)
	sealed, err := kr.Seal(ctx, "anna@example.it", "nullaosta/drafts/anna@example.it\x00EM-1", []byte(`{"lavoratore.cognome":"Perera"}`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "Perera") || !kr.IsSealed(sealed) {
		t.Fatalf("sealed value %q", sealed)
	}
	again, err := vault.ParseWrapped(w.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	k2, err := vault.Unwrap(ctx, again, "anna@example.it", "una password lunga")
	if err != nil {
		t.Fatal(err)
	}
	kr2 := vault.NewKeyring()
	kr2.Set("anna@example.it", k2)
	plain, err := kr2.Open(ctx, "anna@example.it", "nullaosta/drafts/anna@example.it\x00EM-1", sealed)
	if err != nil || string(plain) != `{"lavoratore.cognome":"Perera"}` {
		t.Fatalf("Open after unwrapping = %q, %v", plain, err)
	}
	if _, err := kr2.Open(ctx, "anna@example.it", "nullaosta/drafts/anna@example.it\x00EM-2", sealed); !errors.Is(err, store.ErrUndecryptable) {
		t.Errorf("a value moved to another record opened: %v", err)
	}
	if _, err := vault.Unwrap(ctx, w, "anna@example.it", "una password lunga."); !errors.Is(err, vault.ErrWrongPassword) {
		t.Errorf("a wrong password: %v", err)
	}
	w.Owner = "bruno@example.it"
	if _, err := vault.Unwrap(ctx, w, "bruno@example.it", "una password lunga"); !errors.Is(err, vault.ErrWrongPassword) {
		t.Errorf("anna's key renamed as bruno's opened: %v", err)
	}
	for _, bad := range []string{"", "{}", `{"v":2}`, `{"v":1,"kdf":"PBKDF2-SHA256","iter":600000}`} {
		if _, err := vault.ParseWrapped(bad); err == nil {
			t.Errorf("ParseWrapped(%q) accepted", bad)
		}
	}
}

// typicalDraft is a module with every field of the EM schema filled: what the compiler saves
// after each pause in typing.
func typicalDraft() []byte {
	d := shared.Data{}
	for _, sec := range shared.SchemaOf(shared.KindEM).Sections {
		for _, f := range sec.Fields {
			d[f.Key] = "valore di " + f.Key
		}
	}
	b, _ := json.Marshal(store.Draft{User: "anna@example.it", ModuleID: "EM-1", Kind: shared.KindEM, Data: d})
	return b
}

// BenchmarkUnlock is what typing the password costs: PBKDF2-SHA256 at 600,000 iterations and
// unwrapping the data key.
func BenchmarkUnlock(b *testing.B) {
	ctx := context.Background()
	w, _, err := vault.New(ctx, "anna@example.it", "una password lunga")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := vault.Unwrap(ctx, w, "anna@example.it", "una password lunga"); err != nil {
			b.Fatal(err)
		}
	}
}

func benchSeal(b *testing.B, plain []byte, open bool) {
	ctx := context.Background()
	k, err := vault.Random()
	if err != nil {
		b.Fatal(err)
	}
	kr := vault.NewKeyring()
	kr.Set("anna@example.it", k)
	const aad = "nullaosta/drafts/anna@example.it\x00EM-1"
	sealed, err := kr.Seal(ctx, "anna@example.it", aad, plain)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(plain)))
	for b.Loop() {
		if open {
			_, err = kr.Open(ctx, "anna@example.it", aad, sealed)
		} else {
			_, err = kr.Seal(ctx, "anna@example.it", aad, plain)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSealDraft(b *testing.B) { benchSeal(b, typicalDraft(), false) }
func BenchmarkOpenDraft(b *testing.B) { benchSeal(b, typicalDraft(), true) }

// The largest module the store's suite uses: 600 answers, about 120 kB.
func BenchmarkSealLarge(b *testing.B) { benchSeal(b, largeDraft(), false) }
func BenchmarkOpenLarge(b *testing.B) { benchSeal(b, largeDraft(), true) }

func largeDraft() []byte {
	d := shared.Data{}
	long := strings.Repeat("Lorem ipsum dolor sit amet, è già così. ", 6)
	for i := 0; len(d) < 600; i++ {
		d["extra.campo"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('a'+i/26))] = long
	}
	b, _ := json.Marshal(d)
	return b
}
