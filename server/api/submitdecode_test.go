package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"nullaosta/shared"
)

// sameSubmitDecode fails when decodeSubmitRequest and decodeBytes (encoding/json) answer body
// differently: another error, another message, or other values. It reports whether the hand
// parser took the body itself.
func sameSubmitDecode(t *testing.T, body []byte) (fast bool) {
	t.Helper()
	var got, want submitRequest
	gotErr := decodeSubmitRequest(body, &got)
	wantErr := decodeBytes(body, &want, batchBody)
	if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
		t.Fatalf("%q: decodeSubmitRequest says %v, encoding/json says %v", body, gotErr, wantErr)
	}
	if gotErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: decodeSubmitRequest gives %#v, encoding/json %#v", body, got, want)
	}
	var direct submitRequest
	_, fast = fastSubmitRequest(body, &direct)
	if fast && !json.Valid(body) {
		t.Fatalf("%q: the hand parser read a body that is not JSON", body)
	}
	return fast
}

// TestSubmitDecodeTwins: the usual bodies are read by the hand parser, with the values
// encoding/json gives; every other body is answered exactly as encoding/json answers it.
func TestSubmitDecodeTwins(t *testing.T) {
	app, err := os.ReadFile("../../shared/testdata/em_colf.json")
	if err != nil {
		t.Fatal(err)
	}
	item := func(data string) string {
		return `{"submissionId":"0123456789abcdef","moduleId":"EM-1234-5678-9","data":` + data + `}`
	}
	handled := []string{
		`{"submissions":[` + item(string(app)) + `]}`,
		` { "submissions" : [ ` + item(string(app)) + ` , ` + item(`{}`) + ` ] } `,
		`{"submissions":[` + item(`{"a":"Niccolò","b":"D'Angelo","c":"x\"y\\z\n\u00e8\ud83d\ude00","d":true,"e":false,"f":null,"a":"again"}`) + `]}`,
		`{"submissions":[{"data":{"k":"v"},"moduleId":"M","submissionId":"S"}]}`,
		`{"submissions":[{}]}`, `{"submissions":[]}`, `{}`, `{"submissions":[{"submissionId":""}]}`,
	}
	for _, b := range handled {
		if !sameSubmitDecode(t, []byte(b)) {
			t.Errorf("%q: the hand parser left it to encoding/json", b)
		}
	}
	others := []string{
		// Another shape, type or spelling: encoding/json decides, and says why in Italian.
		`{"submissions":[` + item(`{"a":1}`) + `]}`, `{"submissions":[` + item(`{"a":{"b":"c"}}`) + `]}`,
		`{"submissions":[` + item(`{"a":["b"]}`) + `]}`, `{"submissions":[` + item(`null`) + `]}`,
		`{"submissions":[` + item(`"x"`) + `]}`, `{"submissions":null}`, `{"submissions":[null]}`,
		`{"submissions":{}}`, `{"Submissions":[]}`, `{"submissions":[{"SubmissionID":"12345678"}]}`,
		`{"submissions":[{"submissionId":1}]}`, `{"submissions":[{"other":1}]}`, `{"extra":1}`,
		`{"submissions":[],"submissions":[` + item(`{}`) + `]}`,
		`{"submissions":[{"submissionId":"a","submissionId":"b"}]}`,
		`{"submissions":[` + item(`{"a":"x\u0000y"}`) + `]}`, "{\"submissions\":[" + item("{\"a\":\"x\xffy\"}") + "]}",
		`{"submissions":[` + item(`{"a":"\ud800"}`) + `]}`, `{"submissions":[` + item(`{"a":truex}`) + `]}`,
		`{"submissions":[1]}`, `{"submissions":"x"}`, `[]`, `{"submissions":[` + item(`{}`) + `]} x`,
		`{"submissions":[` + item(`{"a":"b"`) + `]}`, `{"submissions":[` + item(`{"a":"b",}`) + `]}`,
		`{"submissions":[` + item(`{}`) + `,]}`, ``, `{`,
	}
	for _, b := range others {
		sameSubmitDecode(t, []byte(b))
	}
	// At and past each limit the hand parser still reads the body; the limits are checked
	// without scanJSON only when every string is plain and within them, and the answer is
	// the same either way: accepted, or refused with scanJSON's message.
	dl := shared.Limits()
	keys := func(n int, value string) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `"k%d":%q`, i, value)
		}
		return b.String() + "}"
	}
	long := func(n int, c string) string { return strings.Repeat(c, n/len(c)) }
	items := func(n int) string {
		return `{"submissions":[` + strings.TrimSuffix(strings.Repeat(item(`{"a":"b"}`)+",", n), ",") + `]}`
	}
	atLimits := []string{
		items(maxSubmissions), items(maxSubmissions + 1),
		`{"submissions":[` + item(keys(dl.MaxKeys, "x")) + `]}`,
		`{"submissions":[` + item(keys(dl.MaxKeys+1, "x")) + `]}`,
		`{"submissions":[` + item(keys(dl.MaxKeys+1, "è")) + `]}`,
		`{"submissions":[` + item(`{"a":"x","a":"y"}`) + `,` + item(keys(dl.MaxKeys-1, "x")) + `]}`,
		`{"submissions":[` + item(`{"`+long(dl.MaxKeyBytes, "k")+`":"x"}`) + `]}`,
		`{"submissions":[` + item(`{"`+long(dl.MaxKeyBytes+1, "k")+`":"x"}`) + `]}`,
		`{"submissions":[` + item(`{"`+long(dl.MaxKeyBytes-1, "k")+`è":"x"}`) + `]}`,
		`{"submissions":[` + item(`{"a":"`+long(batchBody.maxString, "x")+`"}`) + `]}`,
		`{"submissions":[` + item(`{"a":"`+long(batchBody.maxString+1, "x")+`"}`) + `]}`,
		`{"submissions":[` + item(`{"a":"`+long(batchBody.maxString-1, "x")+`è"}`) + `]}`,
		`{"submissions":[` + item(`{"a":"`+long(batchBody.maxString-2, "x")+`\u00e8"}`) + `]}`,
		`{"submissions":[{"submissionId":"` + long(batchBody.maxString+1, "x") + `"}]}`,
		`{"submissions":[{"moduleId":"` + long(batchBody.maxString+1, "x") + `"}]}`,
		`{"submissions":[` + item(`{"a":"x�y"}`) + `]}`, `{"submissions":[` + item(`{"a":"x\ufffdy"}`) + `]}`,
		`{"submissions":[` + item(`{"�":"y"}`) + `]}`, `{"submissions":[` + item(`{"a\u0000":"y"}`) + `]}`,
	}
	for _, b := range atLimits {
		if !sameSubmitDecode(t, []byte(b)) {
			t.Errorf("%.80q…: the hand parser left it to encoding/json", b)
		}
	}
}

