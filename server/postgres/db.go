// Package postgres stores accounts, modules, submissions and the outbox in PostgreSQL, behind
// the same core services as server/sqlite, so that several server instances can share one
// database. Migrations are embedded and numbered; the first instance to start applies the
// pending ones under an advisory lock while the others wait.
//
// Every guarantee is the database's, not a process's:
//   - a submission locks its campaign's protocol_counters row before deciding anything
//     (SELECT … FOR UPDATE), so idempotency, E2/E3 and the gapless numbering see the
//     submissions of every instance in one order, under READ COMMITTED;
//   - the private user's module limit locks the user's row (FOR NO KEY UPDATE) before counting;
//   - the outbox is claimed with FOR UPDATE SKIP LOCKED and a lease, so one instance sends
//     each message;
//   - the audit log refuses UPDATE, DELETE and TRUNCATE by trigger.
//
// Row locks rather than SERIALIZABLE: the counter row is a hot spot every submission of a
// campaign must update anyway, so under SERIALIZABLE concurrent submissions would abort each
// other and retry (work thrown away exactly when the load is highest); waiting on the row
// lock costs one queue and never fails. Transactions that do abort all the same (a deadlock,
// a serialization failure, a dropped connection) are retried here a few times, then answered
// with ERETRY: nothing was stored, the client sends again.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"nullaosta/server/core"
)

//go:embed migrations/*.sql
var migrations embed.FS

// IsURL reports whether a -db value names a PostgreSQL database rather than a SQLite file.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// DB is the store. It implements the services of package core.
type DB struct {
	// Now is the clock; tests fix it.
	Now func() time.Time
	// Signer signs receipts in the transaction that assigns their protocol number.
	Signer core.Signer
	// Logger receives failures the caller does not see.
	Logger *slog.Logger

	pool *pgxpool.Pool
	url  string
}

// migrationLock is the advisory lock key under which migrations run ("nullaosta" in ASCII).
const migrationLock = 0x6e756c6c616f7374

// Open connects to the database at url (postgres://…) and applies pending migrations.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("indirizzo del database PostgreSQL non valido: %w", err)
	}
	if cfg.MaxConns < int32(4*runtime.NumCPU()) && !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = int32(max(8, 4*runtime.NumCPU()))
	}
	// Every statement is parsed once per connection and kept: the store sends few distinct ones.
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheStatement
	// A stuck query does not hold a connection and its locks for ever.
	if _, ok := cfg.ConnConfig.RuntimeParams["statement_timeout"]; !ok {
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = "60000"
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["lock_timeout"]; !ok {
		cfg.ConnConfig.RuntimeParams["lock_timeout"] = "30000"
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connessione al database PostgreSQL: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connessione al database PostgreSQL %s: %w", Redact(url), err)
	}
	db := &DB{Now: time.Now, Logger: slog.Default(), pool: pool, url: url}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the pool, after the queries in progress.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// URL is the address the store was opened with.
func (db *DB) URL() string { return db.url }

// Pool is the connection pool, for tools and tests that read the database directly.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// now is the store's clock, to the millisecond: what is written is what is read back, and a
// receipt's signed time is the stored one.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Millisecond) }

// ts is how an instant from a caller is written: UTC, to the millisecond.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// fmtTime is the text form of an instant, as core and receipts use it.
func fmtTime(t time.Time) string { return t.UTC().Format(core.ReceivedAtLayout) }

// Redact hides the password of a database address in messages.
func Redact(url string) string {
	cfg, err := pgconn.ParseConfig(url)
	if err != nil {
		return "(indirizzo non leggibile)"
	}
	return fmt.Sprintf("%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

// maxAttempts bounds how often a transaction that aborted for a reason of concurrency is run.
const maxAttempts = 4

// tx runs fn in a transaction and commits, retrying when PostgreSQL aborted it for a reason of
// concurrency (deadlock, serialization failure) or the connection dropped before the commit
// was sent. fn must not keep state outside the transaction unless the caller reads it only
// when tx returns nil; it may run more than once. The error is fn's own, or ERETRY.
func (db *DB) tx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	// Once started, a write is finished even if the client went away, so that what the store
	// did and what the caller believes never differ.
	ctx = context.WithoutCancel(ctx)
	var err error
	for attempt := range maxAttempts {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt*attempt) * 5 * time.Millisecond)
		}
		err = pgx.BeginFunc(ctx, db.pool, fn)
		if err == nil || !transient(err) {
			break
		}
	}
	return classify(err)
}

