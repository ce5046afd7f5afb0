package api

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// twinLimits are the limits the twins are compared under: a route's own and a tight one, so
// that every limit is reached by short inputs.
var twinLimits = []bodyLimit{batchBody, {bytes: 1 << 20, maxString: 8, maxArray: 3, what: "meno"}}

// sameCheck fails when the byte scanner (checkJSON on a well-formed object) and the token walk
// (checkTokens) judge body differently.
func sameCheck(t *testing.T, body []byte) {
	t.Helper()
	for _, lim := range twinLimits {
		fast, slow := checkJSON(body, lim), checkTokens(body, lim)
		if (fast == nil) != (slow == nil) || (fast != nil && fast.Error() != slow.Error()) {
			t.Fatalf("%q (maxString %d): checkJSON says %v, checkTokens says %v", body, lim.maxString, fast, slow)
		}
	}
}

// TestCheckJSONTwins: on the bodies every limit and refusal is about, and on the fuzz corpus
// of the request decoders, the byte scanner answers exactly as the token walk.
func TestCheckJSONTwins(t *testing.T) {
	deep := strings.Repeat(`{"a":`, maxDepth) + `1` + strings.Repeat(`}`, maxDepth)
	manyKeys := `{` + strings.Repeat(`"k":1,`, 3000) + `"z":1}`
	bodies := []string{
		`{}`, ` {"a": "b"} `, `{"a":[1,2,3]}`, `{"a":[1,2,3,4]}`, `{"a":[[1],[2],{"b":[true,false,null]}]}`,
		`{"a":"123456789"}`, `{"a":"12345678"}`, `{"a":"\u00e8\u00e8\u00e8\u00e8\u00e8"}`, `{"a":"èèèèè"}`,
		`{"a":"x\u0000y"}`, "{\"a\":\"x\xffy\"}", `{"a":"x\ufffdy"}`, "{\"a\":\"x\xef\xbf\xbdy\"}",
		`{"a\u0000":1}`, "{\"k\xff\":1}", `{"` + strings.Repeat("k", 300) + `":1}`, `{"a":"\"\\\/\b\f\n\r\t"}`,
		`{"a":-1.5e+10,"b":0,"c":true,"d":null,"e":false}`, `{"a":{"b":{"c":"1234567890"}}}`,
		`{"submissions":[{"submissionId":"12345678","moduleId":"EM-1","data":{"datore.nome":"Anna"}}]}`,
		deep, strings.Repeat(`{"a":`, maxDepth-1) + `1` + strings.Repeat(`}`, maxDepth-1), manyKeys,
		`[1]`, `"a"`, `1`, ``, `{`, `{"a":1}{}`, `{"a":1} x`, `{"a":}`, `{"a":1,}`, `{"a" 1}`,
	}
	for _, b := range bodies {
		sameCheck(t, []byte(b))
	}
	corpus, _ := filepath.Glob("testdata/fuzz/*/*")
	for _, f := range corpus {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// A corpus file is "go test fuzz v1" and one []byte("…") line.
		line := strings.TrimSpace(string(raw[strings.IndexByte(string(raw), '\n')+1:]))
		if body, ok := strings.CutPrefix(line, "[]byte("); ok {
			if s, err := strconv.Unquote(strings.TrimSuffix(body, ")")); err == nil {
				sameCheck(t, []byte(s))
			}
		}
	}
}

// FuzzCheckJSONTwins: for any input, the byte scanner answers exactly as the token walk.
func FuzzCheckJSONTwins(f *testing.F) {
	for _, s := range []string{`{"a":[1,"x",{"b":null}]}`, `{"a":"\u00e8"}`, "{\"a\":\"\xff\"}", `{"a":1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) { sameCheck(t, body) })
}

// BenchmarkCheckJSON: one submission of the EM application in shared/testdata, checked by the
// byte scanner (scan) and by the token walk it replaces on well-formed bodies (tokens).
func BenchmarkCheckJSON(b *testing.B) {
	data, err := os.ReadFile("../../shared/testdata/em_colf.json")
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"submissions":[{"submissionId":"0123456789abcdef","moduleId":"EM-1234-5678-9","data":` + string(data) + `}]}`)
	// scanJSON: the scan alone, as decodeSubmitRequest runs it after the hand parser.
	for name, check := range map[string]func([]byte, bodyLimit) error{"scan": checkJSON, "tokens": checkTokens, "scanJSON": scanJSON} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := check(body, batchBody); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
