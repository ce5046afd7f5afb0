package shared

import (
	"encoding/json"
	"os"
	"reflect"
	"runtime"
	"strings"
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

// TestBoxedText: the texts DataInto keeps side by side read as plain strings everywhere — type
// switches, comparisons, encoding/json, reflection — survive a collection, stay what they were
// when other keys are written, and cost no allocation each.
func TestBoxedText(t *testing.T) {
	body, err := os.ReadFile("testdata/em_colf.json")
	if err != nil {
		t.Fatal(err)
	}
	var want Data
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatal(err)
	}
	// A lent map (texts taken in chunks) and a new one (texts counted ahead).
	for _, lent := range []Data{make(Data, 64), nil} {
		got, ok := NewJSONReader(body).DataInto(lent)
		if !ok {
			t.Fatal("not read")
		}
		runtime.GC()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got %#v, want %#v", got, want)
		}
		for k, v := range want {
			if s, ok := v.(string); ok && (got[k] != v || got.Str(k) != strings.TrimSpace(s)) {
				t.Fatalf("%s: %#v, want %#v", k, got[k], v)
			}
		}
		a, _ := json.Marshal(got)
		b, _ := json.Marshal(want)
		if string(a) != string(b) {
			t.Fatalf("encoding/json writes %s, want %s", a, b)
		}
		for k := range got {
			got[k] = "x"
			want[k] = "x"
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("after writing %s: got %#v, want %#v", k, got, want)
			}
		}
		json.Unmarshal(body, &want)
	}
	d := make(Data, 64)
	if n := testing.AllocsPerRun(100, func() {
		NewJSONReaderOwned(body).DataInto(d)
		clear(d)
	}); n > 4 {
		t.Errorf("DataInto of a lent map: %v allocations, want at most 4 (a chunk of texts per 32 and the reader)", n)
	}
}
