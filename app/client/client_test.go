package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"nullaosta/app/client"
	"nullaosta/app/store"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

func newClient(t *testing.T, srv *fakeServer) *client.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return client.New(srv.URL+"/", &http.Client{Jar: jar, Timeout: 10 * time.Second, Transport: transportFor(srv)})
}

func TestAccountJourney(t *testing.T) {
	ctx := context.Background()
	_, srv := newFake(t)
	c := newClient(t, srv)

	msg, err := c.Register(ctx, client.Registration{Cognome: "Bianchi", Nome: "Bruno", Email: "bruno@example.it",
		DataNascita: "1990-05-06", Password: "x"})
	if err != nil || !strings.Contains(msg, "bruno@example.it") {
		t.Fatalf("Register = %q, %v", msg, err)
	}
	_, err = c.Register(ctx, client.Registration{Email: email})
	checkError(t, err, 409, client.CodeConflict, "Esiste già")

	if msg, err := c.Activate(ctx, "abc", "una frase lunga"); err != nil || msg != "Account attivato: abc" {
		t.Errorf("Activate = %q, %v", msg, err)
	}

	_, err = c.Me(ctx)
	checkError(t, err, 401, client.CodeUnauthorized, "Accedi")

	_, err = c.Login(ctx, email, "sbagliata")
	checkError(t, err, 401, client.CodeUnauthorized, "E-mail o password errate.")
	u, err := c.Login(ctx, email, password)
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != "7" || u.Email != email || u.Role != wire.RoleOperatore || u.ModulesGenerated != 1 {
		t.Errorf("Login user = %+v", u)
	}
	if u, err := c.Me(ctx); err != nil || u.Nome != "Anna" {
		t.Errorf("Me after login = %+v, %v", u, err)
	}
	if err := c.ChangePassword(ctx, password, "nuova"); err != nil {
		t.Errorf("ChangePassword: %v", err)
	}
	err = c.ChangePassword(ctx, "vecchia", "nuova")
	checkError(t, err, 422, client.CodeInvalid, "password attuale")

	if msg, err := c.RequestReset(ctx, email); err != nil || msg == "" {
		t.Errorf("RequestReset = %q, %v", msg, err)
	}
	if err := c.ConfirmReset(ctx, "tok", "nuova"); err != nil {
		t.Errorf("ConfirmReset: %v", err)
	}
	if err := c.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = c.Me(ctx)
	checkError(t, err, 401, client.CodeUnauthorized, "")
}

func TestModules(t *testing.T) {
	ctx := context.Background()
	_, srv := newFake(t)
	c := newClient(t, srv)
	if _, err := c.Login(ctx, email, password); err != nil {
		t.Fatal(err)
	}
	cs, err := c.Campaigns(ctx)
	if err != nil || len(cs) != 1 || cs[0].ID != "em2009" || cs[0].Kind != shared.KindEM {
		t.Errorf("Campaigns = %+v, %v", cs, err)
	}
	if v, err := c.RefDataVersion(ctx); err != nil || v != "istat-2020" {
		t.Errorf("RefDataVersion = %q, %v", v, err)
	}

	m, problems, err := c.GenerateModule(ctx, shared.KindEM, shared.Data{"datore.cognome": "Rossi"})
	if err != nil || problems != nil {
		t.Fatalf("GenerateModule = %v, %v", problems, err)
	}
	if m.ID != "EM-7K3Q-9XHD-4" || m.Kind != shared.KindEM || m.Data["datore.convivente"] != true ||
		!m.CreatedAt.Equal(time.Date(2026, 11, 23, 13, 5, 9, 0, time.UTC)) || m.Status != client.ModuleGenerated {
		t.Errorf("GenerateModule module = %+v", m)
	}
	_, problems, err = c.GenerateModule(ctx, shared.KindEM, shared.Data{})
	checkError(t, err, 422, client.CodeInvalid, "Controlla")
	if len(problems) != 1 || problems[0].Field != "datore.cognome" || problems[0].Message != "Scrivi il cognome." {
		t.Errorf("GenerateModule problems = %+v", problems)
	}

	ms, err := c.ListModules(ctx)
	if err != nil || len(ms) != 1 {
		t.Errorf("ListModules = %+v, %v", ms, err)
	}
	if _, err := c.GetModule(ctx, "EM-7K3Q-9XHD-4"); err != nil {
		t.Errorf("GetModule: %v", err)
	}
	_, err = c.GetModule(ctx, "EM-NOPE")
	checkError(t, err, 404, client.CodeNotFound, "Modulo non trovato.")

	r, err := c.Validate(ctx, shared.KindEM, "2009-09-15", shared.Data{"a": "b"})
	if err != nil || !r.Valid || len(r.Problems) != 1 || r.Problems[0].Message != "2009-09-15" {
		t.Errorf("Validate = %+v, %v", r, err)
	}
}

