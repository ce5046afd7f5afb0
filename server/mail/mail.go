// Package mail writes the server's e-mails in Italian and delivers the outbox: over SMTP when
// configured, otherwise into the log and the development page, so the server runs with no
// mail server at all.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/url"
	"strconv"
	"strings"
	"time"

	"nullaosta/server/core"
)

// Activation is the e-mail with the account activation link.
func Activation(baseURL, token string, u *core.User) core.Mail {
	link := strings.TrimRight(baseURL, "/") + "/attiva?token=" + url.QueryEscape(token)
	body := fmt.Sprintf(`Gentile %s %s,

per completare la registrazione a Nullaosta e attivare l'account %s apri questo collegamento:

%s

Per attivarlo ti chiederemo la password che hai scelto registrandoti. Il collegamento vale
48 ore e si può usare una sola volta; se ti sei registrato più volte, vale solo il messaggio
più recente. Dopo l'attivazione accedi con l'e-mail e quella password.

Se non hai chiesto tu la registrazione, ignora questo messaggio: senza attivazione l'account
non può essere usato.

-- 
Nullaosta — domande di lavoro domestico
Questo messaggio è generato automaticamente: non rispondere.
`, u.Nome, u.Cognome, u.Email, link)
	return core.Mail{To: u.Email, Subject: "Nullaosta: attiva il tuo account", Body: body, Link: link}
}

// AlreadyRegistered is the e-mail to the owner of an active account when someone registers
// with its address: the registration answers the same as for a new address, so only the
// mailbox learns that the account exists.
func AlreadyRegistered(baseURL string, u *core.User) core.Mail {
	base := strings.TrimRight(baseURL, "/")
	body := fmt.Sprintf(`Gentile %s %s,

qualcuno ha chiesto di registrare a Nullaosta l'indirizzo %s, che ha già un account
attivo. L'account non è cambiato e nessun altro può usarlo con questa registrazione.

Se sei stato tu, accedi con la tua password da %s/accedi; se non la ricordi,
scegline una nuova da %s/password-dimenticata.

Se non sei stato tu, non devi fare nulla.

-- 
Nullaosta — domande di lavoro domestico
Questo messaggio è generato automaticamente: non rispondere.
`, u.Nome, u.Cognome, u.Email, base, base)
	return core.Mail{To: u.Email, Subject: "Nullaosta: il tuo indirizzo è già registrato", Body: body}
}

// Reset is the e-mail with the password reset link.
func Reset(baseURL, token string, u *core.User) core.Mail {
	link := strings.TrimRight(baseURL, "/") + "/reimposta-password?token=" + url.QueryEscape(token)
	body := fmt.Sprintf(`Gentile %s %s,

abbiamo ricevuto una richiesta di reimpostare la password dell'account %s.
Per sceglierne una nuova apri questo collegamento:

%s

Il collegamento vale un'ora e si può usare una sola volta. Quando imposti la nuova password
vengono chiuse tutte le sessioni aperte e revocati i token di importazione.

Se non hai chiesto tu di reimpostare la password, ignora questo messaggio: la password attuale
resta valida.

-- 
Nullaosta — domande di lavoro domestico
Questo messaggio è generato automaticamente: non rispondere.
`, u.Nome, u.Cognome, u.Email, link)
	return core.Mail{To: u.Email, Subject: "Nullaosta: reimposta la password", Body: body, Link: link}
}

// SMTP configures delivery; an empty Host means "no mail server".
type SMTP struct {
	Host string
	Port int // 465: implicit TLS; otherwise STARTTLS when offered
	User string
	Pass string
	From string
}

// Enabled reports whether a mail server is configured.
func (c SMTP) Enabled() bool { return c.Host != "" }

// Sender delivers the outbox. Without SMTP it logs that each message was queued (not its
// content) and marks it delivered: with -dev the development page shows it.
type Sender struct {
	Store    core.MailService
	SMTP     SMTP
	Logger   *slog.Logger
	Interval time.Duration // how often to look for due messages; Wake looks at once
	Now      func() time.Time

	deliver func(core.Mail) error
	wake    chan struct{}
}

// NewSender returns a sender over store.
func NewSender(store core.MailService, cfg SMTP, logger *slog.Logger) *Sender {
	s := &Sender{Store: store, SMTP: cfg, Logger: logger, Interval: 5 * time.Second, Now: time.Now,
		wake: make(chan struct{}, 1)}
	s.deliver = s.send
	if !cfg.Enabled() {
		s.deliver = s.log
	}
	return s
}

