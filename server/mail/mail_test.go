package mail

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"nullaosta/server/core"
)

func TestTexts(t *testing.T) {
	u := &core.User{Email: "maria@example.it", Nome: "Maria", Cognome: "Rossi"}
	a := Activation("https://nullaosta.example/", "tok+en/1", u)
	if a.Link != "https://nullaosta.example/attiva?token=tok%2Ben%2F1" || !strings.Contains(a.Body, a.Link) || a.To != u.Email {
		t.Fatalf("activation %+v", a)
	}
	r := Reset("http://localhost:8080", "abc", u)
	if r.Link != "http://localhost:8080/reimposta-password?token=abc" || !strings.Contains(r.Body, "Gentile Maria Rossi") {
		t.Fatalf("reset %+v", r)
	}
}

func TestMessage(t *testing.T) {
	m := core.Mail{To: "maria@example.it", Subject: "Nullaosta: attiva il tuo account", Body: "Città è qui\nriga due"}
	b, err := Message("Nullaosta <noreply@nullaosta.example>", m, time.Date(2009, 9, 1, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{"From: Nullaosta <noreply@nullaosta.example>\r\n", "To: maria@example.it\r\n",
		"Content-Type: text/plain; charset=UTF-8\r\n", "@nullaosta.example>\r\n", "Citt=C3=A0 =C3=A8 qui\r\nriga due"} {
		if !strings.Contains(s, want) {
			t.Errorf("message lacks %q:\n%s", want, s)
		}
	}
	if _, err := Message("x@y.it", core.Mail{To: "a@b.it\r\nBcc: evil@x.it"}, time.Now()); err == nil {
		t.Error("header injection accepted")
	}
}

type fakeOutbox struct {
	pending []core.Mail
	sent    []int64
	failed  []int64
	next    time.Time
}

func (f *fakeOutbox) PendingMail(ctx context.Context, n int) ([]core.Mail, error) {
	p := f.pending
	f.pending = nil
	return p, nil
}
func (f *fakeOutbox) MarkMailSent(ctx context.Context, id int64) error {
	f.sent = append(f.sent, id)
	return nil
}
func (f *fakeOutbox) MarkMailFailed(ctx context.Context, id int64, reason string, next time.Time) error {
	f.failed = append(f.failed, id)
	f.next = next
	return nil
}
func (f *fakeOutbox) MailTo(ctx context.Context, to string, n int) ([]core.Mail, error) {
	return nil, nil
}
func (f *fakeOutbox) RecentMail(ctx context.Context, n int) ([]core.Mail, error) { return nil, nil }

func TestSenderFlush(t *testing.T) {
	box := &fakeOutbox{pending: []core.Mail{{ID: 1, To: "a@x.it"}, {ID: 2, To: "fail@x.it", Attempts: 2}}}
	s := NewSender(box, SMTP{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	now := time.Date(2009, 9, 1, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	s.deliver = func(m core.Mail) error {
		if m.To == "fail@x.it" {
			return errors.New("connessione rifiutata")
		}
		return nil
	}
	s.Flush(context.Background())
	if len(box.sent) != 1 || box.sent[0] != 1 || len(box.failed) != 1 || box.failed[0] != 2 {
		t.Fatalf("sent %v failed %v", box.sent, box.failed)
	}
	if want := now.Add(4 * time.Minute); !box.next.Equal(want) {
		t.Fatalf("next attempt %v, want %v (backoff after the third attempt)", box.next, want)
	}
}
