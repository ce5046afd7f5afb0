package api

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"nullaosta/server/core"
	"nullaosta/shared"
)

// encodeSubmitJSON is what writeJSON wrote for the answer: the twin appendSubmitResponse must match.
func encodeSubmitJSON(t testing.TB, results []submissionResult) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(submitResponse{Results: results}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// randomResults makes an answer's results (none, nil, or up to four) from random texts, with
// and without a receipt, with no problems, an empty list or a few, with and without an error
// and its opening time.
func randomResults(r *rand.Rand, text func() string) []submissionResult {
	var results []submissionResult
	if r.IntN(20) > 0 {
		results = make([]submissionResult, r.IntN(5))
	}
	for i := range results {
		res := &results[i]
		res.SubmissionID, res.ModuleID, res.Status = text(), text(), text()
		if r.IntN(2) == 0 {
			res.Receipt = &core.Receipt{Protocol: text(), CampaignID: text(), ModuleID: text(), SubmissionID: text(),
				ReceivedAt: text(), ReceivedAtRome: text(), Sportello: text(), Provincia: text(), SHA256: text(),
				Signature: text(), KeyID: text()}
		}
		switch r.IntN(3) {
		case 0:
			res.Problems = []shared.Problem{}
		case 1:
			for range 1 + r.IntN(3) {
				res.Problems = append(res.Problems, shared.Problem{Field: text(), Code: text(), Severity: shared.Severity(text()), Message: text()})
			}
		}
		if r.IntN(3) == 0 {
			res.Error = &errorJSON{Code: text(), Message: text()}
			if r.IntN(2) == 0 {
				res.Error.OpensAt = text()
			}
		}
	}
	return results
}

// TestSubmitEncodeTwins: the hand-written answer to POST /submissions is byte for byte what
// encoding/json writes, whatever the results hold.
func TestSubmitEncodeTwins(t *testing.T) {
	texts := []string{"", "EM-7K3Q-9XHD-4", "Il modulo contiene errori: «Codice fiscale» non valido.",
		`quote " and \ backslash`, "<script>&amp;</script>", "tab\there\nline\r\x00\x1f\x7f",
		"\u2028\u2029", "bad utf-8 \xff\xfe end", "èàù €", "😀"}
	r := rand.New(rand.NewPCG(3, 4))
	text := func() string { return texts[r.IntN(len(texts))] }
	for range 3000 {
		results := randomResults(r, text)
		want := encodeSubmitJSON(t, results)
		if got := appendSubmitResponse(nil, results); !bytes.Equal(got, want) {
			t.Fatalf("hand-written:\n%s\nencoding/json:\n%s", got, want)
		}
	}
}

// TestSubmitResponseSize: an answer whose texts need no escaping fits the size
// writeSubmitResponse allocates for it, whatever its results hold.
func TestSubmitResponseSize(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	text := func() string { return strings.Repeat("x", r.IntN(300)) }
	for range 2000 {
		results := randomResults(r, text)
		if got, size := len(appendSubmitResponse(nil, results)), submitResponseSize(results); got > size {
			t.Fatalf("the answer is %d bytes, %d were allocated: %+v", got, size, results)
		}
	}
}

// TestWriteSubmitResponse: the answer's headers are writeJSON's, and its length is declared.
func TestWriteSubmitResponse(t *testing.T) {
	results := []submissionResult{{SubmissionID: "sub-00000001", ModuleID: "EM-7K3Q-9XHD-4", Status: core.StatusAccepted,
		Receipt: &core.Receipt{Protocol: "EM2009-0000001"}}}
	w := httptest.NewRecorder()
	writeSubmitResponse(w, results)
	want := encodeSubmitJSON(t, results)
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/json; charset=utf-8" ||
		w.Header().Get("Cache-Control") != "no-store" || !bytes.Equal(w.Body.Bytes(), want) ||
		w.Header().Get("Content-Length") != strconv.Itoa(len(want)) {
		t.Fatalf("%d %v %s", w.Code, w.Header(), w.Body.Bytes())
	}
	// The same map Header.Set makes, and the values it shares with every answer stay as they
	// are when a later handler adds to its own.
	set := http.Header{}
	set.Set("Content-Type", "application/json; charset=utf-8")
	set.Set("Cache-Control", "no-store")
	set.Set("Content-Length", strconv.Itoa(len(want)))
	if !reflect.DeepEqual(w.Header(), set) {
		t.Fatalf("headers %v, want %v", w.Header(), set)
	}
	w.Header().Add("Content-Type", "text/plain")
	w.Header().Add("Cache-Control", "private")
	if len(jsonContentType) != 1 || jsonContentType[0] != "application/json; charset=utf-8" || len(noStore) != 1 || noStore[0] != "no-store" {
		t.Fatalf("shared values changed: %q %q", jsonContentType, noStore)
	}
	w = httptest.NewRecorder()
	writeSubmitResponse(w, results)
	if !reflect.DeepEqual(w.Header(), set) {
		t.Fatalf("next answer's headers %v, want %v", w.Header(), set)
	}
}

// BenchmarkSubmitEncode: the answer to one accepted submission with its receipt and a warning.
func BenchmarkSubmitEncode(b *testing.B) {
	results := []submissionResult{{SubmissionID: "0b8e6f0a-4c3e-4f7e-9a51-3d2f1c0e9b7a", ModuleID: "EM-7K3Q-9XHD-4", Status: core.StatusAccepted,
		Receipt: &core.Receipt{Protocol: "EM2009-0000123", CampaignID: "em2009", ModuleID: "EM-7K3Q-9XHD-4",
			SubmissionID: "0b8e6f0a-4c3e-4f7e-9a51-3d2f1c0e9b7a", ReceivedAt: "2009-09-15T08:00:00.123Z", ReceivedAtRome: "15/09/2009 10:00:00",
			Sportello: "Sportello Unico per l'Immigrazione di Cuneo", Provincia: "CN",
			SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Signature: "MEUCIQDx0u6cEJ4tZq2bq0cXb3nM0l8u9U0dV3kX7m5yq2v4fQIgQ0s1c3J4ZQ1bZ8m3y2nX9q8wYk2f3pZl0m9a1b2c3d4=",
			KeyID: "a1b2c3d4e5f60718"},
		// The warning the load generator's applications get (a document expired by now).
		Problems: []shared.Problem{{Field: "lavoratore.documento.data_scadenza", Code: shared.CodeDocumentExpired, Severity: shared.SeverityWarning,
			Message: "Attenzione: il documento del lavoratore è scaduto il 01/01/2020. La domanda si può inviare, ma al momento della convocazione presso lo Sportello Unico il lavoratore dovrà comunque esibirne una copia."}}}}
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			appendSubmitResponse(make([]byte, 0, submitResponseSize(results)), results)
		}
	})
	// The fixed guess writeSubmitResponse made before submitResponseSize.
	b.Run("hand-fixed-guess", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			appendSubmitResponse(make([]byte, 0, 128+768*len(results)), results)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.Encode(submitResponse{Results: results})
		}
	})
}
