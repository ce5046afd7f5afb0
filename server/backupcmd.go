package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"nullaosta/server/core"
	"nullaosta/server/postgres"
	"nullaosta/server/sqlite"
)

// backupCmd copies the live database to FILE while the server keeps running and writing:
// SQLite with VACUUM INTO from a connection of its own, PostgreSQL with pg_dump (custom format,
// one snapshot; docs/OPERATIONS.md says how to restore each).
func backupCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "./data", "cartella dei dati del server")
	dbf := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "backup: serve il nome del file di destinazione")
		return 2
	}
	dst := fs.Arg(0)
	if _, err := os.Stat(dst); err == nil {
		fmt.Fprintf(stderr, "backup: %s esiste già: scegli un altro nome (non sovrascrivo)\n", dst)
		return 2
	}
	src := database(*dbf, *data)
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	start := time.Now()
	if postgres.IsURL(src) {
		if err := postgres.Backup(ctx, src, dst); err != nil {
			fmt.Fprintf(stderr, "backup: %v\n", err)
			return 1
		}
	} else {
		if _, err := os.Stat(src); err != nil {
			fmt.Fprintf(stderr, "backup: nessun database in %s: %v\n", src, err)
			return 2
		}
		if err := sqlite.Backup(ctx, src, dst); err != nil {
			fmt.Fprintf(stderr, "backup: %v\n", err)
			return 1
		}
	}
	fi, err := os.Stat(dst)
	if err != nil {
		fmt.Fprintf(stderr, "backup: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "Backup di %s scritto in %s (%d byte, %s).\n", describeDB(src), dst, fi.Size(), time.Since(start).Round(time.Millisecond))
	return 0
}

// setRoleCmd changes a user's role: how the Ministry enables an operator or creates a
// Sportello user until the back office exists.
func setRoleCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("set-role", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "./data", "cartella dei dati del server")
	dbf := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() < 2 || fs.NArg() > 3 {
		fmt.Fprintln(stderr, "set-role: uso: set-role [-data DIR] EMAIL privato|operatore|admin|sportello [PROVINCIA]")
		return 2
	}
	role := core.Role(fs.Arg(1))
	provincia := fs.Arg(2)
	if role == core.RoleSportello && provincia == "" {
		fmt.Fprintln(stderr, "set-role: un utente sportello appartiene a una provincia: indicane la sigla")
		return 2
	}
	db, _, err := openData(*data, database(*dbf, *data))
	if err != nil {
		fmt.Fprintf(stderr, "set-role: %v\n", err)
		return 1
	}
	defer db.Close()
	if err := db.SetRole(context.Background(), fs.Arg(0), role, provincia); err != nil {
		fmt.Fprintf(stderr, "set-role: %s\n", core.ErrorMessage(err))
		return 1
	}
	fmt.Fprintf(stdout, "%s ora ha il ruolo %s.\n", fs.Arg(0), role)
	return 0
}