func TestTokensAndImport(t *testing.T) {
	ctx := context.Background()
	_, srv := newFake(t)
	anon := newClient(t, srv) // "Importa" needs no session

	_, err := anon.CreateToken(ctx, email, "sbagliata", "")
	checkError(t, err, 401, client.CodeUnauthorized, "")
	tok, err := anon.CreateToken(ctx, email, password, "tablet")
	if err != nil || tok.Token != token || tok.ID != "t1" || tok.Label != "tablet" || tok.ExpiresAt.IsZero() {
		t.Fatalf("CreateToken = %+v, %v", tok, err)
	}
	_, err = anon.Import(ctx)
	checkError(t, err, 401, client.CodeUnauthorized, "")

	bearer := anon.WithToken(tok.Token)
	imp, err := bearer.Import(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if imp.User.Email != email || len(imp.Modules) != 1 || len(imp.Campaigns) != 1 || imp.RefdataVersion != "istat-2020" {
		t.Errorf("Import = %+v", imp)
	}
	ts, err := bearer.ListTokens(ctx)
	if err != nil || len(ts) != 1 || ts[0].Token != "" || ts[0].LastUsedAt.IsZero() {
		t.Errorf("ListTokens = %+v, %v", ts, err)
	}
	// WithToken returned a copy: the original client is still anonymous.
	_, err = anon.ListTokens(ctx)
	checkError(t, err, 401, client.CodeUnauthorized, "")

	err = bearer.RevokeToken(ctx, "t1") // revoking needs the session, not the token
	checkError(t, err, 401, client.CodeUnauthorized, "")
	if _, err := anon.Login(ctx, email, password); err != nil {
		t.Fatal(err)
	}
	if err := anon.RevokeToken(ctx, "t1"); err != nil {
		t.Errorf("RevokeToken: %v", err)
	}

	ms, err := anon.DevMail(ctx, "bruno+x@example.it")
	if err != nil || len(ms) != 1 || ms[0].To != "bruno+x@example.it" || ms[0].ID != "1" {
		t.Errorf("DevMail = %+v, %v", ms, err)
	}
}

func TestSendAndReceipts(t *testing.T) {
	ctx := context.Background()
	f, srv := newFake(t)
	c := newClient(t, srv).WithToken(token)
	f.answer = func(sub, mod string) map[string]any {
		switch sub {
		case "s-rej":
			return map[string]any{"status": "rejected", "problems": []shared.Problem{{Field: "f", Code: "c",
				Severity: shared.SeverityError, Message: "Campo sbagliato."}}, "error": map[string]string{"code": "invalid", "message": "Modulo non valido."}}
		case "s-retry":
			return map[string]any{"status": "retry", "error": map[string]string{"code": "retry", "message": "Server occupato."}}
		}
		return nil
	}
	items := []store.OutboxItem{
		{User: email, SubmissionID: "s-ok", ModuleID: "EM-1", Data: shared.Data{"a": "x", "b": true}},
		{User: email, SubmissionID: "s-rej", ModuleID: "EM-2", Data: shared.Data{}},
		{User: email, SubmissionID: "s-retry", ModuleID: "EM-3", Data: shared.Data{}},
	}
	res, err := c.Send(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 {
		t.Fatalf("Send results = %+v", res)
	}
	ok, rej, retry := res[0], res[1], res[2]
	if ok.Status != client.StatusAccepted || ok.Receipt == nil || ok.Receipt.Protocol != "EM2009-s-ok" || ok.ModuleID != "EM-1" {
		t.Errorf("accepted = %+v", ok)
	}
	if rej.Status != client.StatusRejected || len(rej.Problems) != 1 || rej.Error == nil || rej.Error.Message != "Modulo non valido." {
		t.Errorf("rejected = %+v", rej)
	}
	if retry.Status != client.StatusRetry || retry.Receipt != nil {
		t.Errorf("retry = %+v", retry)
	}
	if sr := ok.Receipt; sr.Protocol != "EM2009-s-ok" || sr.Sportello != "Sportello Unico di Roma" || sr.KeyID != "k1" {
		t.Errorf("Receipt = %+v", sr)
	}

	rs, err := c.Receipts(ctx)
	if err != nil || len(rs) != 1 {
		t.Errorf("Receipts = %+v, %v", rs, err)
	}
	pdf, err := c.ReceiptPDF(ctx, "EM2009-0000123")
	if err != nil || !strings.HasPrefix(string(pdf), "%PDF") || !strings.HasSuffix(string(pdf), "EM2009-0000123") {
		t.Errorf("ReceiptPDF = %q, %v", pdf, err)
	}
	if u := c.ReceiptPDFURL("EM2009-0000123"); u != srv.URL+"/api/v1/receipts/EM2009-0000123/pdf" {
		t.Errorf("ReceiptPDFURL = %s", u)
	}
	if id, key, err := c.PublicKey(ctx); err != nil || id != "k1" || key != "cHVi" {
		t.Errorf("PublicKey = %q %q %v", id, key, err)
	}
	if ks, err := c.ReceiptKeys(ctx); err != nil || len(ks.Keys) != 2 || !ks.Keys[0].Current || ks.Keys[1].KeyID != "k0" || ks.Keys[1].PublicKey != "b2xk" {
		t.Errorf("ReceiptKeys = %+v, %v", ks, err)
	}
}

// TestSendBatches checks that a large queue is split under the body limit, and that the
// results of the requests that went through are returned with the error of one that did not.
func TestSendBatches(t *testing.T) {
	ctx := context.Background()
	f, srv := newFake(t)
	c := newClient(t, srv).WithToken(token)
	client.SetBatchLimit(c, 7<<10)
	big := strings.Repeat("x", 1<<10) // 1 KiB per module: 6 fit under 7 KiB
	var items []store.OutboxItem
	for i := range 10 {
		items = append(items, store.OutboxItem{SubmissionID: "s" + string(rune('a'+i)), ModuleID: "EM", Data: shared.Data{"big": big}})
	}
	res, err := c.Send(ctx, items)
	if err != nil || len(res) != 10 {
		t.Fatalf("Send = %d results, %v", len(res), err)
	}
	if len(f.batches) != 2 || f.batches[0]+f.batches[1] != 10 || f.batches[0] > 6 {
		t.Errorf("batches = %v", f.batches)
	}

	f.batches = nil
	f.answer = func(sub, mod string) map[string]any {
		if sub == "sj" { // in the second batch
			return map[string]any{"status": "http500"}
		}
		return nil
	}
	res, err = c.Send(ctx, items)
	checkError(t, err, 500, client.CodeInternal, "Errore interno")
	if len(res) != f.batches[0] {
		t.Errorf("after a failed second batch: %d results, want the first batch's %d", len(res), f.batches[0])
	}
}

func TestOfflineAndOddAnswers(t *testing.T) {
	ctx := context.Background()
	_, srv := newFake(t)
	c := newClient(t, srv)

	err := client.Do(c, ctx, "GET", "/proxy-error", nil, nil)
	checkError(t, err, 502, client.CodeRetry, "HTTP 502")
	if client.IsOffline(err) {
		t.Error("a 502 counts as offline")
	}

	srv.Close()
	_, err = c.Me(ctx)
	if !client.IsOffline(err) {
		t.Fatalf("server down: %v, want offline", err)
	}
	var e *client.Error
	if errors.As(err, &e) {
		t.Error("an offline error is also an *Error")
	}
	if !strings.Contains(err.Error(), "connessione") {
		t.Errorf("offline message = %q", err)
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = c.Me(cctx)
	if client.IsOffline(err) || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled and not offline", err)
	}
}

func checkError(t *testing.T, err error, status int, code, msgPart string) {
	t.Helper()
	var e *client.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want *client.Error", err, err)
	}
	if e.Status != status || e.Code != code || !strings.Contains(e.Message, msgPart) || e.Error() != e.Message {
		t.Errorf("err = %+v, want status %d code %s message containing %q", e, status, code, msgPart)
	}
	if client.ErrorCode(err) != code {
		t.Errorf("ErrorCode = %q", client.ErrorCode(err))
	}
}
