// Command nullaosta is the Nullaosta server and its tools: serve (the default) runs the API
// and the app; validate checks an application file; verify-receipt checks a receipt's
// signature; backup copies the live database; set-role changes a user's role; admin create and
// sportello create make the back office's accounts; demo loads a demonstration.
//
// This package parses flags and wires the parts together; the work is done in server/api
// (HTTP and static files), server/sqlite, server/receipt, server/mail and server/demo.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"nullaosta/server/core"
)

// version is set at build time (-ldflags "-X main.version=…"); empty, it is derived from
// web/app.wasm, so a rebuilt app gets a new version and browsers update.
var version = ""

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serveCmd(args, stderr)
	case "validate":
		return validateCmd(args, stdin, stdout, stderr)
	case "verify-receipt":
		return verifyCmd(args, stdout, stderr)
	case "rotate-receipt-key":
		return rotateCmd(args, stdout, stderr)
	case "backup":
		return backupCmd(args, stdout, stderr)
	case "set-role":
		return setRoleCmd(args, stdout, stderr)
	case "admin":
		return staffCmd(core.RoleAdmin, args, stdin, stdout, stderr)
	case "sportello":
		return staffCmd(core.RoleSportello, args, stdin, stdout, stderr)
	case "demo":
		return demoCmd(args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "comando %q sconosciuto\n\n%s", cmd, usage)
	return 2
}

const usage = `Uso:
  nullaosta [serve] [-addr :8080] [-data ./data] [-db DB] [-web ./web] [-campaign demo|official] [-dev] …
  nullaosta validate --module EM|A [--date AAAA-MM-GG] FILE|-
  nullaosta verify-receipt [-key CHIAVE.pem | -server URL] [-content DATI.json] RICEVUTA.json
  nullaosta rotate-receipt-key [-data ./data]
  nullaosta backup [-data ./data] [-db DB] FILE
  nullaosta set-role [-data ./data] [-db DB] EMAIL privato|operatore|admin|sportello [PROVINCIA]
  nullaosta admin create --email E [--password-file F] [-data ./data] [-db DB]
  nullaosta sportello create --email E --provincia XX [--password-file F] [-data ./data] [-db DB]
  nullaosta demo [-data ./data] [-db DB] [-n 300]

DB (anche -database-url, o la variabile DATABASE_URL) è postgres://… per PostgreSQL, con più
istanze del server sullo stesso database, oppure il percorso di un file SQLite; senza, il
database è nullaosta.db nella cartella dei dati (docs/OPERATIONS.md).

"nullaosta serve -h" elenca tutte le opzioni del server.
`
