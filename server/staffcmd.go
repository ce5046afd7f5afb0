package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"nullaosta/server/auth"
	"nullaosta/server/core"
	"nullaosta/shared"
	"nullaosta/shared/places"
)

// staffCmd creates an active admin (the Ministry) or sportello (one province's Sportello
// Unico) account: "admin create --email E" makes the first Ministry user, who then enables
// operators from the console. The password comes from a file or is asked on the terminal.
func staffCmd(role core.Role, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	name := string(role)
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintf(stderr, "%s: uso: %s create --email E [--password-file F]%s [-data DIR]\n", name, name,
			map[bool]string{true: " --provincia XX", false: ""}[role == core.RoleSportello])
		return 2
	}
	fs := flag.NewFlagSet(name+" create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "./data", "cartella dei dati del server")
	dbf := dbFlag(fs)
	email := fs.String("email", "", "e-mail (nome utente) del nuovo account")
	pwFile := fs.String("password-file", "", "file che contiene la password (prima riga); senza, la password si chiede sul terminale")
	provincia := fs.String("provincia", "", "sigla della provincia dello Sportello Unico (solo sportello)")
	nome := fs.String("nome", "", "nome della persona (facoltativo)")
	cognome := fs.String("cognome", "", "cognome della persona (facoltativo)")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	addr, err := shared.ParseEmail(*email)
	if err != nil || fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s create: serve --email con un indirizzo valido\n", name)
		return 2
	}
	u := &core.User{Email: addr, Role: role, Nome: *nome, Cognome: *cognome}
	switch {
	case role == core.RoleSportello:
		p, ok := places.ProvinceBySigla(*provincia)
		if !ok {
			fmt.Fprintf(stderr, "sportello create: --provincia %q non è la sigla di una provincia (per esempio CN)\n", *provincia)
			return 2
		}
		u.Provincia = p.Sigla
		if u.Nome == "" {
			u.Nome, u.Cognome = "Sportello Unico", p.Name
		}
	case *provincia != "":
		fmt.Fprintln(stderr, "admin create: --provincia vale solo per gli utenti sportello")
		return 2
	case u.Nome == "":
		u.Nome, u.Cognome = "Amministratore", "Ministero"
	}
	password, err := readPassword(*pwFile, stdin, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "%s create: %v\n", name, err)
		return 2
	}
	if msg := auth.ValidPassword(password, u.Email, u.Nome, u.Cognome); msg != "" {
		fmt.Fprintf(stderr, "%s create: %s\n", name, msg)
		return 2
	}
	if u.PasswordHash, err = auth.HashPassword(password); err != nil {
		fmt.Fprintf(stderr, "%s create: %v\n", name, err)
		return 1
	}
	db, _, err := openData(*data, database(*dbf, *data))
	if err != nil {
		fmt.Fprintf(stderr, "%s create: %v\n", name, err)
		return 1
	}
	defer db.Close()
	audit := core.NewAudit(nil, core.AuditCreaUtente, u.Email, "ruolo "+string(role)+map[bool]string{true: ", provincia " + u.Provincia, false: ""}[u.Provincia != ""])
	if err := db.CreateActiveUser(context.Background(), u, &audit); err != nil {
		fmt.Fprintf(stderr, "%s create: %s\n", name, core.ErrorMessage(err))
		return 1
	}
	what := "utente del Ministero (admin)"
	if role == core.RoleSportello {
		what = "utente dello Sportello Unico di " + u.Cognome + " (" + u.Provincia + ")"
	}
	fmt.Fprintf(stdout, "Creato l'%s %s: accede dal sito con questa e-mail e la password scelta.\n", what, u.Email)
	return 0
}

// readPassword reads the first line of file, or asks on the terminal (without echo when stdin
// is one) and asks again to confirm.
func readPassword(file string, stdin io.Reader, stderr io.Writer) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", err
		}
		line, _, _ := strings.Cut(string(b), "\n")
		return strings.TrimRight(line, "\r"), nil
	}
	r := bufio.NewReader(stdin)
	ask := func(prompt string) (string, error) {
		fmt.Fprint(stderr, prompt)
		restore := noEcho(stdin)
		line, err := r.ReadString('\n')
		restore()
		if isTerminal(stdin) {
			fmt.Fprintln(stderr) // the newline typed was not echoed
		}
		if err != nil && (err != io.EOF || line == "") {
			return "", errors.New("nessuna password letta: scrivila sul terminale o usa --password-file")
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	pw, err := ask("Password (almeno 10 caratteri): ")
	if err != nil {
		return "", err
	}
	if isTerminal(stdin) {
		again, err := ask("Ripeti la password: ")
		if err != nil {
			return "", err
		}
		if again != pw {
			return "", errors.New("le due password non coincidono")
		}
	}
	return pw, nil
}
