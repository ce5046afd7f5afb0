package api

import (
	"fmt"
	"testing"

	"nullaosta/server/core"
)

// TestExportChunk: a chunk keeps each row the store lent it, content included, although the
// store reuses its buffer for the next row and the chunk's own buffer grows as rows come.
func TestExportChunk(t *testing.T) {
	c := &exportChunk{}
	for round := range 3 {
		lent := make([]byte, 0, 64)
		for i := range exportChunkRows {
			lent = append(lent[:0], fmt.Sprintf(`{"n":"%d-%d"}`, round, i)...)
			c.add(&core.DomandaRow{Protocol: fmt.Sprintf("P-%d", i), ReceivedAt: "2009", Stato: "ricevuta", Content: lent})
			for j := range lent {
				lent[j] = 'x' // the store's buffer, overwritten by the next row
			}
		}
		c.done()
		for i, r := range c.rows {
			if want := fmt.Sprintf(`{"n":"%d-%d"}`, round, i); string(r.Content) != want || r.Protocol != fmt.Sprintf("P-%d", i) {
				t.Fatalf("round %d row %d: %s %q, want %s", round, i, r.Protocol, r.Content, want)
			}
		}
		c.reset()
		if len(c.rows) != 0 || len(c.buf) != 0 {
			t.Fatalf("reset left %d rows", len(c.rows))
		}
	}
}
