// Package pgtest runs a throwaway PostgreSQL cluster for tests and benchmarks: initdb into a
// temporary folder (as the postgres user when run as root: initdb refuses root), pg_ctl start
// on a free loopback port with its own socket directory, one database per test, pg_ctl stop at
// the end.
//
// How tests find the cluster: the variable NULLAOSTA_TEST_POSTGRES holds the address of a
// running cluster's maintenance database (postgres://…/postgres). `make test` starts one
// cluster for the whole run (./server/pgtest/pgcluster) and sets it; a package run by hand
// without it starts its own cluster in TestMain (Main) and stops it when its tests end. Either
// way the tests never skip: without PostgreSQL they fail, saying what is missing.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the variable with the address of the cluster the tests use.
const EnvURL = "NULLAOSTA_TEST_POSTGRES"

// Options are how a cluster is started.
type Options struct {
	// Durable keeps PostgreSQL's default fsync and synchronous commit: for benchmarks, whose
	// figures must count the flush of every commit. Tests run without them (a throwaway
	// cluster that does not survive a power cut is fine; what they check does not change).
	Durable bool
	// Log, if not nil, receives progress lines.
	Log func(format string, args ...any)
}

// Cluster is a running throwaway cluster.
type Cluster struct {
	// URL is the address of its maintenance database "postgres", user postgres, no password.
	URL  string
	Dir  string // temporary folder: data/, the socket, the log
	Port int

	bin    string
	asUser string // "postgres" when running as root
}

// BinDir finds PostgreSQL's programs: $PG_BIN, the folder of pg_config or initdb on PATH, or
// the newest /usr/lib/postgresql/N/bin (Debian's layout).
func BinDir() (string, error) {
	if d := os.Getenv("PG_BIN"); d != "" {
		return d, nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		d := strings.TrimSpace(string(out))
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("PostgreSQL non trovato: installa il pacchetto postgresql (Debian: apt-get install postgresql; `make deps` lo fa) oppure indica la cartella dei suoi programmi in PG_BIN")
}

func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// Start initialises and starts a cluster in a new temporary folder.
func Start(ctx context.Context, o Options) (*Cluster, error) {
	logf := o.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "nullaosta-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir, bin: bin}
	if os.Geteuid() == 0 {
		// initdb refuses root: the cluster belongs to the postgres user, in a folder it owns.
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("si esegue come root e manca l'utente postgres (lo crea il pacchetto postgresql): %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		c.asUser = "postgres"
	}
	start := time.Now()
	if out, err := c.run(ctx, "initdb", "-D", c.data(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
		"--locale=C.UTF-8", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	settings := []string{
		"-c listen_addresses=127.0.0.1",
		"-c unix_socket_directories=" + dir,
		"-c max_connections=400",
		"-c shared_buffers=128MB",
	}
	if !o.Durable {
		settings = append(settings, "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off")
	}
	// A free port can be taken between the probe and the start: try a few.
	for attempt := 0; ; attempt++ {
		port, err := freePort()
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		c.Port = port
		opts := strings.Join(append(settings, "-c port="+strconv.Itoa(port)), " ")
		out, err := c.run(ctx, "pg_ctl", "-D", c.data(), "-l", filepath.Join(dir, "postgres.log"), "-w", "-t", "60", "-o", opts, "start")
		if err == nil {
			break
		}
		if attempt == 2 {
			log, _ := os.ReadFile(filepath.Join(dir, "postgres.log"))
			os.RemoveAll(dir)
			return nil, fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
		}
	}
	c.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.Port)
	logf("pgtest: PostgreSQL (%s) su 127.0.0.1:%d in %s, avviato in %s", bin, c.Port, dir, time.Since(start).Round(time.Millisecond))
	return c, nil
}

func (c *Cluster) data() string { return filepath.Join(c.Dir, "data") }

// run runs one of PostgreSQL's programs, as the cluster's owner.
func (c *Cluster) run(ctx context.Context, prog string, args ...string) ([]byte, error) {
	path := filepath.Join(c.bin, prog)
	var cmd *exec.Cmd
	if c.asUser != "" {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", c.asUser, "--", path}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, path, args...)
	}
	cmd.Dir = c.Dir
	return cmd.CombinedOutput()
}

// Stop stops the cluster (fast shutdown) and removes its folder.
func (c *Cluster) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := c.run(ctx, "pg_ctl", "-D", c.data(), "-m", "fast", "-w", "stop")
	if err != nil {
		err = fmt.Errorf("pg_ctl stop: %v\n%s", err, out)
	}
	return errors.Join(err, os.RemoveAll(c.Dir))
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Main runs a package's tests (run, usually m.Run) with a cluster: the one named by
// NULLAOSTA_TEST_POSTGRES, or else one started here for the package and stopped after it.
// Call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m.Run)) }
func Main(run func() int) int {
	if os.Getenv(EnvURL) != "" {
		return run()
	}
	c, err := Start(context.Background(), Options{Log: func(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...) }})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: non riesco ad avviare PostgreSQL per i test: %v\n", err)
		return 1
	}
	os.Setenv(EnvURL, c.URL)
	code := run()
	if err := c.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
	}
	return code
}

var (
	seqMu sync.Mutex
	seq   int
	notID = regexp.MustCompile(`[^a-z0-9]+`)
)

// NewDatabase creates an empty database for t in the tests' cluster and returns its address;
// it is dropped when t ends (after the cleanups registered later, such as closing the store).
func NewDatabase(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		t.Fatalf("%s non è impostata: i test che usano PostgreSQL partono da `make test`, oppure chiamano pgtest.Main in TestMain", EnvURL)
	}
	name, u, err := CreateDatabase(context.Background(), base, t.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := DropDatabase(context.Background(), base, name); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return u
}

// CreateDatabase creates a database with a name derived from hint in the cluster whose
// maintenance database is at base, and returns its name and address.
func CreateDatabase(ctx context.Context, base, hint string) (string, string, error) {
	seqMu.Lock()
	seq++
	n := seq
	seqMu.Unlock()
	var rnd [4]byte
	rand.Read(rnd[:])
	slug := strings.Trim(notID.ReplaceAllString(strings.ToLower(hint), "_"), "_")
	if len(slug) > 30 {
		slug = slug[:30]
	}
	name := fmt.Sprintf("t_%s_%d_%s", slug, n, hex.EncodeToString(rnd[:]))
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", "", fmt.Errorf("PostgreSQL dei test (%s): %w", EnvURL, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", "", err
	}
	pu, err := url.Parse(base)
	if err != nil {
		return "", "", err
	}
	pu.Path = "/" + name
	return name, pu.String(), nil
}

// DropDatabase drops a database made by CreateDatabase, closing its connections.
func DropDatabase(ctx context.Context, base, name string) error {
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`)
	return err
}
