package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"nullaosta/server/api"
	"nullaosta/server/mail"
	"nullaosta/server/postgres"
	"nullaosta/server/sqlite"
	"nullaosta/shared"
)

type serveConfig struct {
	addr, addrFile, data, web, campaign, baseURL string
	db                                           string
	dev, bench                                   bool
	opensIn                                      time.Duration
	smtp                                         mail.SMTP
	trustedProxies                               string
	logLevel, logFormat                          string
	debugAddr                                    string
	dbFlag                                       *string
}

func serveFlags(args []string, stderr io.Writer) (*serveConfig, error) {
	c := &serveConfig{}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", ":8080", "indirizzo di ascolto (host:porta; porta 0: una libera)")
	fs.StringVar(&c.addrFile, "addr-file", "", "scrive qui l'indirizzo effettivo di ascolto (per script e test)")
	fs.StringVar(&c.data, "data", "./data", "cartella dei dati: chiave di firma delle ricevute e, senza -db, il database SQLite")
	c.dbFlag = dbFlag(fs)
	fs.StringVar(&c.web, "web", "./web", "cartella dei file statici servita sotto /web/ (app.wasm, CSS, icone)")
	fs.StringVar(&c.campaign, "campaign", "demo", "campagne: demo (invio aperto intorno a oggi) o official (em2009 e a2007)")
	fs.DurationVar(&c.opensIn, "opens-in", 0, "solo con -campaign demo: l'invio apre fra questo tempo (es. 30s), al secondo, invece che da un mese")
	fs.StringVar(&c.baseURL, "base-url", "", "indirizzo pubblico per i collegamenti nelle e-mail, per esempio https://nullaosta.example (obbligatorio senza -dev; con -dev: quello di -addr)")
	fs.BoolVar(&c.dev, "dev", false, "sviluppo: senza SMTP le e-mail si leggono su /dev/mail")
	fs.BoolVar(&c.bench, "bench", false, "SOLO per il generatore di carico: niente limiti di frequenza né limite di moduli")
	fs.StringVar(&c.smtp.Host, "smtp-host", "", "server SMTP (vuoto: nessun invio, e-mail nel log)")
	fs.IntVar(&c.smtp.Port, "smtp-port", 587, "porta SMTP (465: TLS implicito; altrimenti STARTTLS se offerto)")
	fs.StringVar(&c.smtp.User, "smtp-user", "", "utente SMTP")
	fs.StringVar(&c.smtp.Pass, "smtp-pass", "", "password SMTP (meglio la variabile d'ambiente NULLAOSTA_SMTP_PASS)")
	fs.StringVar(&c.smtp.From, "smtp-from", "Nullaosta <noreply@nullaosta.localhost>", "mittente delle e-mail")
	fs.StringVar(&c.trustedProxies, "trusted-proxy", "", "prefissi CIDR dei reverse proxy di cui credere X-Forwarded-For, separati da virgole")
	fs.StringVar(&c.logLevel, "log-level", "info", "debug, info, warn o error")
	fs.StringVar(&c.logFormat, "log-format", "text", "text o json")
	fs.StringVar(&c.debugAddr, "debug-addr", "", "indirizzo (solo loopback) per /debug/pprof; vuoto: spento")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("argomenti in più: %v", fs.Args())
	}
	c.db = database(*c.dbFlag, c.data)
	if c.smtp.Pass == "" {
		c.smtp.Pass = os.Getenv("NULLAOSTA_SMTP_PASS")
	}
	if c.campaign != "demo" && c.campaign != "official" {
		return nil, fmt.Errorf("-campaign deve essere demo o official, non %q", c.campaign)
	}
	if c.opensIn != 0 && (c.campaign != "demo" || c.opensIn < 0) {
		return nil, errors.New("-opens-in vale solo con -campaign demo, ed è una durata positiva (es. 30s)")
	}
	if c.baseURL != "" {
		u, err := url.Parse(c.baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("-base-url %q: serve un indirizzo come https://nullaosta.example (schema, host ed eventuale percorso)", c.baseURL)
		}
		c.baseURL = strings.TrimRight(u.String(), "/")
	} else if !c.dev {
		// The links of activation and reset e-mails are built from it: never from the
		// request's Host, which whoever sends the request chooses.
		return nil, errors.New("manca -base-url: indica l'indirizzo pubblico del servizio (per esempio -base-url https://nullaosta.example), da cui si costruiscono i collegamenti nelle e-mail; solo con -dev si ricava da -addr")
	}
	return c, nil
}

// devBaseURL is the address of a development server, from the address it listens on: the
// host of -addr, or localhost when -addr names none (":8080", "0.0.0.0:8080").
func devBaseURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("-log-level: %v", err)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("-log-format deve essere text o json, non %q", format)
}

