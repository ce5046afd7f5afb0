// Command pgcluster runs a command with a throwaway PostgreSQL cluster: it starts one
// (server/pgtest), puts its address in NULLAOSTA_TEST_POSTGRES, runs the command, and stops
// the cluster when the command ends, fails or is interrupted. `make test` runs the Go tests
// under it, so that every package shares one cluster; `make bench-server` runs the load test
// under it with -durable and the databases it needs (-db: each NAME is created and its address
// put in NULLAOSTA_PG_NAME, upper case).
//
//	go run ./server/pgtest/pgcluster [-durable] [-db NAME,…] -- COMMAND [ARG…]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"nullaosta/server/pgtest"
)

func main() {
	durable := flag.Bool("durable", false, "fsync e commit sincrono come in produzione (per i benchmark)")
	dbs := flag.String("db", "", "database da creare, separati da virgole: l'indirizzo di NOME va in NULLAOSTA_PG_NOME")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "uso: pgcluster [-durable] -- COMANDO [ARGOMENTI…]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	os.Exit(run(*durable, *dbs, flag.Args()))
}

func run(durable bool, dbs string, args []string) int {
	logf := func(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...) }
	c, err := pgtest.Start(context.Background(), pgtest.Options{Durable: durable, Log: logf})
	if err != nil {
		logf("pgcluster: %v", err)
		return 1
	}
	defer func() {
		if err := c.Stop(); err != nil {
			logf("pgcluster: %v", err)
		}
		logf("pgcluster: PostgreSQL fermato")
	}()
	env := append(os.Environ(), pgtest.EnvURL+"="+c.URL)
	for _, name := range strings.Split(dbs, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		_, url, err := pgtest.CreateDatabase(context.Background(), c.URL, name)
		if err != nil {
			logf("pgcluster: database %s: %v", name, err)
			return 1
		}
		env = append(env, "NULLAOSTA_PG_"+strings.ToUpper(name)+"="+url)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = env
	// Interrupted, the command gets the signal too (same process group); the cluster is
	// stopped once it has exited.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		logf("pgcluster: %v", err)
		return 1
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case s := <-sigs:
			cmd.Process.Signal(s)
		case err := <-done:
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				return max(ee.ExitCode(), 1)
			}
			if err != nil {
				logf("pgcluster: %v", err)
				return 1
			}
			return 0
		}
	}
}