// FuzzSubmitDecodeTwins: for any body, decodeSubmitRequest answers exactly as encoding/json.
func FuzzSubmitDecodeTwins(f *testing.F) {
	for _, s := range []string{
		`{"submissions":[{"submissionId":"0123456789abcdef","moduleId":"EM-1","data":{"a":"b","c":true,"d":null}}]}`,
		`{"submissions":[{"data":{"a":"\u00e8","a":"x"}},{}]}`, `{"submissions":[{"data":{"a":1}}]}`, `{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) { sameSubmitDecode(t, body) })
}

// BenchmarkDecodeSubmit: one submission of the EM application in shared/testdata, decoded by
// the hand parser (fast) and by encoding/json as before (reflect); both after checkJSON.
func BenchmarkDecodeSubmit(b *testing.B) {
	data, err := os.ReadFile("../../shared/testdata/em_colf.json")
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"submissions":[{"submissionId":"0123456789abcdef","moduleId":"EM-1234-5678-9","data":` + strings.TrimSpace(string(data)) + `}]}`)
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var req submitRequest
			if err := decodeSubmitRequest(body, &req); err != nil {
				b.Fatal(err)
			}
			// As prepareAll does once the items are prepared.
			for _, it := range req.Submissions {
				dataMaps.put(it.Data)
			}
		}
	})
	b.Run("reflect", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var req submitRequest
			if err := decodeBytes(body, &req, batchBody); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestValidSubmissionID: the byte loop accepts exactly what the pattern it replaces accepts.
func TestValidSubmissionID(t *testing.T) {
	pattern := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{7,99}$`)
	ids := []string{"", "1234567", "12345678", "0123456789abcdef", "lg-ac3e6808-0000001-1a2b3c4d",
		"550e8400-e29b-41d4-a716-446655440000", "-1234567", ".1234567", "a:b.c_d-e", "a:b.c_d-e/", "abcdefgh\n",
		"abcdefgè", "ABCDEFGH", "a       ", strings.Repeat("a", 100), strings.Repeat("a", 101), "a\x00bcdefgh"}
	for c := 0; c < 256; c++ {
		ids = append(ids, string(rune(c))+"1234567", "1234567"+string(rune(c)), "123\xff4567"+string([]byte{byte(c)}))
	}
	for _, id := range ids {
		if got, want := validSubmissionID(id), pattern.MatchString(id); got != want {
			t.Errorf("%q: validSubmissionID %v, pattern %v", id, got, want)
		}
	}
}

// TestReadBodyOneBuffer: a body whose length is declared is read into one buffer, not copied
// into a larger one to see its end.
func TestReadBodyOneBuffer(t *testing.T) {
	body := bytes.Repeat([]byte("x"), 3000)
	r := httptest.NewRequest("POST", "/", bytes.NewReader(body))
	b, err := readBody(httptest.NewRecorder(), r, batchBody)
	if err != nil || !bytes.Equal(b, body) {
		t.Fatalf("readBody: %d bytes, %v", len(b), err)
	}
	if cap(b) > len(body)+bytes.MinRead {
		t.Fatalf("a body of %d bytes ended in a buffer of %d", len(body), cap(b))
	}
}
