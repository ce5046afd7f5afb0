// Package demo makes realistic demonstration data: Italian employers with their codice fiscale,
// workers of the nationalities of the 2009 emersione, and valid EM and Modulo A applications
// spread over provinces, so that every console has something true-looking to show.
package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"nullaosta/shared"
	"nullaosta/shared/codicefiscale"
	"nullaosta/shared/places"
)

// Generator makes applications. It is deterministic for a seed and not safe for concurrent
// use.
type Generator struct {
	rnd     *rand.Rand
	cfs     map[string]bool // employers' codici fiscali already used (E3: one colf each)
	docs    int             // worker documents issued
	comuni  map[string][]places.Comune
	capital map[string]places.Comune
}

// New returns a generator; the same seed gives the same data.
func New(seed uint64) *Generator {
	return &Generator{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), cfs: map[string]bool{},
		comuni: map[string][]places.Comune{}, capital: map[string]places.Comune{}}
}

// Intn returns a number in [0, n).
func (g *Generator) Intn(n int) int { return g.rnd.IntN(n) }

// Pick returns one of the strings.
func (g *Generator) Pick(s []string) string { return s[g.rnd.IntN(len(s))] }

// Weighted picks an index with probability proportional to its weight.
func (g *Generator) Weighted(w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := g.rnd.IntN(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}

// Italian people.
var (
	Cognomi = []string{"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
		"Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti",
		"Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone",
		"Longo", "Gentile", "Martinelli", "Vitale", "Serra", "Coppola", "De Santis", "D'Angelo", "Marchetti", "Parisi",
		"Villa", "Conte", "Ferraro", "Fabbri", "Bianco", "Marini", "Grasso", "Valentini", "Messina", "Sala", "Gatti",
		"Pellegrini", "Palumbo", "Sanna", "Farina", "Rizzi", "Monti", "Cattaneo", "Morelli", "Amato", "Silvestri",
		"Testa", "Grassi", "Carbone", "Giuliani", "Benedetti", "Barone", "Caputo", "Montanari", "Guerra", "Palmieri",
		"Bernardi", "Fiore", "De Rosa", "Ferretti", "Bellini", "Basile", "Riva", "Donati", "Piras", "Battaglia",
		"Sartori", "Neri", "Milani", "Pagano", "Ruggiero", "Sorrentino", "D'Amico", "Orlando", "Negri", "Bertola",
		"Giraudo", "Dalmasso", "Aimar", "Ghibaudo", "Ferrero", "Bongiovanni", "Olivero", "Musso", "Marengo"}
	NomiF = []string{"Maria", "Anna", "Giuseppina", "Rosa", "Angela", "Giovanna", "Teresa", "Lucia", "Carmela",
		"Caterina", "Francesca", "Antonietta", "Carla", "Elena", "Paola", "Luisa", "Franca", "Rita", "Graziella",
		"Silvana", "Laura", "Margherita", "Bruna", "Gabriella", "Patrizia", "Daniela", "Marisa", "Lucia", "Adriana", "Nicoletta"}
	NomiM = []string{"Giuseppe", "Giovanni", "Antonio", "Mario", "Luigi", "Francesco", "Angelo", "Vincenzo",
		"Pietro", "Salvatore", "Carlo", "Franco", "Domenico", "Bruno", "Paolo", "Michele", "Giorgio", "Aldo",
		"Sergio", "Luciano", "Roberto", "Renato", "Alberto", "Enzo", "Marco", "Claudio", "Gianni", "Piero", "Walter", "Nicolò"}
	Vie = []string{"Via Roma", "Corso Nizza", "Via Garibaldi", "Via Mazzini", "Corso Dante", "Via Cavour",
		"Piazza Galimberti", "Via XX Settembre", "Corso Giolitti", "Via Carlo Emanuele III", "Viale degli Angeli",
		"Via Vittorio Amedeo II", "Corso IV Novembre", "Via Saluzzo", "Via Bersezio", "Via Statuto", "Via Silvio Pellico",
		"Via Cesare Battisti", "Via Marconi", "Via Matteotti", "Via Verdi", "Via Dante Alighieri", "Via San Francesco"}
)

// Nationality is a workers' country with typical names.
type Nationality struct {
	ISO          string
	Weight       int // share of the 2009 applications, roughly
	Cities       []string
	Issuer       string
	Female, Male []string
	Surnames     []string
}

// Nationalities of the workers, weighted as the 2009 emersione's applications were.
var Nationalities = []Nationality{
	{"UA", 28, []string{"Leopoli", "Kiev", "Ternopil", "Ivano-Frankivsk"}, "Ufficio passaporti di %s",
		[]string{"Olena", "Natalia", "Oksana", "Halyna", "Iryna", "Svitlana", "Tetiana", "Mariia"}, []string{"Ivan", "Mykola", "Petro", "Vasyl"},
		[]string{"Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boyko", "Moroz", "Lysenko"}},
	{"MA", 16, []string{"Casablanca", "Khouribga", "Beni Mellal", "Fès"}, "Préfecture de %s",
		[]string{"Fatima", "Khadija", "Aicha", "Naima", "Malika", "Zahra"}, []string{"Mohamed", "Ahmed", "Youssef", "Rachid", "Abdelaziz"},
		[]string{"El Amrani", "Benali", "Bouzid", "Lahlou", "Tazi", "Alaoui", "Chakir"}},
	{"MD", 14, []string{"Chișinău", "Bălți", "Orhei", "Soroca"}, "Ministerul Dezvoltării Informaționale, %s",
		[]string{"Ana", "Maria", "Elena", "Tatiana", "Svetlana", "Natalia", "Valentina"}, []string{"Ion", "Vasile", "Gheorghe", "Sergiu"},
		[]string{"Rusu", "Ceban", "Ciobanu", "Turcan", "Lungu", "Munteanu", "Botnaru"}},
	{"CN", 8, []string{"Wenzhou", "Qingtian", "Fuqing", "Shanghai"}, "Ministry of Public Security, %s",
		[]string{"Li", "Mei", "Xiu Ying", "Hong"}, []string{"Wei", "Jian", "Hao", "Ming"},
		[]string{"Hu", "Chen", "Zhou", "Wang", "Lin", "Zhang", "Jin"}},
	{"PH", 7, []string{"Manila", "Quezon City", "Batangas", "Cebu"}, "Department of Foreign Affairs, %s",
		[]string{"Maria Cristina", "Rosalie", "Marites", "Jocelyn", "Lorna", "Evelyn"}, []string{"Jose", "Rodel", "Ramon", "Arnel"},
		[]string{"Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Villanueva"}},
	{"IN", 6, []string{"Jalandhar", "Amritsar", "Ludhiana", "Kochi"}, "Passport Office, %s",
		[]string{"Harpreet", "Manpreet", "Gurpreet", "Simran"}, []string{"Singh", "Rajesh", "Sukhwinder", "Amandeep"},
		[]string{"Kaur", "Singh", "Kumar", "Sharma", "Gill"}},
	{"LK", 5, []string{"Colombo", "Negombo", "Kandy", "Chilaw"}, "Department of Immigration and Emigration, %s",
		[]string{"Kumari", "Nirmala", "Dilani", "Chandrika", "Shanthi"}, []string{"Nimal", "Sunil", "Ruwan", "Chaminda"},
		[]string{"Perera", "Fernando", "Silva", "Jayasinghe", "Wickramasinghe", "Dissanayake"}},
	{"PE", 5, []string{"Lima", "Trujillo", "Chiclayo", "Arequipa"}, "Migraciones, %s",
		[]string{"Rosa", "Carmen", "Luz Marina", "Gladys", "Maribel"}, []string{"Luis", "Jorge", "Cesar", "Victor"},
		[]string{"Quispe", "Flores", "Huaman", "Rojas", "Mamani", "Vargas"}},
	{"EC", 4, []string{"Guayaquil", "Quito", "Cuenca", "Machala"}, "Registro Civil, %s",
		[]string{"Gloria", "Blanca", "Mercedes", "Nancy"}, []string{"Segundo", "Wilson", "Fausto", "Jaime"},
		[]string{"Zambrano", "Cedeño", "Vera", "Mendoza", "Macías"}},
	{"SN", 3, []string{"Dakar", "Touba", "Thiès", "Louga"}, "Direction de l'Automatisation des Fichiers, %s",
		[]string{"Fatou", "Aminata", "Awa", "Mariama"}, []string{"Mamadou", "Ousmane", "Cheikh", "Modou"},
		[]string{"Diop", "Ndiaye", "Fall", "Sow", "Gueye", "Diallo"}},
	{"AL", 2, []string{"Tirana", "Durazzo", "Valona", "Scutari"}, "Ministria e Brendshme, %s",
		[]string{"Drita", "Mimoza", "Lindita", "Valbona"}, []string{"Arben", "Gjergj", "Ilir", "Besnik"},
		[]string{"Hoxha", "Shehu", "Dervishi", "Gjoka", "Leka"}},
	{"GE", 2, []string{"Tbilisi", "Kutaisi", "Batumi"}, "Public Service Hall, %s",
		[]string{"Nino", "Tamar", "Manana", "Ketevan"}, []string{"Giorgi", "Davit", "Levan"},
		[]string{"Beridze", "Kapanadze", "Gelashvili", "Maisuradze"}},
}

// Comune returns a comune of the province with a CAP: its capoluogo half of the time.
func (g *Generator) Comune(sigla string) places.Comune {
	list, ok := g.comuni[sigla]
	if !ok {
		prov, _ := places.ProvinceBySigla(sigla)
		for _, c := range places.ComuniOf(sigla) {
			if !c.Nel2009 || c.Soppresso || len(c.CAPs) == 0 {
				continue
			}
			list = append(list, c)
			if strings.EqualFold(c.Name, prov.Name) {
				g.capital[sigla] = c
			}
		}
		g.comuni[sigla] = list
	}
	if c, ok := g.capital[sigla]; ok && g.rnd.IntN(2) == 0 {
		return c
	}
	return list[g.rnd.IntN(len(list))]
}

func (g *Generator) date(from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	return from.AddDate(0, 0, g.rnd.IntN(days+1))
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func iso(t time.Time) string { return t.Format(time.DateOnly) }

func (g *Generator) digits(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + g.rnd.IntN(10)))
	}
	return b.String()
}

