package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"nullaosta/app/store"
	"nullaosta/shared"
)

// Draft returns a draft with every field set, for tests of stores and of their users.
func Draft(user, moduleID string) store.Draft {
	return store.Draft{
		User:       user,
		ModuleID:   moduleID,
		Kind:       shared.KindEM,
		CampaignID: "em2009",
		Generation: shared.Data{"datore.cognome": "ROSSI", "datore.tipo": "persona"},
		Data:       shared.Data{"lavoratore.nome": "Amina", "lavoratore.convivente": true},
		Status:     store.StatusDraft,
		Problems: []shared.Problem{
			{Field: "lavoratore.nome", Code: "required", Severity: shared.SeverityError, Message: "Manca il nome."},
		},
		CreatedAt:   t0,
		UpdatedAt:   t0.Add(time.Minute),
		ConfirmedAt: t0.Add(2 * time.Minute),
		Extra:       map[string]string{"section": "II"},
	}
}

func testDrafts(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.GetDraft(ctx, anna, "EM-0000-0000-1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetDraft of a missing draft: %v, want ErrNotFound", err)
	}
	ds, err := s.ListDrafts(ctx, anna)
	if err != nil || len(ds) != 0 {
		t.Fatalf("ListDrafts of an empty store = %v, %v", ds, err)
	}
	// Put out of order: ListDrafts sorts by ModuleID.
	for _, id := range []string{"EM-C", "A-B", "EM-A"} {
		mustOK(t, s.PutDraft(ctx, Draft(anna, id)))
	}
	got, err := s.GetDraft(ctx, anna, "EM-A")
	mustOK(t, err)
	sameJSON(t, "GetDraft", got, Draft(anna, "EM-A"))

	ds, err = s.ListDrafts(ctx, anna)
	mustOK(t, err)
	if ids := draftIDs(ds); ids != "A-B,EM-A,EM-C" {
		t.Errorf("ListDrafts order = %s, want A-B,EM-A,EM-C", ids)
	}

	// Put overwrites the whole draft, including a field becoming empty.
	d := Draft(anna, "EM-A")
	d.Status = store.StatusCompleted
	d.Data = shared.Data{"lavoratore.nome": "Amina Ben"}
	d.Problems = nil
	d.Extra = nil
	mustOK(t, s.PutDraft(ctx, d))
	got, err = s.GetDraft(ctx, anna, "EM-A")
	mustOK(t, err)
	sameJSON(t, "GetDraft after overwrite", got, d)
	if _, ok := got.Data["lavoratore.convivente"]; ok {
		t.Errorf("overwrite kept a key of the old draft: %v", got.Data)
	}
	ds, _ = s.ListDrafts(ctx, anna)
	if len(ds) != 3 {
		t.Errorf("overwrite changed the number of drafts: %d", len(ds))
	}

	mustOK(t, s.DeleteDraft(ctx, anna, "EM-A"))
	if _, err := s.GetDraft(ctx, anna, "EM-A"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetDraft after delete: %v, want ErrNotFound", err)
	}
	if err := s.DeleteDraft(ctx, anna, "EM-A"); err != nil {
		t.Errorf("deleting a missing draft: %v, want nil (deletes are idempotent)", err)
	}
	ds, _ = s.ListDrafts(ctx, anna)
	if ids := draftIDs(ds); ids != "A-B,EM-C" {
		t.Errorf("ListDrafts after delete = %s", ids)
	}
}

// testDraftValues checks that checkbox booleans stay booleans and text stays text, including
// the look-alikes that a careless encoding would confuse.
func testDraftValues(t *testing.T, s store.Store) {
	ctx := context.Background()
	d := Draft(anna, "EM-V")
	d.Data = shared.Data{
		"vero": true, "falso": false, "testo": "Via Roma, 1", "vuoto": "", "testo-true": "true",
		"zero": "0", "spazi": "  a  ", "accenti": "Niccolò d'Amico – «così»", "a-capo": "riga 1\nriga 2",
		"nul": "a\x00b", "emoji": "👍",
	}
	mustOK(t, s.PutDraft(ctx, d))
	got, err := s.GetDraft(ctx, anna, "EM-V")
	mustOK(t, err)
	for k, want := range d.Data {
		v, ok := got.Data[k]
		if !ok {
			t.Errorf("key %q lost", k)
			continue
		}
		if v != want {
			t.Errorf("Data[%q] = %#v (%T), want %#v (%T)", k, v, v, want, want)
		}
	}
	if len(got.Data) != len(d.Data) {
		t.Errorf("Data has %d keys, want %d", len(got.Data), len(d.Data))
	}
	if g := got.Generation["datore.tipo"]; g != "persona" {
		t.Errorf("Generation lost: %v", got.Generation)
	}
}

