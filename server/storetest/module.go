package storetest

import (
	"reflect"
	"sync"
	"testing"

	"nullaosta/server/core"
	"nullaosta/shared"
)

// CreateModule stores a module of u in campaign, without limit.
func CreateModule(t testing.TB, db Store, userID int64, campaign string) *core.Module {
	t.Helper()
	m := &core.Module{Kind: shared.KindEM, CampaignID: campaign, UserID: userID, Data: shared.Data{"datore.cognome": "Rossi"}}
	if err := db.CreateModule(ctx, m, 0); err != nil {
		t.Fatal(err)
	}
	return m
}

func testCreateModule(t *testing.T, su *suite) {
	db := su.open(t)
	u := NewUser(t, db, "m@example.it")
	m := CreateModule(t, db, u.ID, "em2009")
	if _, err := core.ParseModuleID(m.ID); err != nil {
		t.Fatalf("id %q does not parse: %v", m.ID, err)
	}
	got, err := db.Module(ctx, m.ID)
	if err != nil || got.UserID != u.ID || got.Data.Str("datore.cognome") != "Rossi" || got.Status != core.ModuleGenerated || got.CreatedAtRome != "15/09/2009 10:00:00" {
		t.Fatalf("Module = %+v, %v", got, err)
	}
	if _, err := db.Module(ctx, "EM-0000-0000-0"); core.ErrorCode(err) != core.ENOTFOUND {
		t.Fatalf("unknown module: %v", err)
	}
	sameToSend(t, db, got)
	if _, err := db.ModuleToSend(ctx, "EM-0000-0000-0"); core.ErrorCode(err) != core.ENOTFOUND {
		t.Fatalf("ModuleToSend of an unknown module: %v", err)
	}
	ms, err := db.Modules(ctx, u.ID)
	if err != nil || len(ms) != 1 {
		t.Fatalf("Modules = %+v, %v", ms, err)
	}
	counts, err := db.ModuleCounts(ctx, u.ID)
	if err != nil || counts["em2009"] != 1 {
		t.Fatalf("ModuleCounts = %v, %v", counts, err)
	}
}

// TestModuleLimitRace: twenty concurrent requests of a private user with a limit of five
// create exactly five modules.
func testModuleLimitRace(t *testing.T, su *suite) {
	db := su.open(t)
	u := NewUser(t, db, "race@example.it")
	const tries, limit = 20, 5
	var wg sync.WaitGroup
	errs := make([]error, tries)
	for i := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.CreateModule(ctx, &core.Module{Kind: shared.KindEM, CampaignID: "em2009", UserID: u.ID, Data: shared.Data{}}, limit)
		}()
	}
	wg.Wait()
	ok, refused := 0, 0
	for _, err := range errs {
		switch core.ErrorCode(err) {
		case "":
			ok++
		case core.ELIMIT:
			refused++
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if ok != limit || refused != tries-limit {
		t.Fatalf("%d created, %d refused; want %d and %d", ok, refused, limit, tries-limit)
	}
	if ms, _ := db.Modules(ctx, u.ID); len(ms) != limit {
		t.Fatalf("%d modules stored", len(ms))
	}
	// The limit is per campaign.
	if err := db.CreateModule(ctx, &core.Module{Kind: shared.KindA, CampaignID: "a2007", UserID: u.ID, Data: shared.Data{}}, limit); err != nil {
		t.Fatalf("another campaign: %v", err)
	}
}

// sameToSend fails unless ModuleToSend reads the fields a send needs as Module does.
func sameToSend(t *testing.T, db Store, m *core.Module) {
	t.Helper()
	got, err := db.ModuleToSend(ctx, m.ID)
	if err != nil {
		t.Fatalf("ModuleToSend(%s): %v", m.ID, err)
	}
	want := core.Module{ID: m.ID, Kind: m.Kind, CampaignID: m.CampaignID, UserID: m.UserID, Data: m.Data, Status: m.Status}
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("ModuleToSend = %+v, want %+v", *got, want)
	}
}