// Person is an Italian employer.
type Person struct {
	Cognome, Nome, Sesso string
	Nascita              time.Time
	NascitaComune        places.Comune
	CF                   string
}

// Employer returns an Italian person born between 1930 and 1975 in province nascita, with a
// codice fiscale not returned before.
func (g *Generator) Employer(nascita string) Person {
	for {
		p := Person{Cognome: g.Pick(Cognomi), Sesso: "F", Nascita: g.date(day(1930, 1, 1), day(1975, 12, 31)), NascitaComune: g.Comune(nascita)}
		p.Nome = g.Pick(NomiF)
		if g.rnd.IntN(3) == 0 {
			p.Sesso, p.Nome = "M", g.Pick(NomiM)
		}
		cf, err := codicefiscale.Compute(codicefiscale.Person{Surname: p.Cognome, Name: p.Nome, Female: p.Sesso == "F",
			Birth: p.Nascita, Place: p.NascitaComune.Belfiore})
		if err != nil || g.cfs[cf] {
			continue
		}
		g.cfs[cf] = true
		p.CF = cf
		return p
	}
}

// Application returns valid data of a module of kind k (tipologia "colf" or "badante"; Modulo
// A is always colf) for an employer living and employing in provincia.
func (g *Generator) Application(k shared.Kind, tipologia, provincia string) shared.Data {
	p := g.Employer(provincia)
	res := g.Comune(provincia)
	via := g.Pick(Vie)
	civico := fmt.Sprint(1 + g.rnd.IntN(120))
	nat := Nationalities[g.Weighted(weights())]
	female := g.rnd.IntN(10) < 8
	wNome := g.Pick(nat.Female)
	wSesso := "F"
	if !female {
		wNome, wSesso = g.Pick(nat.Male), "M"
	}
	city := g.Pick(nat.Cities)
	g.docs++
	rilascio := g.date(day(2004, 1, 1), day(2008, 12, 31))
	datRil := g.date(day(2003, 1, 1), day(2009, 6, 30))
	d := shared.Data{
		"datore.cognome": p.Cognome, "datore.nome": p.Nome, "datore.sesso": p.Sesso,
		"datore.data_nascita": iso(p.Nascita), "datore.nascita.stato": "IT",
		"datore.nascita.provincia": p.NascitaComune.Provincia, "datore.nascita.comune": p.NascitaComune.Belfiore,
		"datore.codice_fiscale":      p.CF,
		"datore.residenza.provincia": provincia, "datore.residenza.comune": res.Belfiore,
		"datore.residenza.indirizzo": via, "datore.residenza.numero_civico": civico, "datore.residenza.cap": res.CAPs[0],
		"datore.telefono":     "0" + g.digits(2) + " " + g.digits(6),
		"datore.cittadinanza": "IT", "datore.documento.tipo": "carta_identita",
		"datore.documento.numero":        fmt.Sprintf("A%c %s", 'A'+rune(g.rnd.IntN(26)), g.digits(7)),
		"datore.documento.data_rilascio": iso(datRil), "datore.documento.rilasciato_da": "Comune di " + res.Name,
		"datore.documento.data_scadenza": iso(datRil.AddDate(10, 0, -1)),

		"lavoratore.cognome": g.Pick(nat.Surnames), "lavoratore.nome": wNome, "lavoratore.sesso": wSesso,
		"lavoratore.data_nascita":  iso(g.date(day(1958, 1, 1), day(1988, 12, 31))),
		"lavoratore.nascita.stato": nat.ISO, "lavoratore.nascita.localita": city,
		"lavoratore.stato_civile": g.Pick([]string{"coniugato", "celibe_nubile", "vedovo", "divorziato"}),
		"lavoratore.cittadinanza": nat.ISO, "lavoratore.documento.tipo": "passaporto",
		"lavoratore.documento.numero":        fmt.Sprintf("%s%07d", nat.ISO, g.docs),
		"lavoratore.documento.data_rilascio": iso(rilascio),
		"lavoratore.documento.rilasciato_da": fmt.Sprintf(nat.Issuer, city),
		"lavoratore.documento.data_scadenza": iso(rilascio.AddDate(10, 0, -1)),

		"impiego.provincia": provincia, "impiego.coincide_residenza": true,
		"alloggio.provincia": provincia, "alloggio.comune": res.Belfiore, "alloggio.indirizzo": via,
		"alloggio.numero_civico": civico, "alloggio.cap": res.CAPs[0],
	}
	if k == shared.KindA {
		g.modA(d, nat, city)
		return d
	}
	g.em(d, p, tipologia)
	return d
}

