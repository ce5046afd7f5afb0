// Package places holds the 2009 Italian provinces, comuni and the world's countries as the forms need them.
//
// The comuni and the countries are generated from npm packages (see SOURCES.md and gen.sh) into
// comuni.tsv and countries.tsv, embedded and parsed on first use; the provinces are a
// hand-written table (provinces.go). Standard library only: the package is compiled into the
// WebAssembly client as well as the server.
package places

import (
	_ "embed"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Province is a province of 2009 with its Sportello Unico per l'Immigrazione.
type Province struct {
	Sigla     string // "CN"
	Name      string // "Cuneo"
	Region    string // "Piemonte"
	Sportello string // the competent Sportello Unico per l'Immigrazione
}

// Comune is an Italian comune: every comune with a cadastral code since 1861, in force or
// suppressed (a birthplace may be any of them, as the codice fiscale of the people born there
// carries its code), with Nel2009 telling those that existed in 2009. Its CAPs slice is shared
// with the package's tables: read it, do not modify it.
type Comune struct {
	Belfiore  string   // cadastral code, e.g. "D205"
	Istat     string   // 6-digit ISTAT code (today's or the last one; "" when the source has none)
	Name      string   // "Cuneo"
	Provincia string   // 2009 sigla; for a comune suppressed before 2009 its last province's (PL, FU, ZA: FormerProvinceBySigla)
	CAPs      []string // every CAP of the comune, sorted; empty when the source has none
	Soppresso bool     // no longer exists today (merged, or ceded in 1947)

	Cessato string // day the comune was suppressed (YYYY-MM-DD), "" if it still exists
	Nel2009 bool   // the comune existed in 2009 (false for comuni created later by a merger)
}

// Country is a foreign state (or Italy) with its Belfiore code.
type Country struct {
	ISO2     string // ISO 3166-1 alpha-2 ("XK" for Kosovo)
	Name     string // Italian name, as ISTAT writes it
	Belfiore string // "Z…" code used in the codice fiscale; "" for Italy
	EU       bool   // member of the European Union in 2009

	Cessato bool // a former state (e.g. Unione Sovietica): found only by CountryByBelfiore
}

//go:embed comuni.tsv
var comuniTSV string

//go:embed countries.tsv
var countriesTSV string

// Provinces returns the 110 provinces of 2009 sorted by name.
func Provinces() []Province {
	return slices.Clone(provincesByName())
}

var provincesByName = sync.OnceValue(func() []Province {
	idx := sortedIndexes(len(provinces), func(i, j int) int {
		return strings.Compare(fold(provinces[i].Name), fold(provinces[j].Name))
	})
	out := make([]Province, len(idx))
	for k, i := range idx {
		out[k] = provinces[i]
	}
	return out
})

// sortedIndexes returns 0…n-1 sorted by cmp. Every sort of the package sorts indexes: one
// instantiation of the generic sort keeps the WebAssembly binary small.
func sortedIndexes(n int, cmp func(i, j int) int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, cmp)
	return idx
}

// ProvinceBySigla finds a 2009 province by its sigla, ignoring case and surrounding spaces.
func ProvinceBySigla(sigla string) (Province, bool) {
	s := strings.ToUpper(strings.TrimSpace(sigla))
	i := sort.Search(len(provinces), func(i int) bool { return provinces[i].Sigla >= s })
	if i == len(provinces) || provinces[i].Sigla != s {
		return Province{}, false
	}
	return provinces[i], true
}

// FormerProvinceBySigla finds a province ceded in 1947 (Pola, Fiume, Zara) by its sigla. Such a
// province can only be a birthplace's: it has no Sportello Unico, and ProvinceBySigla does not
// know it.
func FormerProvinceBySigla(sigla string) (Province, bool) {
	s := strings.ToUpper(strings.TrimSpace(sigla))
	for _, p := range formerProvinces {
		if p.Sigla == s {
			return p, true
		}
	}
	return Province{}, false
}

// FormerProvinces returns the provinces ceded in 1947 (see FormerProvinceBySigla), by name.
func FormerProvinces() []Province {
	return slices.Clone(formerProvinces)
}

// comuneData is the parsed comuni.tsv with its indexes, built once on first use.
type comuneData struct {
	all     []Comune         // sorted by Belfiore code
	byProv  map[string][]int // sigla -> indexes into all, sorted by name
	folded  []string         // fold(all[i].Name)
	compact []string         // folded[i] without spaces

	capsOnce sync.Once
	capsOf   map[provCAP]bool // the CAP, or its first two digits, is used in the province
}

