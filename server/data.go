package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"nullaosta/server/api"
	"nullaosta/server/postgres"
	"nullaosta/server/receipt"
	"nullaosta/server/sqlite"
)

// dbFile is the database's name in the data directory.
const dbFile = "nullaosta.db"

// dbPath is the database of a data directory.
func dbPath(dir string) string { return filepath.Join(dir, dbFile) }

// dbEnv is the variable read when neither -db nor -database-url is given.
const dbEnv = "DATABASE_URL"

// dbFlag registers -db and its synonym -database-url on fs.
func dbFlag(fs *flag.FlagSet) *string {
	v := new(string)
	fs.StringVar(v, "db", "", "database: postgres://… per PostgreSQL (più istanze sullo stesso database) o il percorso di un file SQLite; "+
		"vuoto: la variabile "+dbEnv+", altrimenti "+dbFile+" nella cartella dei dati")
	fs.StringVar(v, "database-url", "", "sinonimo di -db")
	return v
}

// database is the database a command works on: the flag's, else $DATABASE_URL, else the
// SQLite file of the data directory.
func database(flagValue, dir string) string {
	switch {
	case flagValue != "":
		return flagValue
	case os.Getenv(dbEnv) != "":
		return os.Getenv(dbEnv)
	}
	return dbPath(dir)
}

// store is the storage behind every command: SQLite or PostgreSQL, the same services.
type store interface {
	api.Store
	Close() error
	SetLogger(*slog.Logger)
	SetClock(func() time.Time)
}

// openData opens a data directory, creating what is missing: the directory, the receipts'
// signing key, and the database db (database's answer: a SQLite file, created if missing, or a
// PostgreSQL database, whose pending migrations are applied), which signs with that key.
// Every command that reads or writes the data goes through here. With PostgreSQL the data
// directory holds only the signing key, which every instance must share.
func openData(dir, db string) (store, *receipt.Signer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	signer, err := receipt.LoadOrCreate(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("chiave di firma: %w", err)
	}
	if postgres.IsURL(db) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		pg, err := postgres.Open(ctx, db)
		if err != nil {
			return nil, nil, err
		}
		pg.Signer = signer
		return pg, signer, nil
	}
	lite, err := sqlite.Open(db)
	if err != nil {
		return nil, nil, err
	}
	lite.Signer = signer
	return lite, signer, nil
}

// describeDB names a database for the logs, without its password.
func describeDB(db string) string {
	if postgres.IsURL(db) {
		return "postgres " + postgres.Redact(db)
	}
	return "sqlite " + db
}
