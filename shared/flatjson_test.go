package shared

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

// sameDecodeData fails unless DecodeData answers b as json.Unmarshal into a Data does, and
// reports whether the hand reader took it.
func sameDecodeData(t *testing.T, b []byte) (fast bool) {
	t.Helper()
	got, gotErr := DecodeData(b)
	var want Data
	wantErr := json.Unmarshal(b, &want)
	if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
		t.Fatalf("%q: DecodeData says %v, encoding/json %v", b, gotErr, wantErr)
	}
	if gotErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: DecodeData gives %#v, encoding/json %#v", b, got, want)
	}
	r := NewJSONReader(b)
	_, ok := r.Data()
	return ok && r.End()
}

// TestDecodeData: applications as stored and as sent are read by hand, with encoding/json's
// values; anything else is encoding/json's answer.
func TestDecodeData(t *testing.T) {
	fixture, err := os.ReadFile("testdata/em_colf.json")
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := json.Marshal(Data{"a": "x<y>&z", "b": true, "c": "Niccolò", "d": "\u2028"})
	for _, b := range []string{string(fixture), string(stored), `{}`, ` { "a" : null , "b" : false , "a" : "è\"\\\n\u00e8\ud83d\ude00" } `} {
		if !sameDecodeData(t, []byte(b)) {
			t.Errorf("%s: left to encoding/json", b)
		}
	}
	for _, b := range []string{`null`, `{"a":1}`, `{"a":{}}`, `{"a":[]}`, `[]`, `"x"`, ``, `{`, `{"a":"b",}`, `{"a":tru}`,
		`{"a":truex}`, `{"a":"\ud800"}`, "{\"a\":\"\xff\"}", "{\"a\":\"\x01\"}", `{"a":"b"} x`, `{"a" "b"}`, `{a:"b"}`} {
		sameDecodeData(t, []byte(b))
	}
}

// FuzzDecodeData: for any input, DecodeData answers as encoding/json.
func FuzzDecodeData(f *testing.F) {
	for _, s := range []string{`{"a":"b","c":true,"d":null}`, `{"a":"\u00e8","a":"x"}`, `{"a":1}`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { sameDecodeData(t, b) })
}

// BenchmarkDecodeData: the EM application of testdata read by the hand reader into a map
// used again, as the server reads every submission.
func BenchmarkDecodeData(b *testing.B) {
	body, err := os.ReadFile("testdata/em_colf.json")
	if err != nil {
		b.Fatal(err)
	}
	d := make(Data, 64)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := NewJSONReaderOwned(body).DataInto(d); !ok {
			b.Fatal("not read")
		}
		clear(d)
	}
}
