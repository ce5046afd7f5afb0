package main

import (
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"nullaosta/server/receipt"
)

// verifyCmd checks a receipt's Ed25519 signature with a public key from a file or from a
// server, and optionally that an application file is the content it covers. Exit status: 0
// valid, 1 not valid, 2 unusable input.
func verifyCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify-receipt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	keyFile := fs.String("key", "", "chiave pubblica: PEM, JSON di /api/v1/receipts/public-key o base64")
	server := fs.String("server", "", "indirizzo del server da cui leggere la chiave pubblica (es. https://nullaosta.example)")
	content := fs.String("content", "", "facoltativo: il file JSON della domanda inviata, per controllarne lo SHA-256")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "verify-receipt: "+format+"\n", a...)
		return 2
	}
	if fs.NArg() != 1 {
		return fail("serve il file della ricevuta (JSON)")
	}
	if (*keyFile == "") == (*server == "") {
		return fail("indica la chiave pubblica con -key FILE oppure -server URL (uno dei due)")
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return fail("non riesco a leggere la ricevuta: %v", err)
	}
	r, err := receipt.Parse(b)
	if err != nil {
		return fail("%v", err)
	}
	var pub ed25519.PublicKey
	if *keyFile != "" {
		kb, err := os.ReadFile(*keyFile)
		if err != nil {
			return fail("non riesco a leggere la chiave: %v", err)
		}
		if pub, err = receipt.ParsePublicKey(kb); err != nil {
			return fail("chiave pubblica: %v", err)
		}
	} else if pub, err = receipt.FetchPublicKey(*server); err != nil {
		return fail("chiave pubblica dal server: %v", err)
	}
	if err := receipt.Verify(pub, r); err != nil {
		fmt.Fprintf(stdout, "NON VALIDA: %v.\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "OK: la ricevuta %s (modulo %s, ricevuta il %s, %s) è firmata dalla chiave %s.\n",
		r.Protocol, r.ModuleID, r.ReceivedAtRome, r.Sportello, r.KeyID)
	if *content != "" {
		cb, err := os.ReadFile(*content)
		if err != nil {
			return fail("non riesco a leggere il contenuto: %v", err)
		}
		ok, err := receipt.Covers(r, cb)
		if err != nil {
			return fail("contenuto: %v", err)
		}
		if !ok {
			fmt.Fprintf(stdout, "NON VALIDA: il contenuto di %s non è quello coperto dalla ricevuta (SHA-256 diverso).\n", *content)
			return 1
		}
		fmt.Fprintf(stdout, "OK: %s è il contenuto inviato (SHA-256 %s).\n", *content, r.SHA256)
	}
	return 0
}

// rotateCmd retires the receipts' signing key of a data directory and makes a new one; the
// old public key stays published, so the receipts it signed keep verifying.
func rotateCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rotate-receipt-key", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "./data", "cartella dei dati del server")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	old, cur, err := receipt.Rotate(*data)
	if err != nil {
		fmt.Fprintf(stderr, "rotate-receipt-key: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "Nuova chiave %s; la chiave %s è ritirata ma resta pubblicata, e le ricevute che ha firmato restano verificabili.\n"+
		"Riavvia il server (tutte le istanze) perché firmi con la nuova chiave.\n", cur.KeyID(), old.KeyID())
	return 0
}
