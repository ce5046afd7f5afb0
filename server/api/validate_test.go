package api

import (
	"net/http"
	"testing"

	"nullaosta/shared"
)

func TestValidate(t *testing.T) {
	e := newEnv(t)
	d := fixture(t, "em_colf.json")
	var res shared.Result
	e.mustJSON(anonymous, "POST", "/api/v1/validate", map[string]any{"module": "EM", "date": "2009-09-15", "data": d}, http.StatusOK, &res)
	if !res.Valid || res.Problems == nil {
		t.Fatalf("valid fixture: %+v", res)
	}
	bad := d.Clone()
	bad["datore.codice_fiscale"] = "BNCGNN58C52D205X"
	e.mustJSON(anonymous, "POST", "/api/v1/validate", map[string]any{"module": "em", "data": bad}, http.StatusOK, &res)
	if res.Valid || len(res.Problems) == 0 || res.Problems[0].Field != "datore.codice_fiscale" {
		t.Fatalf("wrong check character: %+v", res)
	}
	for _, body := range []map[string]any{
		{"module": "X", "data": d},
		{"module": "EM", "date": "ieri", "data": d},
	} {
		r, b := e.do(anonymous, "POST", "/api/v1/validate", body)
		if r.StatusCode != http.StatusUnprocessableEntity || len(apiError(t, b).Problems) != 1 {
			t.Errorf("%v: %d %s", body["module"], r.StatusCode, b)
		}
	}
	r, b := e.do(anonymous, "POST", "/api/v1/validate", map[string]any{"module": "EM"})
	if r.StatusCode != http.StatusBadRequest {
		t.Errorf("no data: %d %s", r.StatusCode, b)
	}
	r, b = e.do(anonymous, "POST", "/api/v1/validate", `{"module": "EM", "data": ["a"]}`)
	if r.StatusCode != http.StatusBadRequest || apiError(t, b).Error.Code != "invalid" {
		t.Errorf("data not an object: %d %s", r.StatusCode, b)
	}
}

func TestValidateRateLimit(t *testing.T) {
	e := newEnv(t)
	body := map[string]any{"module": "EM", "data": map[string]any{}}
	var last int
	for range 121 {
		r, _ := e.do(anonymous, "POST", "/api/v1/validate", body)
		last = r.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("121st validation in a minute: %d", last)
	}
}
