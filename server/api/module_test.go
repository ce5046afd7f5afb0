package api

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"nullaosta/server/core"
	"nullaosta/shared"
)

func TestCreateModule(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "mod@example.it", core.RolePrivato)
	d := fixture(t, "em_colf.json")
	var m core.Module
	e.mustJSON(a, "POST", "/api/v1/modules", map[string]any{"kind": "em", "data": generation(shared.KindEM, d)}, http.StatusCreated, &m)
	if _, err := core.ParseModuleID(m.ID); err != nil || !strings.HasPrefix(m.ID, "EM-") {
		t.Fatalf("id %q: %v", m.ID, err)
	}
	if m.CampaignID != "em2009" || m.Status != core.ModuleGenerated || m.Data.Str("datore.cognome") != "Bianchi" || m.CreatedAtRome != "15/09/2009 10:00:00" {
		t.Fatalf("module %+v", m)
	}
	// Normalised on storage: the telephone without spaces.
	if m.Data.Str("datore.telefono") != "0171123456" {
		t.Errorf("telefono stored as %q", m.Data.Str("datore.telefono"))
	}

	var got core.Module
	e.mustJSON(a, "GET", "/api/v1/modules/"+strings.ToLower(strings.ReplaceAll(m.ID, "-", "")), nil, http.StatusOK, &got)
	if got.ID != m.ID {
		t.Fatalf("by a typed id: %+v", got)
	}
	var list []core.Module
	e.mustJSON(a, "GET", "/api/v1/modules", nil, http.StatusOK, &list)
	if len(list) != 1 || list[0].ID != m.ID {
		t.Fatalf("list %+v", list)
	}
	// A typo in the id is caught by the check character.
	wrong := "0"
	if m.ID[3] == '0' {
		wrong = "1"
	}
	typo := m.ID[:3] + wrong + m.ID[4:] // another symbol of the alphabet, whatever the id
	res, b := e.do(a, "GET", "/api/v1/modules/"+typo, nil)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(apiError(t, b).Error.Message, "battitura") {
		t.Fatalf("typo %s: %d %s", typo, res.StatusCode, b)
	}
	// Modulo A too.
	e.newModule(a, shared.KindA, fixture(t, "a_nominativa.json"))
	var me userJSON
	e.mustJSON(a, "GET", "/api/v1/me", nil, http.StatusOK, &me)
	if me.ModulesGenerated != 2 || me.Quota[0].Generated != 1 || me.Quota[1].Generated != 1 {
		t.Fatalf("quota %+v", me)
	}
}

func TestCreateModuleInvalid(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "inv@example.it", core.RolePrivato)
	res, b := e.do(a, "POST", "/api/v1/modules", map[string]any{"kind": "EM", "data": map[string]any{"datore.cognome": "Rossi", "rapporto.livello": "A"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d: %s", res.StatusCode, b)
	}
	eb := apiError(t, b)
	codes := map[string]string{}
	for _, p := range eb.Problems {
		codes[p.Field] = p.Code
	}
	if codes["datore.nome"] != shared.CodeRequired || codes["rapporto.livello"] != shared.CodeUnknownField {
		t.Fatalf("problems %+v", eb.Problems)
	}
	res, b = e.do(a, "POST", "/api/v1/modules", map[string]any{"kind": "B", "data": map[string]any{}})
	if res.StatusCode != http.StatusUnprocessableEntity || apiError(t, b).Problems[0].Field != "kind" {
		t.Fatalf("kind B: %d %s", res.StatusCode, b)
	}
}

func TestModuleLimit(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "limit@example.it", core.RolePrivato)
	gen := map[string]any{"kind": "EM", "data": generation(shared.KindEM, fixture(t, "em_colf.json"))}
	for range 5 {
		e.mustJSON(a, "POST", "/api/v1/modules", gen, http.StatusCreated, nil)
	}
	res, b := e.do(a, "POST", "/api/v1/modules", gen)
	if eb := apiError(t, b); res.StatusCode != http.StatusForbidden || eb.Error.Code != core.ELIMIT {
		t.Fatalf("sixth module: %d %s", res.StatusCode, b)
	}
	// An operator has no limit.
	op := e.newActor("op", "op@example.it", core.RoleOperatore)
	for range 7 {
		e.mustJSON(op, "POST", "/api/v1/modules", gen, http.StatusCreated, nil)
	}
	var me userJSON
	e.mustJSON(op, "GET", "/api/v1/me", nil, http.StatusOK, &me)
	if me.ModuleLimit != 0 || me.ModulesGenerated != 7 {
		t.Fatalf("operator %+v", me)
	}
}

// TestModuleLimitRace: a private user firing 20 concurrent POST /modules gets exactly the
// campaign's limit of modules.
func TestModuleLimitRace(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "race@example.it", core.RolePrivato)
	gen := map[string]any{"kind": "EM", "data": generation(shared.KindEM, fixture(t, "em_colf.json"))}
	var wg sync.WaitGroup
	statuses := make([]int, 20)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, _ := e.do(a, "POST", "/api/v1/modules", gen)
			statuses[i] = res.StatusCode
		}()
	}
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	if count[http.StatusCreated] != 5 || count[http.StatusForbidden] != 15 {
		t.Fatalf("statuses %v, want 5 × 201 and 15 × 403", count)
	}
	var list []core.Module
	e.mustJSON(a, "GET", "/api/v1/modules", nil, http.StatusOK, &list)
	if len(list) != 5 {
		t.Fatalf("%d modules stored", len(list))
	}
}
