package shared

import "testing"

func TestPlural(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, "0 avvisi"}, {1, "1 avviso"}, {2, "2 avvisi"}, {11, "11 avvisi"}, {21, "21 avvisi"}, {1000, "1000 avvisi"},
	} {
		if got := Plural(tc.n, "avviso", "avvisi"); got != tc.want {
			t.Errorf("Plural(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := Plural(1, "richiesta", "richieste"); got != "1 richiesta" {
		t.Errorf("Plural(1, richiesta) = %q", got)
	}
}