// campaigns returns the campaigns the server runs, one per kind. opensIn > 0 makes the demo's
// window open that long after now, to the second (a click day to rehearse).
func campaigns(which string, now time.Time, opensIn time.Duration) []shared.Campaign {
	if which == "official" {
		return shared.Campaigns()
	}
	cs := []shared.Campaign{shared.DemoCampaign(shared.KindEM, now), shared.DemoCampaign(shared.KindA, now)}
	if opensIn > 0 {
		at := now.Add(opensIn).Truncate(time.Millisecond)
		for i := range cs {
			cs[i].SendFrom = shared.RomeDay(at).Format("2006-01-02")
			cs[i].SendOpensAt = at.UTC().Format(time.RFC3339Nano)
		}
	}
	return cs
}

func serveCmd(args []string, stderr io.Writer) int {
	cfg, err := serveFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, err)
		return 2
	}
	lines := newLineBuffer(stderr, logFlushEvery)
	defer lines.Close()
	logger, err := newLogger(lines, cfg.logLevel, cfg.logFormat)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	logger = slog.New(flushOnWarn{logger.Handler(), lines})
	slog.SetDefault(logger)
	paceCollector(os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, cfg, logger); err != nil {
		logger.Error("il server si è fermato", "err", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, cfg *serveConfig, logger *slog.Logger) error {
	db, signer, err := openData(cfg.data, cfg.db)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetLogger(logger)

	mailCtx, stopMail := context.WithCancel(context.Background())
	defer stopMail()
	sender := mail.NewSender(db, cfg.smtp, logger)
	mailDone := make(chan struct{})
	go func() { sender.Run(mailCtx); close(mailDone) }()

	var proxies []string
	for _, p := range strings.Split(cfg.trustedProxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			proxies = append(proxies, p)
		}
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	if cfg.addrFile != "" {
		if err := os.WriteFile(cfg.addrFile, []byte(ln.Addr().String()), 0o644); err != nil {
			ln.Close()
			return err
		}
	}
	baseURL := cfg.baseURL
	if baseURL == "" {
		baseURL = devBaseURL(ln.Addr()) // -dev only: serveFlags refuses the rest
	}
	web := api.NewWeb(cfg.web, version, baseURL, logger)
	cs := campaigns(cfg.campaign, time.Now(), cfg.opensIn)
	srv := api.New(db, signer, api.Config{
		Campaigns: cs,
		BaseURL:   baseURL,
		DevMail:   cfg.dev && !cfg.smtp.Enabled(),
		Bench:     cfg.bench,
		// Several instances may share a PostgreSQL database: one address, one budget.
		SharedAddressLimits: postgres.IsURL(cfg.db),
		TrustedProxies:      proxies,
		Version:             web.Version,
	})
	srv.Logger, srv.WakeMail, srv.App = logger, sender.Wake, web.Handler

	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute, // app.wasm over a slow mobile link
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	if cfg.bench {
		logger.Warn("MODALITÀ -bench: limiti di frequenza e limite di moduli DISATTIVATI; solo per il generatore di carico")
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID + " (" + c.SendFrom + "…" + c.SendTo + ")"
	}
	logger.Info("nullaosta in ascolto", "addr", ln.Addr().String(), "baseURL", baseURL, "data", cfg.data, "db", describeDB(cfg.db), "version", web.Version,
		"campaigns", strings.Join(ids, ", "), "smtp", cfg.smtp.Enabled(), "devmail", cfg.dev && !cfg.smtp.Enabled(),
		"keyId", signer.KeyID())

	if cfg.debugAddr != "" {
		if err := serveDebug(cfg.debugAddr, logger, db); err != nil {
			ln.Close()
			return err
		}
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("arresto: completo le richieste in corso")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = hs.Shutdown(shutdownCtx)
	stopMail()
	<-mailDone
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	if lite, ok := db.(*sqlite.DB); ok {
		st := lite.Stats()
		logger.Info("arrestato", "commits", st.Batches, "writes", st.Jobs, "largest_commit", st.MaxBatch, "writer", st.String())
	} else {
		logger.Info("arrestato")
	}
	return err
}

// serveDebug serves the profiler on a loopback address of its own.
func serveDebug(addr string, logger *slog.Logger, db store) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-debug-addr: %w", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-debug-addr %s: il profiler si espone solo su loopback", addr)
	}
	// The writer's waits are what the ingest figure hangs on: sample every contended lock and
	// every blocking of 100 µs or more, only when the profiler is on.
	runtime.SetMutexProfileFraction(5)
	runtime.SetBlockProfileRate(100_000)
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	// The group commit over a window: /debug/writer?seconds=8 (SQLite's writer).
	lite, _ := db.(*sqlite.DB)
	mux.HandleFunc("/debug/writer", func(w http.ResponseWriter, r *http.Request) {
		if lite == nil {
			http.Error(w, "solo con SQLite: PostgreSQL non ha lo scrittore unico", http.StatusNotFound)
			return
		}
		secs, _ := strconv.Atoi(r.URL.Query().Get("seconds"))
		before := lite.Stats()
		select {
		case <-time.After(time.Duration(min(max(secs, 0), 600)) * time.Second):
		case <-r.Context().Done():
			return
		}
		fmt.Fprintln(w, lite.Stats().Since(before))
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	logger.Info("profiler", "addr", ln.Addr().String())
	go http.Serve(ln, mux)
	return nil
}
