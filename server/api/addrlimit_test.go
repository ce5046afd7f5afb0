package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Two instances on one database (as behind a balancer on PostgreSQL) share each address's
// budget when the per-address limits are counted in the database: spreading requests over
// the instances does not give an attacker one budget per instance.
func TestAddressBudgetMultipliedByInstances(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.SharedAddressLimits = true })
	second := New(e.db, testSigner(), e.srv.cfg)
	second.Now, second.Logger = e.clock, e.srv.Logger
	ts2 := httptest.NewServer(second)
	t.Cleanup(ts2.Close)
	bases := []string{e.ts.URL, ts2.URL}

	post := func(base string) *http.Response {
		t.Helper()
		res, err := http.Post(base+"/api/v1/validate", "application/json",
			strings.NewReader(`{"module":"EM","data":{}}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	budget := e.srv.limits.validateIP.lim.Max
	for i := range budget {
		if res := post(bases[i%2]); res.StatusCode == http.StatusTooManyRequests {
			t.Fatalf("request %d of a budget of %d refused", i+1, budget)
		}
	}
	for i, base := range bases {
		res := post(base)
		if res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("instance %d after %d requests in all from one address: status %d, want 429", i+1, budget, res.StatusCode)
		}
		if res.Header.Get("Retry-After") == "" {
			t.Errorf("instance %d: 429 without Retry-After", i+1)
		}
	}
}
