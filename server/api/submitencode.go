package api

import (
	"net/http"
	"strconv"

	"nullaosta/shared"
)

// appendSubmitResponse appends the answer to POST /submissions exactly as
// json.Encoder{SetEscapeHTML(false)}.Encode(submitResponse{results}) writes it, newline
// included (TestSubmitEncodeTwins), without reflection: it was 7 µs of CPU per submission at
// C=50, more than the rest of the answer's writing.
func appendSubmitResponse(b []byte, results []submissionResult) []byte {
	b = append(b, `{"results":`...)
	if results == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range results {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendSubmissionResult(b, &results[i])
		}
		b = append(b, ']')
	}
	return append(b, "}\n"...)
}

func appendSubmissionResult(b []byte, r *submissionResult) []byte {
	b = append(b, `{"submissionId":`...)
	b = shared.AppendJSONString(b, r.SubmissionID)
	b = append(b, `,"moduleId":`...)
	b = shared.AppendJSONString(b, r.ModuleID)
	b = append(b, `,"status":`...)
	b = shared.AppendJSONString(b, r.Status)
	if rc := r.Receipt; rc != nil {
		for _, f := range [...]struct{ key, value string }{
			{`,"receipt":{"protocol":`, rc.Protocol},
			{`,"campaignId":`, rc.CampaignID},
			{`,"moduleId":`, rc.ModuleID},
			{`,"submissionId":`, rc.SubmissionID},
			{`,"receivedAt":`, rc.ReceivedAt},
			{`,"receivedAtRome":`, rc.ReceivedAtRome},
			{`,"sportello":`, rc.Sportello},
			{`,"provincia":`, rc.Provincia},
			{`,"sha256":`, rc.SHA256},
			{`,"signature":`, rc.Signature},
			{`,"keyId":`, rc.KeyID},
		} {
			b = append(b, f.key...)
			b = shared.AppendJSONString(b, f.value)
		}
		b = append(b, '}')
	}
	if len(r.Problems) > 0 {
		b = append(b, `,"problems":[`...)
		for i, p := range r.Problems {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"field":`...)
			b = shared.AppendJSONString(b, p.Field)
			b = append(b, `,"code":`...)
			b = shared.AppendJSONString(b, p.Code)
			b = append(b, `,"severity":`...)
			b = shared.AppendJSONString(b, string(p.Severity))
			b = append(b, `,"message":`...)
			b = shared.AppendJSONString(b, p.Message)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if e := r.Error; e != nil {
		b = append(b, `,"error":{"code":`...)
		b = shared.AppendJSONString(b, e.Code)
		b = append(b, `,"message":`...)
		b = shared.AppendJSONString(b, e.Message)
		if e.OpensAt != "" {
			b = append(b, `,"opensAt":`...)
			b = shared.AppendJSONString(b, e.OpensAt)
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

// writeSubmitResponse is writeJSON(w, http.StatusOK, submitResponse{results}), written by
// appendSubmitResponse.
func writeSubmitResponse(w http.ResponseWriter, results []submissionResult) {
	body := appendSubmitResponse(make([]byte, 0, submitResponseSize(results)), results)
	// The headers writeJSON sets, put in the map under their canonical keys: Header.Set
	// canonicalises each key and makes a slice for each value, and these two slices are made
	// once, shared by every answer and never written to (as securityHeaderValues).
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["Cache-Control"] = noStore
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

var (
	jsonContentType = []string{"application/json; charset=utf-8"}
	noStore         = []string{"no-store"}
)

// submitResponseSize is about what appendSubmitResponse writes, its texts as they are and its
// keys and punctuation counted generously, so that the answer is written into one allocation:
// a fixed guess per result was outgrown by a receipt with a warning (an expired document),
// and the answer was copied into a buffer twice as large. Only texts that need escaping make
// it larger, and append then grows it.
func submitResponseSize(results []submissionResult) int {
	n := len(`{"results":null}` + "\n") // the longer of no results' two forms
	for i := range results {
		r := &results[i]
		n += 64 + len(r.SubmissionID) + len(r.ModuleID) + len(r.Status)
		if rc := r.Receipt; rc != nil {
			n += 256 + len(rc.Protocol) + len(rc.CampaignID) + len(rc.ModuleID) + len(rc.SubmissionID) +
				len(rc.ReceivedAt) + len(rc.ReceivedAtRome) + len(rc.Sportello) + len(rc.Provincia) +
				len(rc.SHA256) + len(rc.Signature) + len(rc.KeyID)
		}
		for _, p := range r.Problems {
			n += 64 + len(p.Field) + len(p.Code) + len(p.Severity) + len(p.Message)
		}
		if e := r.Error; e != nil {
			n += 64 + len(e.Code) + len(e.Message) + len(e.OpensAt)
		}
	}
	return n
}
