package sqlite

import (
	"context"
	"testing"
	"time"

	"nullaosta/server/core"
)

// TestTokenUser: the read of every request with a token gives its user and records its use
// at most once per tokenUseGranularity, comparing the stored instant as text.
func TestTokenUser(t *testing.T) {
	db := openBare(t)
	ctx := context.Background()
	now := time.Date(2009, 9, 15, 8, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	lastUsed := func() string {
		var s string
		if err := db.read.QueryRow(`SELECT coalesce(last_used_at, '') FROM import_tokens`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	use := func() *core.Token {
		t.Helper()
		u, tok, err := db.TokenUser(ctx, []byte{1, 2})
		if err != nil {
			t.Fatal(err)
		}
		want := core.User{ID: 1, Email: "a@example.it", Cognome: "Rossi", Nome: "Maria", DataNascita: "1970-03-07", Role: core.RolePrivato, Active: true}
		if *u != want || tok.ID != 1 || tok.UserID != 1 {
			t.Fatalf("TokenUser = %+v, %+v; want %+v and token 1 of user 1", *u, *tok, want)
		}
		return tok
	}
	if tok := use(); tok.LastUsedAt == nil || lastUsed() != "2009-09-15T08:00:00.000Z" {
		t.Fatalf("first use not recorded: %v, stored %q", tok.LastUsedAt, lastUsed())
	}
	now = now.Add(tokenUseGranularity - time.Millisecond)
	if tok := use(); tok.LastUsedAt != nil || lastUsed() != "2009-09-15T08:00:00.000Z" {
		t.Fatalf("a use within %s was recorded again: %v, stored %q", tokenUseGranularity, tok.LastUsedAt, lastUsed())
	}
	now = now.Add(time.Millisecond)
	if tok := use(); tok.LastUsedAt == nil || lastUsed() != "2009-09-15T08:01:00.000Z" {
		t.Fatalf("a use %s later was not recorded: %v, stored %q", tokenUseGranularity, tok.LastUsedAt, lastUsed())
	}
	now = time.Date(2009, 10, 1, 0, 0, 0, 0, time.UTC)
	if _, _, err := db.TokenUser(ctx, []byte{1, 2}); core.ErrorCode(err) != core.EUNAUTHORIZED {
		t.Fatalf("expired token: %v", err)
	}
	if _, _, err := db.TokenUser(ctx, []byte{9}); core.ErrorCode(err) != core.EUNAUTHORIZED {
		t.Fatalf("unknown token: %v", err)
	}
}

// TestReadPoolNotMapped: the read connections read pages with pread (see readDriverName);
// the writer keeps its memory map.
func TestReadPoolNotMapped(t *testing.T) {
	db := openBare(t)
	var read, write int64
	if err := db.read.QueryRow(`PRAGMA mmap_size`).Scan(&read); err != nil {
		t.Fatal(err)
	}
	if err := db.writerConn().QueryRow(`PRAGMA mmap_size`).Scan(&write); err != nil {
		t.Fatal(err)
	}
	if read != 0 || write == 0 {
		t.Fatalf("mmap_size: read pool %d, writer %d; want 0 and more", read, write)
	}
}