type provCAP struct {
	prov string
	cap  string
}

var (
	comuniOnce sync.Once
	comuni     *comuneData
)

// Preload parses the reference data now (comuni with their CAP index, countries) instead of
// at the first look-up. The app calls it while idle once someone is logged in, so that
// opening a module after the unlock does not wait for it (22 ms in the trace of an unlock on
// the development machine, the largest part of loading the draft).
func Preload() {
	d := loadComuni()
	d.capsOnce.Do(d.indexCAPs)
	loadCountries()
}

func loadComuni() *comuneData {
	comuniOnce.Do(func() { comuni = parseComuni(comuniTSV) })
	return comuni
}

func parseComuni(text string) *comuneData {
	d := &comuneData{byProv: map[string][]int{}}
	n := strings.Count(text, "\n")
	d.all = make([]Comune, 0, n)
	capPool := make([]string, 0, n+n/8) // one backing array for all the CAP slices
	var f [7]string
	for line := range strings.SplitSeq(text, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		k := 0
		for k < len(f)-1 {
			field, rest, ok := strings.Cut(line, "\t")
			if !ok {
				break
			}
			f[k], line = field, rest
			k++
		}
		if k != len(f)-1 {
			continue
		}
		f[k] = line
		start := len(capPool)
		capPool = appendCAPs(capPool, f[4])
		c := Comune{
			Belfiore:  f[0],
			Istat:     f[1],
			Name:      f[2],
			Provincia: f[3],
			Cessato:   f[5],
			Nel2009:   f[6] != "n",
		}
		if len(capPool) > start {
			c.CAPs = capPool[start:len(capPool):len(capPool)]
		}
		c.Soppresso = c.Cessato != ""
		d.all = append(d.all, c)
	}
	// The generator writes the lines sorted by code, as ComuneByBelfiore's binary search needs
	// (a test checks it).
	d.folded = make([]string, len(d.all))
	d.compact = make([]string, len(d.all))
	for i, c := range d.all {
		d.folded[i] = fold(c.Name)
		d.compact[i] = strings.ReplaceAll(d.folded[i], " ", "")
		d.byProv[c.Provincia] = append(d.byProv[c.Provincia], i)
	}
	for _, idx := range d.byProv {
		slices.SortFunc(idx, d.compareByName)
	}
	return d
}

// provinceHasCAP reports whether some comune of the province uses the CAP.
func (d *comuneData) provinceHasCAP(prov, cap string) bool {
	d.capsOnce.Do(d.indexCAPs)
	return d.capsOf[provCAP{prov, cap}]
}

// provinceHasPrefix reports whether some comune of the province uses a CAP starting with the
// two digits p.
func (d *comuneData) provinceHasPrefix(prov, p string) bool {
	d.capsOnce.Do(d.indexCAPs)
	return d.capsOf[provCAP{prov, p}]
}

func (d *comuneData) indexCAPs() {
	d.capsOf = map[provCAP]bool{}
	for _, c := range d.all {
		for _, cap := range c.CAPs {
			d.capsOf[provCAP{c.Provincia, cap}] = true
			d.capsOf[provCAP{c.Provincia, cap[:2]}] = true
		}
	}
}

// compareByName orders comuni by folded name, comuni in force first, then by province.
func (d *comuneData) compareByName(i, j int) int {
	if c := strings.Compare(d.folded[i], d.folded[j]); c != 0 {
		return c
	}
	a, b := &d.all[i], &d.all[j]
	if a.Soppresso != b.Soppresso {
		if a.Soppresso {
			return 1
		}
		return -1
	}
	if c := strings.Compare(a.Provincia, b.Provincia); c != 0 {
		return c
	}
	return strings.Compare(a.Belfiore, b.Belfiore)
}

// appendCAPs appends every CAP that "00118-00199,00100" names.
func appendCAPs(out []string, s string) []string {
	if s == "" {
		return out
	}
	for part := range strings.SplitSeq(s, ",") {
		first, last, isRange := strings.Cut(part, "-")
		if !isRange {
			out = append(out, part)
			continue
		}
		a, err1 := strconv.Atoi(first)
		b, err2 := strconv.Atoi(last)
		if err1 != nil || err2 != nil || b < a {
			continue
		}
		for n := a; n <= b; n++ {
			out = append(out, pad5(n))
		}
	}
	return out
}

