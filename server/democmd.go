package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"nullaosta/server/core"
	"nullaosta/server/demo"
)

// demoCmd loads a demonstration into the data directory (server/demo). Running it again on a
// loaded directory changes nothing and prints the accounts again.
func demoCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "./data", "cartella dei dati del server")
	dbf := dbFlag(fs)
	n := fs.Int("n", 300, "domande da generare (da 10 a 5000)")
	seed := fs.Uint64("seed", 2009, "seme dei dati casuali: lo stesso seme dà gli stessi nomi")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *n < 10 || *n > 5000 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "demo: uso: demo [-data DIR] [-n 10…5000] [-seed N]")
		return 2
	}
	db, _, err := openData(*data, database(*dbf, *data))
	if err != nil {
		fmt.Fprintf(stderr, "demo: %v\n", err)
		return 1
	}
	defer db.Close()
	d := demo.NewLoader(db, *seed, stdout)
	if d.Loaded(context.Background()) {
		fmt.Fprintf(stdout, "Il demo è già caricato in %s: nulla da fare.\n\n", *data)
		d.PrintAccounts(true)
		return 0
	}
	start := time.Now()
	if err := d.Load(*n); err != nil {
		fmt.Fprintf(stderr, "demo: %s\n", core.ErrorMessage(err))
		if core.ErrorCode(err) == core.EINTERNAL {
			fmt.Fprintf(stderr, "demo: %v\n", err)
		}
		return 1
	}
	generated, sent, changed := d.Counts()
	fmt.Fprintf(stdout, "Demo caricato in %s in %s: %d moduli generati, %d domande inviate, %d con uno stato dello Sportello.\n\n",
		*data, time.Since(start).Round(time.Millisecond), generated, sent, changed)
	d.PrintAccounts(false)
	return 0
}
