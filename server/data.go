package main

import (
	"fmt"
	"os"
	"path/filepath"

	"nullaosta/server/receipt"
	"nullaosta/server/sqlite"
)

// dbFile is the database's name in the data directory.
const dbFile = "nullaosta.db"

// dbPath is the database of a data directory.
func dbPath(dir string) string { return filepath.Join(dir, dbFile) }

// openData opens a data directory, creating what is missing: the directory, the receipts'
// signing key and the database, which signs with that key. Every command that reads or writes
// the data goes through here.
func openData(dir string) (*sqlite.DB, *receipt.Signer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	signer, err := receipt.LoadOrCreate(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("chiave di firma: %w", err)
	}
	db, err := sqlite.Open(dbPath(dir))
	if err != nil {
		return nil, nil, err
	}
	db.Signer = signer
	return db, signer, nil
}