// Wake asks the sender to look at the outbox now (after a message was queued).
func (s *Sender) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends.
func (s *Sender) Run(ctx context.Context) {
	t := time.NewTicker(s.Interval)
	defer t.Stop()
	for {
		s.Flush(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.wake:
		}
	}
}

// Flush delivers every due message once.
func (s *Sender) Flush(ctx context.Context) {
	ms, err := s.Store.PendingMail(ctx, 50)
	if err != nil {
		s.Logger.Error("outbox", "err", err)
		return
	}
	for _, m := range ms {
		if err := s.deliver(m); err != nil {
			// Back off: 1, 2, 4 … minutes, at most a day.
			wait := min(time.Minute<<min(m.Attempts, 11), 24*time.Hour)
			s.Logger.Warn("invio e-mail non riuscito", "to", m.To, "id", m.ID, "attempt", m.Attempts+1, "retry_in", wait, "err", err)
			if err := s.Store.MarkMailFailed(ctx, m.ID, err.Error(), s.Now().Add(wait)); err != nil {
				s.Logger.Error("outbox", "err", err)
			}
			continue
		}
		if err := s.Store.MarkMailSent(ctx, m.ID); err != nil {
			s.Logger.Error("outbox", "err", err)
		}
	}
}

// log records that a message was queued and not sent, never what it says: its link is a
// secret (whoever reads it activates the account or sets its password), and logs are read
// by more people and kept longer than mailboxes. The development page shows it with -dev.
func (s *Sender) log(m core.Mail) error {
	s.Logger.Info("e-mail in coda non inviata: nessun server SMTP (con -dev si legge su /dev/mail)", "to", m.To, "subject", m.Subject, "id", m.ID)
	return nil
}

func (s *Sender) send(m core.Mail) error {
	msg, err := Message(s.SMTP.From, m, s.Now())
	if err != nil {
		return err
	}
	addr := net.JoinHostPort(s.SMTP.Host, strconv.Itoa(s.SMTP.Port))
	var c *smtp.Client
	if s.SMTP.Port == 465 {
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 30 * time.Second}, "tcp", addr, &tls.Config{ServerName: s.SMTP.Host})
		if err != nil {
			return err
		}
		if c, err = smtp.NewClient(conn, s.SMTP.Host); err != nil {
			conn.Close()
			return err
		}
	} else {
		conn, err := net.DialTimeout("tcp", addr, 30*time.Second)
		if err != nil {
			return err
		}
		if c, err = smtp.NewClient(conn, s.SMTP.Host); err != nil {
			conn.Close()
			return err
		}
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(&tls.Config{ServerName: s.SMTP.Host}); err != nil {
				c.Close()
				return err
			}
		}
	}
	defer c.Close()
	if s.SMTP.User != "" {
		// PlainAuth refuses to send the password over an unencrypted connection to a remote host.
		if err := c.Auth(smtp.PlainAuth("", s.SMTP.User, s.SMTP.Pass, s.SMTP.Host)); err != nil {
			return err
		}
	}
	if err := c.Mail(bareAddress(s.SMTP.From)); err != nil {
		return err
	}
	if err := c.Rcpt(m.To); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

func bareAddress(from string) string {
	if i := strings.LastIndex(from, "<"); i >= 0 {
		return strings.TrimSuffix(from[i+1:], ">")
	}
	return from
}

// Message renders m as an RFC 5322 message: UTF-8 text, quoted-printable, CRLF line ends.
func Message(from string, m core.Mail, now time.Time) ([]byte, error) {
	if strings.ContainsAny(m.To+from+m.Subject, "\r\n") {
		return nil, fmt.Errorf("mail: header injection in %q", m.To)
	}
	var id [12]byte
	rand.Read(id[:])
	domain := "nullaosta.localhost"
	if i := strings.LastIndex(bareAddress(from), "@"); i >= 0 {
		domain = bareAddress(from)[i+1:]
	}
	var b bytes.Buffer
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", from)
	h("To", m.To)
	h("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	h("Date", now.Format(time.RFC1123Z))
	h("Message-ID", "<"+hex.EncodeToString(id[:])+"@"+domain+">")
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=UTF-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(m.Body, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