func pad5(n int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", max(0, 5-len(s))) + s
}

// ComuneByBelfiore finds a comune by its cadastral code, ignoring case and surrounding spaces.
func ComuneByBelfiore(code string) (Comune, bool) {
	if c, ok := ComuneRef(code); ok {
		return *c, true
	}
	return Comune{}, false
}

// ComuneRef is ComuneByBelfiore without the copy: the comune in the table itself, shared by
// every caller, to be read only. Validation keeps one for each comune it reads, and a copy
// of each was most of what it allocated.
func ComuneRef(code string) (*Comune, bool) {
	d := loadComuni()
	c := strings.ToUpper(strings.TrimSpace(code))
	i := sort.Search(len(d.all), func(i int) bool { return d.all[i].Belfiore >= c })
	if i == len(d.all) || d.all[i].Belfiore != c {
		return nil, false
	}
	return &d.all[i], true
}

// ComuniOf returns the comuni of a 2009 province sorted by name (nil for an unknown sigla).
// Suppressed comuni and those created after 2009 are included: see Comune.Soppresso and Nel2009.
func ComuniOf(sigla string) []Comune {
	d := loadComuni()
	idx := d.byProv[strings.ToUpper(strings.TrimSpace(sigla))]
	if len(idx) == 0 {
		return nil
	}
	out := make([]Comune, len(idx))
	for k, i := range idx {
		out[k] = d.all[i]
	}
	return out
}

// ComuneHasCAP reports whether cap is a CAP of the comune. For a comune whose CAPs the sources
// do not give (comuni suppressed between 2009 and 2020, comuni created after 2020) it accepts
// any CAP used by a comune of the same province.
func ComuneHasCAP(c Comune, cap string) bool {
	cap = strings.TrimSpace(cap)
	if len(cap) != 5 || strings.Trim(cap, "0123456789") != "" {
		return false
	}
	if len(c.CAPs) > 0 {
		return slices.Contains(c.CAPs, cap)
	}
	return loadComuni().provinceHasCAP(c.Provincia, cap)
}

// ComuneWithCAP finds a comune of a province (in force today) to which cap belongs today.
func ComuneWithCAP(sigla, cap string) (Comune, bool) {
	d := loadComuni()
	cap = strings.TrimSpace(cap)
	for _, i := range d.byProv[strings.ToUpper(strings.TrimSpace(sigla))] {
		if c := d.all[i]; !c.Soppresso && slices.Contains(c.CAPs, cap) {
			return c, true
		}
	}
	return Comune{}, false
}

// capPrefixesBefore are the postal ranges a province's comuni used before today's CAPs, where
// these moved to a new range: the comuni of Barletta-Andria-Trani had the CAPs of Bari (70…)
// and Foggia (71…) until 76… was assigned to the new province. MB and FM kept the first two
// digits of Milano (20…) and Ascoli Piceno (63…), so today's data covers them.
var capPrefixesBefore = map[string][]string{"BT": {"70", "71"}}

// CAPInProvinceRange reports whether cap lies in the postal range of a province: its first two
// digits (the postal province) are those of a CAP used by some comune of the province today,
// or of a range the province's comuni used before (capPrefixesBefore). The sources give today's
// CAPs only, so a CAP that a comune had in 2009 and no longer has (Monza 20052, Sappada 32047,
// Barletta 70051) is in its province's range without being one of the comune's.
func CAPInProvinceRange(sigla, cap string) bool {
	cap = strings.TrimSpace(cap)
	if len(cap) != 5 || strings.Trim(cap, "0123456789") != "" {
		return false
	}
	sigla = strings.ToUpper(strings.TrimSpace(sigla))
	if slices.Contains(capPrefixesBefore[sigla], cap[:2]) {
		return true
	}
	return loadComuni().provinceHasPrefix(sigla, cap[:2])
}

