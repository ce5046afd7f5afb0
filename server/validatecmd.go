package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"nullaosta/shared"
)

// validateCmd checks an application file like the server does on receipt (without the
// server's own rules E1–E3). Exit status: 0 valid, 1 errors, 2 unusable input.
func validateCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	module := fs.String("module", "", "modulo: EM oppure A (obbligatorio)")
	date := fs.String("date", "", "giorno di invio su cui giudicare, AAAA-MM-GG (predefinito: oggi in Italia)")
	which := fs.String("campaign", "official", "parametri: official (em2009, a2007) o demo")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "validate: "+format+"\n", a...)
		return 2
	}
	if fs.NArg() != 1 {
		return fail("serve un file da controllare (oppure - per leggere dallo standard input)")
	}
	k, err := shared.ParseKind(*module)
	if err != nil {
		return fail("%v (usa --module EM oppure --module A)", err)
	}
	day := time.Now()
	if *date != "" {
		if day, err = shared.ParseDate(*date); err != nil {
			return fail("--date: %v", err)
		}
	}
	c, ok := shared.OfficialCampaign(k)
	switch *which {
	case "official":
	case "demo":
		c, ok = shared.DemoCampaign(k, day), true
	default:
		return fail("--campaign deve essere official o demo")
	}
	if !ok {
		return fail("nessuna campagna per il modulo %s", k)
	}
	var b []byte
	if name := fs.Arg(0); name == "-" {
		b, err = io.ReadAll(stdin)
	} else {
		b, err = os.ReadFile(name)
	}
	if err != nil {
		return fail("non riesco a leggere il file: %v", err)
	}
	res, err := shared.ValidateJSON(k, &c, b, day)
	if err != nil {
		return fail("%v", err)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(res); err != nil {
		return fail("%v", err)
	}
	if !res.Valid {
		return 1
	}
	return 0
}
