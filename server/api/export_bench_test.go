package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"nullaosta/server/core"
	"nullaosta/server/demo"
	"nullaosta/shared"
)

// BenchmarkExportCSV measures the export's cost per row (the whole figure, on 300,000 rows
// and with the server's memory, is make bench-export).
func BenchmarkExportCSV(b *testing.B) {
	e := newEnv(b, func(c *Config) {
		c.Campaigns = []shared.Campaign{shared.DemoCampaign(shared.KindEM, t0)}
	})
	owner := e.newActor("operatore", "op@example.it", core.RoleOperatore)
	admin := e.newActor("admin", "admin@example.it", core.RoleAdmin)
	c := shared.DemoCampaign(shared.KindEM, t0)
	g := demo.New(1)
	const rows = 2000
	ctx := context.Background()
	var ins []core.SubmissionInput
	for i := range rows {
		d := g.Application(shared.KindEM, "colf", "CN")
		m := &core.Module{Kind: shared.KindEM, CampaignID: c.ID, UserID: owner.user.ID, Data: generation(shared.KindEM, d)}
		if err := e.db.CreateModule(ctx, m, 0); err != nil {
			b.Fatal(err)
		}
		in := core.NewSubmissionInput(fmt.Sprintf("bench-%06d", i), m, &c, d, shared.IdentifySubmission(m.Kind, d))
		in.CheckSent = nil
		ins = append(ins, in)
	}
	e.db.Submit(ctx, ins)
	req := httptest.NewRequest("GET", "/api/v1/sportello/export.csv?kind=EM", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: admin.cookie})
	b.ResetTimer()
	for range b.N {
		w := &discard{h: http.Header{}}
		e.srv.ServeHTTP(w, req)
		if w.status != http.StatusOK || w.n < rows*100 {
			b.Fatalf("status %d, %d bytes", w.status, w.n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
}

type discard struct {
	h      http.Header
	status int
	n      int
}

func (d *discard) Header() http.Header { return d.h }
func (d *discard) WriteHeader(s int)   { d.status = s }
func (d *discard) Write(p []byte) (int, error) {
	if d.status == 0 {
		d.status = http.StatusOK
	}
	d.n += len(p)
	return len(p), nil
}

var _ io.Writer = (*discard)(nil)

// BenchmarkFillRecord is the export's inner loop on one EM application, values as stored and
// as a person reads them (go test -bench FillRecord ./server/api/).
func BenchmarkFillRecord(b *testing.B) {
	g := demo.New(1)
	var contents [][]byte
	for range 64 {
		contents = append(contents, shared.CanonicalJSON(g.Application(shared.KindEM, "colf", "CN")))
	}
	for _, readable := range []bool{false, true} {
		name := map[bool]string{false: "dati", true: "leggibile"}[readable]
		b.Run(name, func(b *testing.B) {
			header, cols := exportColumns(shared.KindEM, readable)
			record := make([]string, len(header))
			b.ReportAllocs()
			for i := range b.N {
				clear(record)
				if err := fillRecord(contents[i%len(contents)], cols, record); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