// SearchComuni finds comuni whose name matches query, ignoring case, accents and punctuation:
// exact matches first, then names starting with the query, then names with a word starting
// with it, then names containing it. sigla restricts the search to a 2009 province ("" = all).
// An empty query lists the comuni of the province. limit <= 0 means no limit.
func SearchComuni(query string, sigla string, limit int) []Comune {
	d := loadComuni()
	sigla = strings.ToUpper(strings.TrimSpace(sigla))
	m := newMatcher(query)
	if m.q == "" {
		if sigla == "" {
			return nil
		}
		out := ComuniOf(sigla)
		if limit > 0 && len(out) > limit {
			out = out[:limit]
		}
		return out
	}
	var hits []int // rank<<hitShift | index
	try := func(i int) {
		if r, ok := m.rank(d.folded[i], d.compact[i]); ok {
			hits = append(hits, r<<hitShift|i)
		}
	}
	if sigla != "" {
		for _, i := range d.byProv[sigla] {
			try(i)
		}
	} else {
		for i := range d.all {
			try(i)
		}
	}
	slices.SortFunc(hits, func(a, b int) int {
		if ra, rb := a>>hitShift, b>>hitShift; ra != rb {
			return ra - rb
		}
		return d.compareByName(a&hitMask, b&hitMask)
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Comune, len(hits))
	for k, h := range hits {
		out[k] = d.all[h&hitMask]
	}
	return out
}

// A search hit is one int: the rank of the match above hitShift, the index below.
const (
	hitShift = 20
	hitMask  = 1<<hitShift - 1
)

// countryData is the parsed countries.tsv with its indexes, built once on first use.
type countryData struct {
	current    []Country // states of today and Italy, sorted by name
	folded     []string  // fold(current[i].Name)
	compact    []string  // folded[i] without spaces
	byISO      map[string]int
	byBelfiore map[string]Country // former states too
}

var (
	countriesOnce sync.Once
	countries     *countryData
)

func loadCountries() *countryData {
	countriesOnce.Do(func() { countries = parseCountries(countriesTSV) })
	return countries
}

func parseCountries(text string) *countryData {
	d := &countryData{byISO: map[string]int{}, byBelfiore: map[string]Country{}}
	for line := range strings.SplitSeq(text, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 5 {
			continue
		}
		c := Country{Belfiore: f[0], ISO2: f[1], Name: f[2], EU: f[3] == "eu", Cessato: f[4] == "cessato"}
		if c.Belfiore != "" {
			d.byBelfiore[c.Belfiore] = c
		}
		if !c.Cessato {
			d.current = append(d.current, c)
		}
	}
	folded := make([]string, len(d.current))
	for i, c := range d.current {
		folded[i] = fold(c.Name)
	}
	idx := sortedIndexes(len(d.current), func(i, j int) int { return strings.Compare(folded[i], folded[j]) })
	current := d.current
	d.current = make([]Country, len(idx))
	d.folded = make([]string, len(idx))
	d.compact = make([]string, len(idx))
	for k, i := range idx {
		d.current[k] = current[i]
		d.folded[k] = folded[i]
		d.compact[k] = strings.ReplaceAll(folded[i], " ", "")
		d.byISO[current[i].ISO2] = k
	}
	return d
}

// Countries returns the states of today and Italy, sorted by Italian name. Former states are
// left out.
func Countries() []Country {
	return slices.Clone(loadCountries().current)
}

// CountryByISO finds a country by its ISO 3166-1 alpha-2 code, ignoring case.
func CountryByISO(code string) (Country, bool) {
	d := loadCountries()
	i, ok := d.byISO[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return Country{}, false
	}
	return d.current[i], true
}

// CountryByBelfiore finds a country by its Z… code, ignoring case; former states are found too
// (Country.Cessato), so that old codici fiscali decode.
func CountryByBelfiore(code string) (Country, bool) {
	c, ok := loadCountries().byBelfiore[strings.ToUpper(strings.TrimSpace(code))]
	return c, ok
}

// SearchCountries finds states of today (and Italy) whose Italian name matches query like
// SearchComuni does; a two-letter query equal to an ISO code puts that country first.
// limit <= 0 means no limit.
func SearchCountries(query string, limit int) []Country {
	d := loadCountries()
	m := newMatcher(query)
	if m.q == "" {
		return nil
	}
	var hits []int // rank<<hitShift | index
	iso := strings.ToUpper(strings.TrimSpace(query))
	for i := range d.current {
		r, ok := m.rank(d.folded[i], d.compact[i])
		if len(iso) == 2 && d.current[i].ISO2 == iso {
			r, ok = -1, true
		}
		if !ok {
			continue
		}
		hits = append(hits, (r+1)<<hitShift|i) // r is -1 for an ISO code
	}
	slices.SortFunc(hits, func(a, b int) int { return a - b })
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Country, len(hits))
	for k, h := range hits {
		out[k] = d.current[h&hitMask]
	}
	return out
}