// testDraftNotAliased checks that neither the map passed to Put nor the one returned by Get is
// the stored one: the UI mutates Data in place on every keystroke.
func testDraftNotAliased(t *testing.T, s store.Store) {
	ctx := context.Background()
	d := Draft(anna, "EM-N")
	mustOK(t, s.PutDraft(ctx, d))
	d.Data["lavoratore.nome"] = "cambiato dopo Put"
	d.Extra["section"] = "cambiato"
	got, err := s.GetDraft(ctx, anna, "EM-N")
	mustOK(t, err)
	if got.Data["lavoratore.nome"] != "Amina" || got.Extra["section"] != "II" {
		t.Errorf("the stored draft changed with the caller's map: %v %v", got.Data, got.Extra)
	}
	got.Data["lavoratore.nome"] = "cambiato dopo Get"
	again, _ := s.GetDraft(ctx, anna, "EM-N")
	if again.Data["lavoratore.nome"] != "Amina" {
		t.Errorf("the stored draft changed with a returned map: %v", again.Data)
	}
	ds, _ := s.ListDrafts(ctx, anna)
	ds[0].Data["lavoratore.nome"] = "cambiato dopo List"
	again, _ = s.GetDraft(ctx, anna, "EM-N")
	if again.Data["lavoratore.nome"] != "Amina" {
		t.Errorf("the stored draft changed with a listed map: %v", again.Data)
	}
}

func testLargeDraft(t *testing.T, s store.Store) {
	ctx := context.Background()
	d := Draft(anna, "EM-LARGE")
	d.Data = FullModule(shared.KindEM)
	mustOK(t, s.PutDraft(ctx, d))
	got, err := s.GetDraft(ctx, anna, "EM-LARGE")
	mustOK(t, err)
	sameJSON(t, "large draft", got, d)
	ds, err := s.ListDrafts(ctx, anna)
	mustOK(t, err)
	if len(ds) != 1 || len(ds[0].Data) != len(d.Data) {
		t.Fatalf("ListDrafts of a large draft: %d drafts", len(ds))
	}
}

// TypicalModule returns data for every field of the EM schema: a module as the compiler saves
// it once filled in.
func TypicalModule() shared.Data {
	d := shared.Data{}
	for _, sec := range shared.SchemaOf(shared.KindEM).Sections {
		for _, f := range sec.Fields {
			if f.Type == shared.TypeBool {
				d[f.Key] = true
			} else {
				d[f.Key] = "valore di " + f.Key
			}
		}
	}
	return d
}

// FullModule returns data for every field of module k's schema, plus enough long answers to
// be larger than any real module: 600 keys, about 120 kB.
func FullModule(k shared.Kind) shared.Data {
	d := shared.Data{}
	if sc := shared.SchemaOf(k); sc != nil {
		for _, sec := range sc.Sections {
			for _, f := range sec.Fields {
				if f.Type == shared.TypeBool {
					d[f.Key] = true
				} else {
					d[f.Key] = "valore di " + f.Key
				}
			}
		}
	}
	long := strings.Repeat("Lorem ipsum dolor sit amet, è già così. ", 6)
	for i := 0; len(d) < 600; i++ {
		if i%5 == 0 {
			d[fmt.Sprintf("extra.flag%03d", i)] = i%2 == 0
		} else {
			d[fmt.Sprintf("extra.campo%03d", i)] = fmt.Sprintf("%03d %s", i, long)
		}
	}
	return d
}

func draftIDs(ds []store.Draft) string {
	var ids []string
	for _, d := range ds {
		ids = append(ids, d.ModuleID)
	}
	return strings.Join(ids, ",")
}
