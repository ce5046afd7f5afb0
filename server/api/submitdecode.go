package api

import (
	"sync"

	"nullaosta/shared"
)

// decodeSubmitRequest is decodeBytes for POST /submissions. The body every client sends —
// {"submissions":[{"submissionId":"…","moduleId":"…","data":{"key":"text"|true|false|null,…}}]}
// with each name written exactly so and at most once — is read by hand: encoding/json's
// reflection into the map was the largest part of decoding, itself a fifth of a submission's
// CPU on click day. Any other body (a number in the data, a name in another case, a field not
// expected, a value of another type…) goes through encoding/json as before, so every answer
// and every message stays as it was (TestSubmitDecodeTwins, FuzzSubmitDecodeTwins).
//
// The parser (shared.JSONReader) accepts only valid JSON, so a body it read is checked against
// its limits without json.Valid's pass (checkJSON), and, when every string it read is plain
// (no escape, ASCII only) and within the limits, without scanJSON's either: on such a body,
// whose shape the parser already checked, scanJSON has nothing left to refuse (withinLimits).
// Any other body read by hand is scanned as before, which finds the first limit it passes
// and says so. The same answer, one or two passes fewer (TestSubmitDecodeTwins).
//
// The texts of req may be made of body's bytes: body must not be written to afterwards.
func decodeSubmitRequest(body []byte, req *submitRequest) error {
	if st, ok := fastSubmitRequest(body, req); ok {
		if withinLimits(st, len(req.Submissions), batchBody) {
			return nil
		}
		return scanJSON(body, batchBody)
	}
	*req = submitRequest{}
	if err := checkJSON(body, batchBody); err != nil {
		return err
	}
	return decodeChecked(body, req)
}

// withinLimits reports whether scanJSON accepts a body that fastSubmitRequest read, with
// stats st and n submissions, knowing only these: the body is then one object holding one
// list of objects holding flat objects (four levels, fewer than maxDepth), in which only the
// list counts elements, every string is as long decoded as written, and none can hold a NUL
// or U+FFFD. Otherwise scanJSON decides.
func withinLimits(st shared.ReadStats, n int, lim bodyLimit) bool {
	dl := shared.Limits()
	return !st.NotPlain && n <= lim.maxArray && st.MostKeys <= dl.MaxKeys &&
		st.LongestKey <= dl.MaxKeyBytes && st.LongestText <= lim.maxString
}

// fastSubmitRequest fills req from body and sums up its strings, or answers false and leaves
// req to be reset.
func fastSubmitRequest(body []byte, req *submitRequest) (shared.ReadStats, bool) {
	// The body is read into a buffer of its own (readBody) that nothing writes to once read:
	// its strings are taken from it, not from a copy.
	r := shared.NewJSONReaderOwned(body)
	ok := readRequest(r, req)
	return r.Stats(), ok
}

func readRequest(r *shared.JSONReader, req *submitRequest) bool {
	if !r.Byte('{') {
		return false
	}
	if r.Byte('}') {
		return r.End()
	}
	if k, ok := r.Key(); !ok || k != "submissions" || !r.Byte('[') {
		return false
	}
	req.Submissions = []submissionItem{}
	if !r.Byte(']') {
		for {
			var it submissionItem
			if !readItem(r, &it) {
				return false
			}
			req.Submissions = append(req.Submissions, it)
			if r.Byte(']') {
				break
			}
			if !r.Byte(',') {
				return false
			}
		}
	}
	return r.Byte('}') && r.End()
}

// readItem reads one {"submissionId","moduleId","data"} object, each field at most once.
func readItem(r *shared.JSONReader, it *submissionItem) bool {
	if !r.Byte('{') {
		return false
	}
	if r.Byte('}') {
		return true
	}
	var seen [3]bool
	for {
		k, ok := r.Key()
		if !ok {
			return false
		}
		var f int
		switch k {
		case "submissionId":
			f = 0
			it.SubmissionID, ok = r.String()
		case "moduleId":
			f = 1
			it.ModuleID, ok = r.String()
		case "data":
			f = 2
			it.Data, ok = r.DataInto(dataMaps.get())
		default:
			return false
		}
		if !ok || seen[f] {
			return false
		}
		seen[f] = true
		if r.Byte('}') {
			return true
		}
		if !r.Byte(',') {
			return false
		}
	}
}

// dataMaps lends the maps a request's applications are decoded into, and then normalised in
// (PrepareSubmissionInPlace). Such a map lives only while its request is prepared: the
// preparation and NewSubmissionInput read it and keep what they need in strings and maps of
// their own (the canonical content, the data the rules across sent modules read:
// ForCheckSent), so prepareAll gives it back when every item is prepared. An application's
// map was the largest allocation of a submission (4 KB for 60 keys).
var dataMaps dataPool

type dataPool struct{ p sync.Pool }

func (dp *dataPool) get() shared.Data {
	if d, ok := dp.p.Get().(shared.Data); ok {
		return d
	}
	return make(shared.Data, 64)
}

// put takes d back empty, unless it is larger than any application may be (it would stay
// that large in the pool).
func (dp *dataPool) put(d shared.Data) {
	if d == nil || len(d) > shared.Limits().MaxKeys {
		return
	}
	clear(d)
	dp.p.Put(d)
}
