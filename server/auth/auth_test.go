package auth

import (
	"bytes"
	"strings"
	"testing"
)

func TestHashAndCheckPassword(t *testing.T) {
	h, err := HashPassword("una password lunga")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string", h)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{
		{"una password lunga", true},
		{"una password lunga ", false},
		{"", false},
	} {
		ok, err := CheckPassword(h, tc.pw)
		if err != nil || ok != tc.want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	h2, _ := HashPassword("una password lunga")
	if h2 == h {
		t.Error("two hashes of the same password are equal: the salt is not random")
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	for _, s := range []string{
		"",
		"plain",
		"$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=18$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=0,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=19456,t=2,p=1$!!$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$c2hvcnQ",
	} {
		if _, err := CheckPassword(s, "x"); err != ErrMalformed {
			t.Errorf("CheckPassword(%q) error = %v, want ErrMalformed", s, err)
		}
	}
}

func TestNewSecret(t *testing.T) {
	s1, h1 := NewSecret()
	s2, h2 := NewSecret()
	if len(s1) != 43 || s1 == s2 || bytes.Equal(h1, h2) {
		t.Fatalf("secrets %q %q are not 32 distinct random bytes", s1, s2)
	}
	if !bytes.Equal(HashSecret(s1), h1) || len(h1) != 32 {
		t.Fatal("HashSecret does not give the stored hash")
	}
}

// TestValidPassword: NIST SP 800-63B — length, common and breached passwords, repetition and
// sequences, the person's own e-mail and names.
func TestValidPassword(t *testing.T) {
	personal := []string{"maria.rossi@example.it", "Maria", "Rossi"}
	for _, tc := range []struct {
		pw      string
		wantErr bool
	}{
		{"corta", true},
		{"            ", true},
		{strings.Repeat("x", 129), true},
		{"dieci cara", true}, // 10 characters: under 12
		{"aaaaaaaaaa", true},
		{"aaaaaaaaaaaa", true},
		{"1234567890", true},
		{"123456789012", true},
		{"abcdefghijklmn", true},
		{"password12", true},
		{"password1234", true},
		{"Password2009!", true},
		{"dragon2009!!!", true},
		{"qwertyuiop123", true},
		{"iloveyou1234", true},
		{"nullaosta2009", true},
		{"maria.rossi@example.it", true},
		{"mariarossi1970", true},
		{"Rossi-Maria-1970", true},
		{"la casa di rossi al mare", false},
		{"una frase lunga da ricordare", false},
		{"cavallo batteria graffetta", false},
		{"àèìòù sul tetto", false},
	} {
		if got := ValidPassword(tc.pw, personal...) != ""; got != tc.wantErr {
			t.Errorf("ValidPassword(%q) error = %v, want %v", tc.pw, got, tc.wantErr)
		}
	}
	if n := len(common()); n < 40000 || !isCommon("password") || !isCommon("iloveyou") || isCommon("una frase lunga") {
		t.Fatalf("the list of common passwords: %d entries", n)
	}
}

func TestCheckNoAccount(t *testing.T) {
	if CheckNoAccount("qualsiasi") {
		t.Fatal("CheckNoAccount returned true")
	}
}
