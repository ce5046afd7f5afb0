package core

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"reflect"
	"testing"
	"time"

	"nullaosta/shared"
)

// TestSubmissionInputKeepsNoLentMap: the API lends the maps an application is decoded and
// normalised into and takes them back once the input is built, then lends them to another
// request. The input must answer the same afterwards: its content, its columns and the rules
// across sent modules, which the store applies later.
func TestSubmissionInputKeepsNoLentMap(t *testing.T) {
	// The server's preparation, which writes the content in its run, and the one without it.
	for name, prepare := range map[string]func(shared.Kind, *shared.Campaign, shared.Data, time.Time, shared.Data) shared.Submission{
		"content": shared.PrepareSubmissionContent,
		"into":    shared.PrepareSubmissionInto,
		// The API's: the decoded map is normalised in place (norm is left unused).
		"in place": func(k shared.Kind, c *shared.Campaign, d shared.Data, day time.Time, _ shared.Data) shared.Submission {
			return shared.PrepareSubmissionInPlace(k, c, d, day)
		},
	} {
		t.Run(name, func(t *testing.T) { testSubmissionInputKeepsNoLentMap(t, prepare) })
	}
}

func testSubmissionInputKeepsNoLentMap(t *testing.T, prepare func(shared.Kind, *shared.Campaign, shared.Data, time.Time, shared.Data) shared.Submission) {
	body, err := os.ReadFile("../../shared/testdata/em_colf.json")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := shared.OfficialCampaign(shared.KindEM)
	day := time.Date(2009, 9, 15, 0, 0, 0, 0, time.UTC)
	m := &Module{ID: "EM-1234-5678-9", UserID: 1, CampaignID: c.ID, Kind: shared.KindEM}
	raw, norm := make(shared.Data, 64), make(shared.Data, 64)
	d, ok := shared.NewJSONReader(body).DataInto(raw)
	if !ok {
		t.Fatal("fixture not read")
	}
	sub := prepare(shared.KindEM, &c, d, day, norm)
	if !sub.OK() {
		t.Fatalf("fixture not valid: %v", sub.Problems)
	}
	in := NewSubmissionInput("0123456789abcdef", m, &c, d, sub)
	if want := string(shared.CanonicalJSON(d)); in.Content != want {
		t.Fatalf("content %s, want %s", in.Content, want)
	}
	if sum := sha256.Sum256([]byte(in.Content)); in.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("sha256 %s of %s", in.SHA256, in.Content)
	}
	// The same worker sent already by the same employer: E2 refuses it.
	sent := []shared.Data{shared.Normalize(shared.KindEM, d)}
	before, content := in.CheckSent(sent), in.Content
	if len(before) == 0 {
		t.Fatal("the same worker twice: want a problem")
	}
	want := in
	want.CheckSent = nil

	// The maps go to another request, with another application.
	clear(raw)
	clear(norm)
	for k := range sent[0] {
		raw[k], norm[k] = "X", "Y"
	}
	got := in
	got.CheckSent = nil
	if !reflect.DeepEqual(got, want) || in.Content != content {
		t.Fatalf("the input changed with the maps it was built from:\n%+v\n%+v", got, want)
	}
	if after := in.CheckSent(sent); !reflect.DeepEqual(after, before) {
		t.Fatalf("CheckSent after the maps were lent again: %v, before %v", after, before)
	}
}
