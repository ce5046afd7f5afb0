package postgres

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Backup writes a consistent copy of the database at dbURL to dst with pg_dump, in its custom
// format (compressed; restored with pg_restore, see docs/OPERATIONS.md). pg_dump reads one
// snapshot while the instances keep writing. dst must not exist. The password, if the address
// has one, goes to pg_dump in its environment, not on its command line.
func Backup(ctx context.Context, dbURL, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("%s esiste già: scegli un altro nome (non sovrascrivo)", dst)
	}
	bin, err := Tool("pg_dump")
	if err != nil {
		return err
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		return fmt.Errorf("indirizzo del database non valido: %w", err)
	}
	env := os.Environ()
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	// Written beside dst and renamed: a failed dump leaves no file that looks like a backup.
	tmp := dst + ".tmp"
	cmd := exec.CommandContext(ctx, bin, "--format=custom", "--no-owner", "--file="+tmp, "--dbname="+u.String())
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("pg_dump: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return os.Rename(tmp, dst)
}

// Tool finds one of PostgreSQL's client programs (pg_dump, pg_restore): on PATH, else in the
// newest /usr/lib/postgresql/N/bin (Debian's layout).
func Tool(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		a, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		b, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return a > b
	})
	for _, d := range dirs {
		if p := filepath.Join(d, name); fileExists(p) {
			return p, nil
		}
	}
	return "", errors.New(name + " non trovato: installa i programmi client di PostgreSQL (Debian: postgresql-client)")
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
