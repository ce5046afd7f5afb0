package apptest

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
	"time"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/session"
	"nullaosta/app/store"
	"nullaosta/shared"
)

// The days the shared fixtures are valid on: inside the EM window, the Modulo A click day.
var (
	EmDay = time.Date(2009, 9, 15, 10, 0, 0, 0, time.UTC)
	ADay  = time.Date(2007, 12, 15, 10, 0, 0, 0, time.UTC)
)

// UseMemory gives the test a fresh device: an in-memory store and a fixed clock.
func UseMemory(t testing.TB, now time.Time) store.Store {
	t.Helper()
	st := store.NewMemory()
	session.Use(session.Env{Store: st, Now: func() time.Time { return now }})
	t.Cleanup(func() { session.Use(session.Env{}) })
	return st
}

// Fixture reads one of shared's complete, valid applications.
func Fixture(t testing.TB, name string) shared.Data {
	t.Helper()
	// Found from this file, whichever package's test asks.
	_, here, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "..", "shared", "testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := shared.ParseData(b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// PutDraft stores a module for user as "Importa" would: the generation keys of data are locked,
// the rest is what the person typed (all of it when full, none otherwise).
func PutDraft(t testing.TB, st store.Store, user, id string, k shared.Kind, data shared.Data, full bool) store.Draft {
	t.Helper()
	gen := shared.Data{}
	for _, f := range shared.GenerationFields(k) {
		if v, ok := data[f.Key]; ok {
			gen[f.Key] = v
		}
	}
	typed := gen.Clone()
	if full {
		typed = data.Clone()
	}
	campaign := "em2009"
	if k == shared.KindA {
		campaign = "a2007"
	}
	d := store.Draft{User: user, ModuleID: id, Kind: k, CampaignID: campaign, Generation: gen,
		Data: typed, Status: store.StatusDraft, CreatedAt: EmDay, UpdatedAt: EmDay}
	if err := st.PutDraft(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return d
}

// Render mounts a copy of c in go-app's test engine and returns its HTML. A copy, because a
// component mounts once: the test changes the original and renders again.
func Render(t *testing.T, c goapp.Composer) string {
	t.Helper()
	v := reflect.ValueOf(c).Elem()
	cp := reflect.New(v.Type())
	cp.Elem().Set(v)
	cp.Elem().FieldByName("Compo").Set(reflect.Zero(reflect.TypeOf(goapp.Compo{})))
	c = cp.Interface().(goapp.Composer)
	e := goapp.NewTestEngine()
	if err := e.Load(c); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	return goapp.HTMLString(c)
}
