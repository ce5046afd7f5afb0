package shared

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nullaosta/shared/codicefiscale"
)

// The days the fixtures are validated on: inside the EM send window, and the Modulo A click day.
var (
	emDay = time.Date(2009, 9, 15, 0, 0, 0, 0, time.UTC)
	aDay  = time.Date(2007, 12, 15, 0, 0, 0, 0, time.UTC)
)

var fixtureNames = []string{"em_colf", "em_badante", "a_nominativa", "a_numerica"}

func fixtureKind(name string) Kind {
	if strings.HasPrefix(name, "em_") {
		return KindEM
	}
	return KindA
}

func fixtureDay(name string) time.Time {
	if fixtureKind(name) == KindEM {
		return emDay
	}
	return aDay
}

func loadFixture(t testing.TB, name string) Data {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := ParseData(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d
}

// personOf builds what a codice fiscale is computed from, out of the data of "datore" or
// "lavoratore", the way the validator reads it.
func personOf(t testing.TB, d Data, who string) codicefiscale.Person {
	t.Helper()
	birth, err := ParseDate(d.Str(who + ".data_nascita"))
	if err != nil {
		t.Fatalf("%s.data_nascita: %v", who, err)
	}
	p := codicefiscale.Person{
		Surname: d.Str(who + ".cognome"),
		Name:    d.Str(who + ".nome"),
		Female:  d.Str(who+".sesso") == "F",
		Birth:   birth,
	}
	if st := d.Str(who + ".nascita.stato"); st == "IT" {
		p.Place = d.Str(who + ".nascita.comune")
	} else if c, ok := country(d, who+".nascita.stato"); ok {
		p.Place = c.Belfiore
	}
	return p
}

func computeCF(t testing.TB, d Data, who string) string {
	t.Helper()
	cf, err := codicefiscale.Compute(personOf(t, d, who))
	if err != nil {
		t.Fatalf("%s: %v", who, err)
	}
	return cf
}

// TestFixturesValid keeps the four fixtures complete and valid: no error, no warning.
func TestFixturesValid(t *testing.T) {
	for _, name := range fixtureNames {
		t.Run(name, func(t *testing.T) {
			d := loadFixture(t, name)
			ps := Validate(fixtureKind(name), nil, d, fixtureDay(name))
			for _, p := range ps {
				t.Errorf("%s %s (%s): %s", p.Field, p.Code, p.Severity, p.Message)
			}
		})
	}
}

// TestFixturesCF keeps the fixtures honest: every codice fiscale in them is the one computed
// from the person's data, not a string that merely passes the check.
func TestFixturesCF(t *testing.T) {
	for _, name := range fixtureNames {
		d := loadFixture(t, name)
		for _, who := range []string{"datore", "lavoratore"} {
			got := d.Str(who + ".codice_fiscale")
			if got == "" {
				continue
			}
			if want := computeCF(t, d, who); got != want {
				t.Errorf("%s: %s.codice_fiscale = %s, computed %s", name, who, got, want)
			}
		}
	}
}