func weights() []int {
	w := make([]int, len(Nationalities))
	for i, n := range Nationalities {
		w[i] = n.Weight
	}
	return w
}

// em adds the EM chapters on the employment and the declarations.
func (g *Generator) em(d shared.Data, p Person, tipologia string) {
	f24 := g.date(day(2009, 8, 21), day(2009, 9, 10))
	start := g.date(day(2008, 3, 1), day(2009, 3, 31))
	d["rapporto.tipologia"] = tipologia
	d["rapporto.data_inizio"] = iso(start)
	d["alloggio.a_carico"] = g.Pick([]string{"lavoratore", "datore"})
	d["dichiara.occupato_tre_mesi"] = true
	d["dichiara.retribuzione_minima"] = true
	d["dichiara.impegno_rimpatrio"] = true
	d["recapiti.cellulare"] = "+39 3" + g.digits(2) + " " + g.digits(7)
	d["recapiti.email"] = strings.ToLower(strings.NewReplacer(" ", "", "'", "").Replace(p.Nome+"."+p.Cognome)) + "@example.it"
	d["versamento.data_f24"] = iso(f24)
	d["marca_bollo.identificativo"] = g.digits(14)
	d["marca_bollo.data"] = iso(f24)
	if tipologia == "badante" {
		d["rapporto.livello"] = "CS"
		d["rapporto.mansione"] = "assistente_non_autosufficienti"
		d["rapporto.convivenza"] = "convivente"
		d["rapporto.orario_settimanale"] = "TP"
		d["rapporto.retribuzione_mensile"] = "880,17"
		d["dichiara.certificazione_non_autosufficienza"] = true
		d["assistito.cognome"] = p.Cognome
		d["assistito.nome"] = g.Pick(append(append([]string{}, NomiF...), NomiM...))
		d["assistito.data_nascita"] = iso(g.date(day(1915, 1, 1), day(1935, 12, 31)))
		d["assistito.luogo_nascita"] = p.NascitaComune.Name
		return
	}
	hours := 20 + g.rnd.IntN(21)
	d["rapporto.livello"] = "B"
	d["rapporto.mansione"] = "collaboratore_polifunzionale"
	d["rapporto.convivenza"] = "non_convivente"
	d["rapporto.orario_settimanale"] = fmt.Sprint(hours)
	// Above the CCNL minimum of level B (€ 4,60 an hour in 2009) for those hours.
	d["rapporto.retribuzione_mensile"] = fmt.Sprintf("%d,00", (hours*52*500/12)/100+20)
	d["dichiara.reddito"] = true
	d["reddito.percettori"] = "uno"
	d["reddito.importo"] = fmt.Sprintf("%d.%03d,00", 28+g.rnd.IntN(40), g.rnd.IntN(1000))
}