// errRace is a unique key taken by another instance between a check and an insert: running
// the transaction again sees the committed row and decides on it.
var errRace = errors.New("postgres: inserimento concorrente")

// transient reports whether running the transaction again may succeed.
func transient(err error) bool {
	if errors.Is(err, errRace) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "40001", "40P01", "55P03": // serialization_failure, deadlock_detected, lock_not_available
			return true
		}
		return false
	}
	var ce *core.Error
	if errors.As(err, &ce) {
		return false
	}
	// A connection that failed before anything was sent, or was closed under us.
	return pgconn.SafeToRetry(err) || errors.Is(err, pgx.ErrTxClosed)
}

// retryable is the answer when nothing was stored and the client should send again.
func retryable() error {
	return &core.Error{Code: core.ERETRY, Message: "Il server è momentaneamente occupato e non ha " +
		"salvato la richiesta: riprova fra qualche secondo (i dati non vanno persi)."}
}

// classify keeps *core.Error as they are, turns concurrency aborts and lost connections into
// ERETRY, and leaves the rest as internal errors.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var ce *core.Error
	if errors.As(err, &ce) {
		return err
	}
	if transient(err) {
		return retryable()
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code[:2] {
		case "08", "53", "57": // connection exception, insufficient resources, operator intervention
			return retryable()
		}
		return err
	}
	var ne interface{ Timeout() bool }
	if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) {
		return retryable()
	}
	return err
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY violation.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// migrate applies, in order, every embedded migration newer than the database's version,
// holding an advisory lock for the whole run: instances starting together apply each
// migration once, the others wait and then find nothing to do.
func (db *DB) migrate(ctx context.Context) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrazioni: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLock)); err != nil {
		return fmt.Errorf("migrazioni: blocco: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrationLock))

	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`); err != nil {
		return fmt.Errorf("migrazioni: %w", err)
	}
	ms, err := migrationFiles()
	if err != nil {
		return err
	}
	for _, m := range ms {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, m.version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile(m.path)
		if err != nil {
			return err
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			// The simple protocol: a migration is many statements.
			if _, err := tx.Exec(ctx, string(body), pgx.QueryExecModeSimpleProtocol); err != nil {
				return fmt.Errorf("migrazione %s: %w", m.path, err)
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
				m.version, strings.TrimPrefix(m.path, "migrations/"), db.now())
			return err
		})
		if err != nil {
			return err
		}
		db.Logger.Info("migrazione applicata", "versione", m.version, "file", m.path)
	}
	return nil
}

type migration struct {
	version int
	path    string
}

func migrationFiles() ([]migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, n := range names {
		base := strings.TrimPrefix(n, "migrations/")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migrazione %s: il nome deve iniziare con un numero e _", n)
		}
		ms = append(ms, migration{v, n})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// SchemaVersion returns the newest applied migration.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Exec runs one statement outside the store's methods (tests and tools).
func (db *DB) Exec(ctx context.Context, q string, args ...any) error {
	_, err := db.pool.Exec(ctx, q, args...)
	return err
}

func itoa(n int) string { return strconv.Itoa(n) }

// SetLogger sets the logger of the failures the caller does not see.
func (db *DB) SetLogger(l *slog.Logger) { db.Logger = l }

// SetClock sets the store's clock (the demo loader dates its data in the past).
func (db *DB) SetClock(now func() time.Time) { db.Now = now }