// modA adds Modulo A's sections on the request, the worker abroad and the employment.
func (g *Generator) modA(d shared.Data, nat Nationality, city string) {
	d["datore.stato_civile"] = g.Pick([]string{"coniugato", "celibe_nubile", "vedovo"})
	d["datore.email"] = strings.ToLower(strings.NewReplacer(" ", "", "'", "").Replace(d.Str("datore.nome")+"."+d.Str("datore.cognome"))) + "@example.it"
	d["richiesta.tipo"] = "nominativa"
	d["lavoratore.residenza_estero.stato"] = nat.ISO
	d["lavoratore.residenza_estero.localita"] = city
	d["lavoratore.residenza_estero.indirizzo"] = fmt.Sprintf("%d %s", 1+g.rnd.IntN(200), g.Pick([]string{"Main Street", "Central Avenue", "Station Road", "Market Street"}))
	d["rapporto.tipologia"] = "colf"
	d["rapporto.livello"] = "B"
	d["rapporto.mansione"] = "collaboratore_polifunzionale"
	d["rapporto.durata"] = "indeterminato"
	d["rapporto.convivenza"] = "convivente"
	d["rapporto.orario_settimanale"] = "TP"
	d["rapporto.retribuzione_mensile"] = fmt.Sprintf("%d,00", 750+10*g.rnd.IntN(20))
	d["alloggio.locazione_datore"] = false
	d["alloggio.decurtazione_stipendio"] = false
	d["impegno.rimpatrio"] = true
	d["impegno.variazioni"] = true
	d["dichiara.collaboratori_occupati"] = "0"
	d["reddito.imponibile"] = fmt.Sprintf("%d.000,00", 30+g.rnd.IntN(50))
	d["reddito.anno"] = "2006"
	d["dichiara.regolarita_contributiva"] = true
	d["dichiara.non_risolvere"] = true
}
