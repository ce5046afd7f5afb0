package shared

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"nullaosta/shared/codicefiscale"
)

// deleted, as a change's value, removes the key from the fixture.
type deletedValue struct{}

var del = deletedValue{}

type ruleCase struct {
	name      string // "<rule id>/<what>": the rule id comes first
	fixture   string // em_colf (default), em_badante, a_nominativa, a_numerica
	change    Data   // applied to the fixture; del removes a key, nil sets JSON null
	recompute []string
	today     time.Time // zero: the fixture's day
	campaign  func(*Campaign)
	wantField string // "" with wantCode "": no problem at all
	wantCode  string
	wantSev   Severity // zero: error, or warning for the warning codes
	wantMsg   string   // when set, the exact message
}

var warningCodes = map[string]bool{CodeCFMismatch: true, CodeDocumentExpired: true, CodeCAPNotCurrent: true}

func (c ruleCase) data(t testing.TB) Data {
	name := c.fixture
	if name == "" {
		name = "em_colf"
	}
	d := loadFixture(t, name)
	for k, v := range c.change {
		if v == del {
			delete(d, k)
			continue
		}
		d[k] = v
	}
	for _, who := range c.recompute {
		d[who+".codice_fiscale"] = computeCF(t, d, who)
	}
	return d
}

func (c ruleCase) run(t *testing.T) {
	name := c.fixture
	if name == "" {
		name = "em_colf"
	}
	d := c.data(t)
	today := c.today
	if today.IsZero() {
		today = fixtureDay(name)
	}
	camp, _ := OfficialCampaign(fixtureKind(name))
	if c.campaign != nil {
		c.campaign(&camp)
	}
	ps := Validate(fixtureKind(name), &camp, d, today)
	if c.wantCode == "" {
		for _, p := range ps {
			t.Errorf("unexpected %s %s (%s): %s", p.Field, p.Code, p.Severity, p.Message)
		}
		return
	}
	sev := c.wantSev
	if sev == "" {
		sev = SeverityError
		if warningCodes[c.wantCode] {
			sev = SeverityWarning
		}
	}
	if len(ps) != 1 || ps[0].Field != c.wantField || ps[0].Code != c.wantCode || ps[0].Severity != sev {
		t.Errorf("want exactly %s %s (%s), got %d problems:", c.wantField, c.wantCode, sev, len(ps))
		for _, p := range ps {
			t.Errorf("  %s %s (%s): %s", p.Field, p.Code, p.Severity, p.Message)
		}
		return
	}
	if c.wantMsg != "" && ps[0].Message != c.wantMsg {
		t.Errorf("message\n got: %s\nwant: %s", ps[0].Message, c.wantMsg)
	}
}

// omocodiaOf replaces the last digit of a valid code with its omocodia letter and finds the
// check character that makes it valid again, as the Agenzia delle Entrate would issue it.
func omocodiaOf(t testing.TB, cf string) string {
	t.Helper()
	b := []byte(cf)
	b[14] = "LMNPQRSTUV"[b[14]-'0']
	for c := byte('A'); c <= 'Z'; c++ {
		b[15] = c
		if codicefiscale.Check(string(b)) == nil {
			return string(b)
		}
	}
	t.Fatalf("no check character for %s", b)
	return ""
}

// temporaryCF returns an 11-digit temporary code with a right (or, if wrong, a wrong) check
// digit.
func temporaryCF(t testing.TB, wrong bool) string {
	t.Helper()
	for d := byte('0'); d <= '9'; d++ {
		s := "0123456789" + string(d)
		if (codicefiscale.Check(s) == nil) != wrong {
			return s
		}
	}
	t.Fatal("no temporary code")
	return ""
}

func TestRules(t *testing.T) {
	long := strings.Repeat("a", maxTextLen+1)
	exact := strings.Repeat("a", maxTextLen)
	cases := []ruleCase{
		// C1: required fields and conditional requirements.
		{name: "C1/missing_sesso", change: Data{"datore.sesso": del}, wantField: "datore.sesso", wantCode: "required"},
		{name: "C1/missing_generation_datum", change: Data{"datore.cognome": del}, wantField: "datore.cognome", wantCode: "required"},
		{name: "C1/blank_is_missing", change: Data{"datore.documento.numero": "   "}, wantField: "datore.documento.numero", wantCode: "required"},
		{name: "C1/born_in_italy_needs_comune", change: Data{"datore.nascita.comune": del}, wantField: "datore.nascita.comune", wantCode: "required"},
		{name: "C1/worker_born_in_italy_passes", change: Data{"lavoratore.nascita.stato": "IT", "lavoratore.nascita.provincia": "CN", "lavoratore.nascita.comune": "D205"}},
		{name: "C1/born_abroad_needs_localita", change: Data{"lavoratore.nascita.localita": del}, wantField: "lavoratore.nascita.localita", wantCode: "required"},
		{name: "C1/one_phone_required", change: Data{"recapiti.cellulare": del}, wantField: "recapiti.telefono", wantCode: "required"},
		{name: "C1/landline_is_enough", change: Data{"recapiti.cellulare": del, "recapiti.telefono": "0171 654321"}},
		{name: "C1/must_confirm", change: Data{"dichiara.occupato_tre_mesi": false}, wantField: "dichiara.occupato_tre_mesi", wantCode: "must_confirm"},
		{name: "C1/must_confirm_missing", change: Data{"dichiara.impegno_rimpatrio": del}, wantField: "dichiara.impegno_rimpatrio", wantCode: "must_confirm"},
		{name: "C1/checkbox_as_text_true", change: Data{"dichiara.occupato_tre_mesi": "true"}},
		{name: "C1/impiego_needed_if_not_coincident", change: Data{"impiego.coincide_residenza": false, "impiego.comune": "D205", "impiego.indirizzo": "Via Roma", "impiego.numero_civico": "15"}, wantField: "impiego.cap", wantCode: "required"},
		{name: "C1/impiego_not_coincident_complete", change: Data{"impiego.coincide_residenza": false, "impiego.comune": "D205", "impiego.indirizzo": "Via Roma", "impiego.numero_civico": "15", "impiego.cap": "12100"}},
		{name: "C1/a_nominativa_worker_data", fixture: "a_nominativa", change: Data{"lavoratore.residenza_estero.localita": del}, wantField: "lavoratore.residenza_estero.localita", wantCode: "required"},
		{name: "C1/a_durata_mesi_if_determinato", fixture: "a_numerica", change: Data{"rapporto.durata_mesi": del}, wantField: "rapporto.durata_mesi", wantCode: "required"},
		{name: "C1/a_badante_assisting_the_employer", fixture: "a_nominativa", change: Data{"rapporto.tipologia": "badante", "rapporto.livello": "CS", "rapporto.mansione": "assistente_non_autosufficienti", "rapporto.retribuzione_mensile": "850,00"}},
		{name: "C1/a_badante_assistito_all_or_none", fixture: "a_nominativa", change: Data{"rapporto.tipologia": "badante", "rapporto.livello": "CS", "rapporto.mansione": "assistente_non_autosufficienti", "rapporto.retribuzione_mensile": "850,00",
			"assistito.cognome": "Ferrero", "assistito.nome": "Carlo", "assistito.luogo_nascita": "Alba"}, wantField: "assistito.data_nascita", wantCode: "required"},
		{name: "C1/a_decurtazione_amount", fixture: "a_numerica", change: Data{"alloggio.decurtazione": del}, wantField: "alloggio.decurtazione", wantCode: "required"},

		// C2: formats, closed key set, types.
		{name: "C2/date_impossible", change: Data{"rapporto.data_inizio": "31/02/2009"}, wantField: "rapporto.data_inizio", wantCode: "format"},
		{name: "C2/date_italian", change: Data{"rapporto.data_inizio": "3/11/2008"}},
		{name: "C2/date_two_digit_year", change: Data{"rapporto.data_inizio": "03/11/08"}, wantField: "rapporto.data_inizio", wantCode: "format"},
		{name: "C2/cap_four_digits", change: Data{"alloggio.cap": "1210"}, wantField: "alloggio.cap", wantCode: "format"},
		{name: "C2/email", change: Data{"recapiti.email": "giovanna.bianchi@"}, wantField: "recapiti.email", wantCode: "format"},
		{name: "C2/phone_dash", change: Data{"recapiti.cellulare": "333-1234567"}, wantField: "recapiti.cellulare", wantCode: "format"},
		{name: "C2/phone_plus_spaces", change: Data{"recapiti.cellulare": " +39 333 123 4567 "}},
		{name: "C2/money_three_decimals", change: Data{"rapporto.retribuzione_mensile": "600,001"}, wantField: "rapporto.retribuzione_mensile", wantCode: "format"},
		{name: "C2/money_negative", change: Data{"alloggio.decurtazione": "-10"}, wantField: "alloggio.decurtazione", wantCode: "format"},
		{name: "C2/money_plain_and_grouped", change: Data{"reddito.importo": "32500", "rapporto.retribuzione_mensile": "€ 600"}},
		{name: "C2/hours_not_whole", change: Data{"rapporto.orario_settimanale": "25,5"}, wantField: "rapporto.orario_settimanale", wantCode: "format"},
		{name: "C2/number_not_string", change: Data{"rapporto.retribuzione_mensile": 600.0}, wantField: "rapporto.retribuzione_mensile", wantCode: "format"},
		{name: "C2/bool_for_text", change: Data{"datore.documento.numero": true}, wantField: "datore.documento.numero", wantCode: "format"},
		{name: "C2/text_for_checkbox", change: Data{"dichiara.reddito": "sì"}, wantField: "dichiara.reddito", wantCode: "format"},
		{name: "C2/null", change: Data{"datore.documento.numero": nil}, wantField: "datore.documento.numero", wantCode: "format"},
		{name: "C2/unknown_field", change: Data{"datore.codice_fiscal": "x"}, wantField: "datore.codice_fiscal", wantCode: "unknown_field"},
		{name: "C2/key_of_the_other_module", change: Data{"richiesta.tipo": "nominativa"}, wantField: "richiesta.tipo", wantCode: "unknown_field"},
		{name: "C2/enum_not_in_list", change: Data{"rapporto.livello": "E"}, wantField: "rapporto.livello", wantCode: "not_in_list"},
		{name: "C2/enum_any_case", change: Data{"rapporto.livello": "b", "rapporto.tipologia": "COLF", "datore.sesso": "f"}},
		{name: "C2/country_not_in_list", change: Data{"lavoratore.nascita.stato": "XX"}, wantField: "lavoratore.nascita.stato", wantCode: "not_in_list"},
		{name: "C2/text_too_long", change: Data{"lavoratore.documento.rilasciato_da": long}, wantField: "lavoratore.documento.rilasciato_da", wantCode: "too_long"},
		{name: "C2/text_longest", change: Data{"lavoratore.documento.rilasciato_da": exact}},
		{name: "C2/not_applicable_ignored", change: Data{"assistito.cognome": "Nessuno", "assistito.data_nascita": 5.0, "datore.soggiorno.tipo": "qualunque",
			"datore.iscrizione_anagrafica": true, "rinuncia.codice_domanda": nil, "dichiara.certificazione_non_autosufficienza": "boh", "datore.nascita.localita": "Cuneo"}},
		{name: "C2/a_numerica_worker_locked", fixture: "a_numerica", change: Data{"lavoratore.cognome": "Rossi"}, wantField: "lavoratore.cognome", wantCode: "locked"},
		{name: "C2/a_numerica_passport_locked", fixture: "a_numerica", change: Data{"lavoratore.documento.numero": "X123"}, wantField: "lavoratore.documento.numero", wantCode: "locked"},
		{name: "C2/a_numerica_blank_worker_ok", fixture: "a_numerica", change: Data{"lavoratore.cognome": "", "lavoratore.residenza_estero.indirizzo": "  ", "lavoratore.codice_fiscale": nil}},
		{name: "C2/a_numerica_any_value_locked", fixture: "a_numerica", change: Data{"lavoratore.data_nascita": 1980.0}, wantField: "lavoratore.data_nascita", wantCode: "locked"},

		// C3: codice fiscale.
		{name: "C3/check_character", change: Data{"datore.codice_fiscale": "BNCGNN58C52D205A"}, wantField: "datore.codice_fiscale", wantCode: "cf_check"},
		{name: "C3/length", change: Data{"datore.codice_fiscale": "BNCGNN58C52D205"}, wantField: "datore.codice_fiscale", wantCode: "cf_check"},
		{name: "C3/lowercase_with_spaces", change: Data{"datore.codice_fiscale": " bncgnn 58c52 d205k "}},
		{name: "C3/omocodia_accepted", change: Data{"datore.codice_fiscale": omocodiaOf(t, "BNCGNN58C52D205K")}},
		{name: "C3/mismatch_is_warning", change: Data{"datore.data_nascita": "1958-03-13"}, wantField: "datore.codice_fiscale", wantCode: "cf_mismatch"},
		{name: "C3/mismatch_birthplace", change: Data{"datore.nascita.comune": "A124"}, wantField: "datore.codice_fiscale", wantCode: "cf_mismatch"},
		{name: "C3/worker_mismatch_name", fixture: "em_badante", change: Data{"lavoratore.nome": "Olga"}, wantField: "lavoratore.codice_fiscale", wantCode: "cf_mismatch"},
		{name: "C3/worker_born_abroad_matches", fixture: "em_badante"},
		{name: "C3/temporary_numeric", fixture: "em_badante", change: Data{"lavoratore.codice_fiscale": temporaryCF(t, false)}},
		{name: "C3/temporary_numeric_check_digit", fixture: "em_badante", change: Data{"lavoratore.codice_fiscale": temporaryCF(t, true)}, wantField: "lavoratore.codice_fiscale", wantCode: "cf_check"},

		// Messages a person reads (issue 13).
		{name: "C2/worker_eu_identity_card", change: Data{"lavoratore.documento.tipo": "carta_identita_espatrio_ue"}, wantField: "lavoratore.documento.tipo", wantCode: "document_type",
			wantMsg: "La carta d'identità valida per l'espatrio è un documento dei soli cittadini dell'Unione Europea, e il lavoratore di questa procedura è extracomunitario: scegli il passaporto o un documento equivalente dall'elenco."},
		{name: "C2/worker_identity_card", fixture: "a_nominativa", change: Data{"lavoratore.documento.tipo": "carta_identita"}, wantField: "lavoratore.documento.tipo", wantCode: "document_type",
			wantMsg: "«Carta d'identità» non è un documento valido per l'espatrio: il lavoratore extracomunitario si identifica con il passaporto o con un documento equivalente. Scegli il tipo di documento dall'elenco."},
		{name: "C3/mismatch_one_datum_agrees", change: Data{"datore.nascita.comune": "A124"}, wantField: "datore.codice_fiscale", wantCode: "cf_mismatch",
			wantMsg: "«Codice fiscale» del datore di lavoro non corrisponde al luogo di nascita indicato nel modulo. Se è il codice rilasciato dall'Agenzia delle Entrate (per esempio in caso di omocodia) lascialo così; altrimenti controlla il codice e quel dato."},
		{name: "C3/mismatch_date_agrees", change: Data{"datore.data_nascita": "1958-03-13"}, wantField: "datore.codice_fiscale", wantCode: "cf_mismatch",
			wantMsg: "«Codice fiscale» del datore di lavoro non corrisponde alla data di nascita indicata nel modulo. Se è il codice rilasciato dall'Agenzia delle Entrate (per esempio in caso di omocodia) lascialo così; altrimenti controlla il codice e quel dato."},
		{name: "C3/mismatch_two_data_agree", change: Data{"datore.data_nascita": "1958-03-13", "datore.nascita.comune": "A124"}, wantField: "datore.codice_fiscale", wantCode: "cf_mismatch",
			wantMsg: "«Codice fiscale» del datore di lavoro non corrisponde alla data di nascita e al luogo di nascita indicati nel modulo. Se è il codice rilasciato dall'Agenzia delle Entrate (per esempio in caso di omocodia) lascialo così; altrimenti controlla il codice e quei dati."},
		{name: "C4/impiego_province_named_once", change: Data{"impiego.provincia": "TO"}, wantField: "impiego.coincide_residenza", wantCode: "impiego_provincia",
			wantMsg: "La località di impiego non può coincidere con la residenza: la provincia di impiego, Torino (TO), è diversa da quella di residenza, Cuneo (CN). Togli la spunta e indica l'indirizzo di impiego."},
		{name: "C4/locked_field_says_generate_new_module", change: Data{"datore.residenza.comune": "L219"}, wantField: "datore.residenza.comune", wantCode: "comune_provincia",
			wantMsg: "Il comune di Torino non è in provincia di Cuneo (CN). È un dato della generazione del modulo e qui non si può modificare: se è sbagliato, genera un nuovo modulo sul sito con il dato giusto."},
		{name: "C1/locked_field_parse_error", change: Data{"datore.residenza.cap": "121"}, wantField: "datore.residenza.cap", wantCode: "format",
			wantMsg: "«CAP» della residenza del datore di lavoro: «121» non è un CAP. È un dato della generazione del modulo e qui non si può modificare: se è sbagliato, genera un nuovo modulo sul sito con il dato giusto."},
		{name: "C1/json_number_for_text", change: Data{"alloggio.numero_civico": 40.0}, wantField: "alloggio.numero_civico", wantCode: "format",
			wantMsg: "Il valore di «Numero civico dell'alloggio» non si può leggere: è un numero (40) e non un testo. Riscrivilo nel campo (in un file JSON va scritto tra virgolette, per esempio \"15\")."},

		{name: "C1/negative_count", fixture: "a_nominativa", change: Data{"dichiara.collaboratori_occupati": "-1"}, wantField: "dichiara.collaboratori_occupati", wantCode: "format",
			wantMsg: "«Numero di collaboratori familiari occupati alla data odierna»: il numero non può essere negativo («-1»): scrivi 0 o un numero intero positivo, per esempio 2."},
		{name: "C1/residence_abroad_named_once", fixture: "a_nominativa", change: Data{"lavoratore.residenza_estero.indirizzo": ""}, wantField: "lavoratore.residenza_estero.indirizzo", wantCode: "required",
			wantMsg: "Compila «Indirizzo di residenza all'estero» del lavoratore: è obbligatorio."},

		// C4: places.
		{name: "C4/comune_not_in_provincia", change: Data{"alloggio.comune": "L219"}, wantField: "alloggio.comune", wantCode: "comune_provincia"},
		{name: "C4/cap_not_of_comune", change: Data{"alloggio.cap": "12051"}, wantField: "alloggio.cap", wantCode: "cap_comune",
			wantMsg: "Il CAP 12051 è del comune di Alba, non di Cuneo. Il CAP di Cuneo è 12100."},
		{name: "C4/cap_outside_province", change: Data{"alloggio.cap": "20121"}, wantField: "alloggio.cap", wantCode: "cap_comune",
			wantMsg: "Il CAP 20121 non è del comune di Cuneo né della sua provincia. Il CAP di Cuneo è 12100."},
		// CAPs of 2009 that changed since: in the province's range, a warning, not a refusal.
		{name: "C4/cap_2009_monza", change: Data{"alloggio.provincia": "MB", "alloggio.comune": "F704", "alloggio.cap": "20052"}, wantField: "alloggio.cap", wantCode: "cap_not_current",
			wantMsg: "Il CAP 20052 non è tra i CAP di oggi del comune di Monza (20900), ma è della sua provincia: se era il CAP dell'indirizzo nel 2009 lascialo così, altrimenti correggilo."},
		{name: "C4/cap_2009_barletta", change: Data{"alloggio.provincia": "BT", "alloggio.comune": "A669", "alloggio.cap": "70051"}, wantField: "alloggio.cap", wantCode: "cap_not_current"},
		{name: "C4/cap_2009_fermo", change: Data{"alloggio.provincia": "FM", "alloggio.comune": "D542", "alloggio.cap": "63023"}, wantField: "alloggio.cap", wantCode: "cap_not_current"},
		{name: "C4/cap_2009_sappada", change: Data{"alloggio.provincia": "BL", "alloggio.comune": "I421", "alloggio.cap": "32047"}, wantField: "alloggio.cap", wantCode: "cap_not_current"},
		{name: "C4/cap_today_sappada", change: Data{"alloggio.provincia": "BL", "alloggio.comune": "I421", "alloggio.cap": "33012"}},
		// Birthplaces: every comune that ever had a cadastral code; addresses: those of 2009.
		{name: "C4/birth_comune_merged_1995", change: Data{"datore.nascita.provincia": "RO", "datore.nascita.comune": "C967"}, recompute: []string{"datore"}},
		{name: "C4/birth_comune_ceded_1947", change: Data{"datore.nascita.provincia": "PL", "datore.nascita.comune": "G778"}, recompute: []string{"datore"}},
		{name: "C4/birth_comune_ceded_wrong_province", change: Data{"datore.nascita.provincia": "FU", "datore.nascita.comune": "G778"}, recompute: []string{"datore"},
			wantField: "datore.nascita.comune", wantCode: "comune_provincia"},
		{name: "C4/address_comune_merged_1995", change: Data{"alloggio.provincia": "RO", "alloggio.comune": "C967", "alloggio.cap": "45014"}, wantField: "alloggio.comune", wantCode: "not_in_list"},
		{name: "C4/address_province_ceded_1947", change: Data{"alloggio.provincia": "PL"}, wantField: "alloggio.provincia", wantCode: "not_in_list"},
		{name: "C4/multi_cap_comune_any_of_its_caps", fixture: "em_badante", change: Data{"impiego.comune": "L219", "impiego.cap": "10156"}},
		{name: "C4/multi_cap_comune_other_cap", fixture: "em_badante", change: Data{"impiego.comune": "L219", "impiego.cap": "10160"}, wantField: "impiego.cap", wantCode: "cap_not_current"},
		{name: "C4/multi_cap_comune_other_province", fixture: "em_badante", change: Data{"impiego.comune": "L219", "impiego.cap": "12100"}, wantField: "impiego.cap", wantCode: "cap_comune"},
		{name: "C4/provincia_unknown", change: Data{"alloggio.provincia": "XX"}, wantField: "alloggio.provincia", wantCode: "not_in_list"},
		{name: "C4/provincia_2009_MB", change: Data{"alloggio.provincia": "MB", "alloggio.comune": "F704", "alloggio.cap": "20900"}},
		{name: "C4/sigla_any_case", change: Data{"alloggio.provincia": "cn", "alloggio.comune": "d205"}},
		{name: "C4/impiego_coincident_other_province", change: Data{"impiego.provincia": "TO"}, wantField: "impiego.coincide_residenza", wantCode: "impiego_provincia"},
		{name: "C4/address_comune_suppressed_before_2009", change: Data{"alloggio.provincia": "UD", "alloggio.comune": "B545", "alloggio.cap": "33050"}, wantField: "alloggio.comune", wantCode: "not_in_list"},
		{name: "C4/address_comune_created_after_2009", change: Data{"alloggio.provincia": "TN", "alloggio.comune": "M313", "alloggio.cap": "38067"}, wantField: "alloggio.comune", wantCode: "not_in_list"},
		{name: "C4/birth_comune_suppressed_ok", change: Data{"lavoratore.nascita.stato": "IT", "lavoratore.nascita.provincia": "UD", "lavoratore.nascita.comune": "B545"}},
		{name: "C4/a2007_comune_suppressed_in_2009_ok", fixture: "a_nominativa", change: Data{"alloggio.provincia": "UD", "alloggio.comune": "L044", "alloggio.cap": "33050"}},

		// C5: dates.
		{name: "C5/expiry_before_issue", change: Data{"lavoratore.documento.data_scadenza": "2005-01-01"}, wantField: "lavoratore.documento.data_scadenza", wantCode: "date_order"},
		{name: "C5/issued_tomorrow", change: Data{"datore.documento.data_rilascio": "2009-09-16"}, wantField: "datore.documento.data_rilascio", wantCode: "future_date"},
		{name: "C5/issued_today", change: Data{"datore.documento.data_rilascio": "2009-09-15"}},
		{name: "C5/birth_in_future", fixture: "em_badante", change: Data{"assistito.data_nascita": "2010-01-01"}, wantField: "assistito.data_nascita", wantCode: "future_date"},
		{name: "C5/worker_passport_expired_warning", fixture: "em_badante", change: Data{"lavoratore.documento.data_scadenza": "2009-09-14"}, wantField: "lavoratore.documento.data_scadenza", wantCode: "document_expired"},
		{name: "C5/worker_passport_expires_today", fixture: "em_badante", change: Data{"lavoratore.documento.data_scadenza": "2009-09-15"}},
		{name: "C5/employer_document_expired_warning", change: Data{"datore.documento.data_scadenza": "01/09/2009"}, wantField: "datore.documento.data_scadenza", wantCode: "document_expired"},
		{name: "C5/a_worker_passport_expired_warning", fixture: "a_nominativa", change: Data{"lavoratore.documento.data_scadenza": "2007-12-01"}, wantField: "lavoratore.documento.data_scadenza", wantCode: "document_expired"},

		// C6: employer of age on the day of sending.
		{name: "C6/eighteen_today", change: Data{"datore.data_nascita": "1991-09-15"}, recompute: []string{"datore"}},
		{name: "C6/eighteen_tomorrow", change: Data{"datore.data_nascita": "1991-09-16"}, recompute: []string{"datore"}, wantField: "datore.data_nascita", wantCode: "min_age"},
		{name: "C6/a_eighteen_today", fixture: "a_nominativa", change: Data{"datore.data_nascita": "1989-12-15"}, recompute: []string{"datore"}},
		{name: "C6/a_eighteen_tomorrow", fixture: "a_nominativa", change: Data{"datore.data_nascita": "1989-12-16"}, recompute: []string{"datore"}, wantField: "datore.data_nascita", wantCode: "min_age"},

		// C7: worker at least 16 when work starts.
		{name: "C7/sixteen_on_start_day", change: Data{"lavoratore.data_nascita": "1992-11-03"}},
		{name: "C7/sixteen_the_day_after", change: Data{"lavoratore.data_nascita": "1992-11-04"}, wantField: "lavoratore.data_nascita", wantCode: "worker_min_age"},
		{name: "C7/a_sixteen_today", fixture: "a_nominativa", change: Data{"lavoratore.data_nascita": "1991-12-15"}},
		{name: "C7/a_sixteen_tomorrow", fixture: "a_nominativa", change: Data{"lavoratore.data_nascita": "1991-12-16"}, wantField: "lavoratore.data_nascita", wantCode: "worker_min_age"},

		// C8: mansione, livello, tipologia.
		{name: "C8/mansione_of_other_level", change: Data{"rapporto.mansione": "cuoco"}, wantField: "rapporto.mansione", wantCode: "mansione_livello"},
		{name: "C8/mansione_any_case", change: Data{"rapporto.mansione": "Collaboratore_Polifunzionale"}},
		{name: "C8/badante_needs_non_autosufficienti", fixture: "em_badante", change: Data{"rapporto.livello": "DS", "rapporto.mansione": "direttore_casa", "rapporto.retribuzione_mensile": "1.200,00"}, wantField: "rapporto.mansione", wantCode: "badante_mansione"},
		{name: "C8/badante_ds_formato", fixture: "em_badante", change: Data{"rapporto.livello": "DS", "rapporto.mansione": "assistente_non_autosufficienti_formato", "rapporto.retribuzione_mensile": "1.200,00"}},
		{name: "C8/colf_not_non_autosufficienti", change: Data{"rapporto.livello": "CS", "rapporto.mansione": "assistente_non_autosufficienti", "rapporto.retribuzione_mensile": "900,00"}, wantField: "rapporto.mansione", wantCode: "colf_mansione"},
		{name: "C8/colf_assistente_autosufficienti", change: Data{"rapporto.livello": "BS", "rapporto.mansione": "assistente_autosufficienti"}},

		// C9: weekly hours.
		{name: "C9/nineteen_hours", change: Data{"rapporto.orario_settimanale": "19"}, wantField: "rapporto.orario_settimanale", wantCode: "min_hours"},
		{name: "C9/twenty_hours", change: Data{"rapporto.orario_settimanale": "20"}},
		{name: "C9/tempo_pieno_any_case", fixture: "em_badante", change: Data{"rapporto.orario_settimanale": "tp"}},
		{name: "C9/fifty_four_hours", fixture: "em_badante", change: Data{"rapporto.orario_settimanale": "54"}},
		{name: "C9/fifty_five_hours", fixture: "em_badante", change: Data{"rapporto.orario_settimanale": "55"}, wantField: "rapporto.orario_settimanale", wantCode: "max_hours"},

		// C10: CCNL minimum and assegno sociale.
		{name: "C10/non_convivente_at_minimum", change: Data{"rapporto.retribuzione_mensile": "541,67"}},
		{name: "C10/non_convivente_one_cent_below", change: Data{"rapporto.retribuzione_mensile": "541,66"}, wantField: "rapporto.retribuzione_mensile", wantCode: "below_minimum_wage",
			wantMsg: "La retribuzione mensile (€ 541,66) è inferiore al minimo del CCNL per il livello B non convivente con 25 ore settimanali: € 541,67. Indica almeno € 541,67."},
		{name: "C10/cs_em_700", fixture: "em_badante", change: Data{"rapporto.retribuzione_mensile": "700,00"}, wantField: "rapporto.retribuzione_mensile", wantCode: "below_minimum_wage",
			wantMsg: "La retribuzione mensile (€ 700,00) è inferiore al minimo del CCNL per il livello CS convivente: € 880,17. Indica almeno € 880,17."},
		{name: "C10/cs_em_one_cent_below", fixture: "em_badante", change: Data{"rapporto.retribuzione_mensile": "880,16"}, wantField: "rapporto.retribuzione_mensile", wantCode: "below_minimum_wage"},
		{name: "C10/cs_em_whatever_the_hours", fixture: "em_badante", change: Data{"rapporto.convivenza": "non_convivente", "rapporto.orario_settimanale": "20"}},
		{name: "C10/cs_em_many_hours_same_minimum", fixture: "em_badante", change: Data{"rapporto.convivenza": "non_convivente", "rapporto.orario_settimanale": "54"}},
		{name: "C10/assegno_sociale_below", change: Data{"rapporto.livello": "A", "rapporto.mansione": "addetto_pulizie", "rapporto.orario_settimanale": "20", "rapporto.retribuzione_mensile": "409,04"}, wantField: "rapporto.retribuzione_mensile", wantCode: "below_assegno_sociale"},
		{name: "C10/assegno_sociale_reached", change: Data{"rapporto.livello": "A", "rapporto.mansione": "addetto_pulizie", "rapporto.orario_settimanale": "20", "rapporto.retribuzione_mensile": "409,05"}},
		{name: "C10/a_hourly_floor_reached", fixture: "a_numerica", change: Data{"rapporto.retribuzione_mensile": "633,10"}},
		{name: "C10/a_hourly_floor_below", fixture: "a_numerica", change: Data{"rapporto.retribuzione_mensile": "633,09"}, wantField: "rapporto.retribuzione_mensile", wantCode: "below_minimum_wage"},
		{name: "C10/a_convivente_30h_table", fixture: "a_nominativa", change: Data{"rapporto.orario_settimanale": "30", "rapporto.retribuzione_mensile": "500,00"}},
		{name: "C10/a_convivente_30h_below", fixture: "a_nominativa", change: Data{"rapporto.orario_settimanale": "30", "rapporto.retribuzione_mensile": "499,99"}, wantField: "rapporto.retribuzione_mensile", wantCode: "below_minimum_wage"},
		{name: "C10/a_level_d_with_indemnity", fixture: "a_nominativa", change: Data{"rapporto.livello": "D", "rapporto.mansione": "governante", "rapporto.retribuzione_mensile": "1.150,00"}},
		{name: "C10/a_level_d_without_indemnity", fixture: "a_nominativa", change: Data{"rapporto.livello": "D", "rapporto.mansione": "governante", "rapporto.retribuzione_mensile": "1.149,99"}, wantField: "rapporto.retribuzione_mensile", wantCode: "below_minimum_wage"},
		{name: "C10/a_cs_table_not_em_amount", fixture: "a_nominativa", change: Data{"rapporto.tipologia": "badante", "rapporto.livello": "CS", "rapporto.mansione": "assistente_non_autosufficienti", "rapporto.retribuzione_mensile": "849,99"}, wantField: "rapporto.retribuzione_mensile", wantCode: "below_minimum_wage"},

		// C11: housing deduction.
		{name: "C11/exactly_one_third", change: Data{"alloggio.decurtazione": "200,00"}},
		{name: "C11/one_cent_more", change: Data{"alloggio.decurtazione": "200,01"}, wantField: "alloggio.decurtazione", wantCode: "deduction_too_high"},
		{name: "C11/employer_provides_housing", change: Data{"alloggio.a_carico": "datore", "alloggio.decurtazione": "200,00"}},
		{name: "C11/convivente", fixture: "em_badante", change: Data{"alloggio.decurtazione": "50,00"}, wantField: "alloggio.decurtazione", wantCode: "deduction_convivente"},
		{name: "C11/convivente_zero", fixture: "em_badante", change: Data{"alloggio.decurtazione": "0,00"}},
		{name: "C11/a_not_provided", fixture: "a_numerica", change: Data{"alloggio.locazione_datore": false}, wantField: "alloggio.decurtazione_stipendio", wantCode: "deduction_not_provided"},
		{name: "C11/a_one_third_floor", fixture: "a_numerica", change: Data{"alloggio.decurtazione": "216,66"}},
		{name: "C11/a_above_one_third", fixture: "a_numerica", change: Data{"alloggio.decurtazione": "216,67"}, wantField: "alloggio.decurtazione", wantCode: "deduction_too_high"},
		{name: "C11/a_convivente", fixture: "a_nominativa", change: Data{"alloggio.locazione_datore": true, "alloggio.decurtazione_stipendio": true, "alloggio.decurtazione": "100,00"}, wantField: "alloggio.decurtazione_stipendio", wantCode: "deduction_convivente"},
		{name: "C11/a_no_deduction_amount_ignored", fixture: "a_numerica", change: Data{"alloggio.decurtazione_stipendio": false, "alloggio.decurtazione": "999,00"}},

		// C12: the worker is not an EU citizen.
		{name: "C12/worker_romanian", change: Data{"lavoratore.cittadinanza": "RO"}, wantField: "lavoratore.cittadinanza", wantCode: "worker_eu"},
		{name: "C12/worker_italian", change: Data{"lavoratore.cittadinanza": "IT"}, wantField: "lavoratore.cittadinanza", wantCode: "worker_eu"},
		{name: "C12/worker_moldovan", change: Data{"lavoratore.cittadinanza": "MD"}},
		{name: "C12/a_numerica_eu_country", fixture: "a_numerica", change: Data{"lavoratore.cittadinanza": "RO"}, wantField: "lavoratore.cittadinanza", wantCode: "worker_eu"},

		// C13: employer citizenship, document and permit.
		{name: "C13/eu_needs_iscrizione", change: Data{"datore.cittadinanza": "FR"}, wantField: "datore.iscrizione_anagrafica", wantCode: "iscrizione_anagrafica"},
		{name: "C13/eu_with_iscrizione", change: Data{"datore.cittadinanza": "FR", "datore.iscrizione_anagrafica": true}},
		{name: "C13/eu_identity_card", change: Data{"datore.cittadinanza": "FR", "datore.iscrizione_anagrafica": true, "datore.documento.tipo": "carta_identita_espatrio_ue"}},
		{name: "C13/italian_with_foreigner_document", change: Data{"datore.documento.tipo": "documento_viaggio_apolidi"}, wantField: "datore.documento.tipo", wantCode: "document_type"},
		{name: "C13/non_eu_with_italian_id", fixture: "em_badante", change: Data{"datore.documento.tipo": "carta_identita"}, wantField: "datore.documento.tipo", wantCode: "document_type"},
		{name: "C13/non_eu_refugee_document", fixture: "em_badante", change: Data{"datore.documento.tipo": "documento_viaggio_rifugiati"}},
		{name: "C13/em_ordinary_permit", fixture: "em_badante", change: Data{"datore.soggiorno.tipo": "permesso_soggiorno"}, wantField: "datore.soggiorno.tipo", wantCode: "employer_permit"},
		{name: "C13/em_family_card_needs_expiry", fixture: "em_badante", change: Data{"datore.soggiorno.tipo": "carta_soggiorno_familiare_ue"}, wantField: "datore.soggiorno.scadenza", wantCode: "required"},
		{name: "C13/em_family_card_expired", fixture: "em_badante", change: Data{"datore.soggiorno.tipo": "carta_soggiorno_familiare_ue", "datore.soggiorno.scadenza": "2009-09-14"}, wantField: "datore.soggiorno.scadenza", wantCode: "employer_permit"},
		{name: "C13/em_family_card_expires_today", fixture: "em_badante", change: Data{"datore.soggiorno.tipo": "carta_soggiorno_familiare_ue", "datore.soggiorno.scadenza": "2009-09-15"}},
		{name: "C13/em_expired_renewal_asked", fixture: "em_badante", change: Data{"datore.soggiorno.tipo": "carta_soggiorno_familiare_ue", "datore.soggiorno.scadenza": "2009-09-14", "datore.soggiorno.richiesta_rinnovo": true, "datore.soggiorno.data_richiesta": "2009-08-01"}},
		{name: "C13/em_renewal_needs_date", fixture: "em_badante", change: Data{"datore.soggiorno.richiesta_rinnovo": true}, wantField: "datore.soggiorno.data_richiesta", wantCode: "required"},
		{name: "C13/a_ordinary_permit_valid", fixture: "a_numerica"},
		{name: "C13/a_ordinary_permit_expired", fixture: "a_numerica", change: Data{"datore.soggiorno.scadenza": "2007-12-14"}, wantField: "datore.soggiorno.scadenza", wantCode: "employer_permit"},
		{name: "C13/a_eu_employer", fixture: "a_nominativa", change: Data{"datore.cittadinanza": "FR"}},

		// E4: income of the household, colf only.
		{name: "E4/one_earner_threshold", change: Data{"reddito.importo": "20.000,00"}},
		{name: "E4/one_earner_below", change: Data{"reddito.importo": "19.999,99"}, wantField: "reddito.importo", wantCode: "income_too_low"},
		{name: "E4/several_earners_threshold", change: Data{"reddito.percettori": "piu", "reddito.importo": "25.000,00"}},
		{name: "E4/several_earners_below", change: Data{"reddito.percettori": "piu", "reddito.importo": "24.999,99"}, wantField: "reddito.importo", wantCode: "income_too_low"},
		{name: "E4/declaration", change: Data{"dichiara.reddito": false}, wantField: "dichiara.reddito", wantCode: "must_confirm"},
		{name: "E4/badante_no_income_rule", fixture: "em_badante", change: Data{"reddito.importo": "100,00", "reddito.percettori": "uno"}},

		// E5: start of employment.
		{name: "E5/start_on_cutoff", change: Data{"rapporto.data_inizio": "2009-04-01"}},
		{name: "E5/start_after_cutoff", change: Data{"rapporto.data_inizio": "02/04/2009"}, wantField: "rapporto.data_inizio", wantCode: "start_after_cutoff"},
		{name: "E5/cutoff_is_a_parameter", change: Data{"rapporto.data_inizio": "2009-04-01"}, campaign: func(c *Campaign) { c.StartCutoff = "2009-03-30" }, wantField: "rapporto.data_inizio", wantCode: "start_after_cutoff"},

		// E6: badante.
		{name: "E6/assistito_required", fixture: "em_badante", change: Data{"assistito.data_nascita": del}, wantField: "assistito.data_nascita", wantCode: "required"},
		{name: "E6/certificazione_undertaking", fixture: "em_badante", change: Data{"dichiara.certificazione_non_autosufficienza": false}, wantField: "dichiara.certificazione_non_autosufficienza", wantCode: "must_confirm"},
		{name: "E6/colf_no_assistito", change: Data{"dichiara.certificazione_non_autosufficienza": false}},

		// E7: renouncing the 2007 application.
		{name: "E7/code_required", fixture: "em_badante", change: Data{"rinuncia.codice_domanda": del}, wantField: "rinuncia.codice_domanda", wantCode: "required"},
		{name: "E7/code_when_renouncing", change: Data{"rinuncia.flussi_2007": true}, wantField: "rinuncia.codice_domanda", wantCode: "required"},
		{name: "E7/no_renounce_no_code", change: Data{"rinuncia.codice_domanda": ""}},

		// E8: F24 payment and marca da bollo.
		{name: "E8/f24_on_opening_day", change: Data{"versamento.data_f24": "2009-08-21"}},
		{name: "E8/f24_day_before", change: Data{"versamento.data_f24": "2009-08-20"}, wantField: "versamento.data_f24", wantCode: "f24_too_early"},
		{name: "E8/f24_after_sending", change: Data{"versamento.data_f24": "2009-09-16"}, wantField: "versamento.data_f24", wantCode: "future_date"},
		{name: "E8/f24_on_sending_day", change: Data{"versamento.data_f24": "2009-09-15"}},
		{name: "E8/marca_13_digits", change: Data{"marca_bollo.identificativo": "0123456789012"}, wantField: "marca_bollo.identificativo", wantCode: "format"},
		{name: "E8/marca_letters", change: Data{"marca_bollo.identificativo": "0123456789012A"}, wantField: "marca_bollo.identificativo", wantCode: "format"},
		{name: "E8/marca_spaced", change: Data{"marca_bollo.identificativo": "0123 4567 8901 23"}},
		{name: "E8/marca_date_future", change: Data{"marca_bollo.data": "2009-09-16"}, wantField: "marca_bollo.data", wantCode: "future_date"},

		// A1: numerica only for countries with a list; nominativa needs the worker.
		{name: "A1/numerica_without_list", fixture: "a_numerica", change: Data{"lavoratore.cittadinanza": "UA"}, wantField: "lavoratore.cittadinanza", wantCode: "numerica_not_allowed",
			wantMsg: "Per Ucraina non c'è una lista pubblicata: la richiesta numerica si può presentare solo per Albania, Algeria, Bangladesh, Egitto, Filippine, Ghana, Marocco, Moldova, Nigeria, Pakistan, Senegal, Sri Lanka e Tunisia. È un dato della generazione del modulo e qui non si può modificare: se è sbagliato, genera un nuovo modulo sul sito con il dato giusto."},
		{name: "A1/numerica_with_list", fixture: "a_numerica", change: Data{"lavoratore.cittadinanza": "LK"}},
		{name: "A1/list_is_a_parameter", fixture: "a_numerica", change: Data{"lavoratore.cittadinanza": "UA"}, campaign: func(c *Campaign) { c.NumericaCountries = append(c.NumericaCountries, "UA") }},
		{name: "A1/nominativa_any_country", fixture: "a_nominativa", change: Data{"lavoratore.cittadinanza": "UA"}},
		{name: "A1/nominativa_needs_worker", fixture: "a_nominativa", change: Data{"lavoratore.data_nascita": del}, wantField: "lavoratore.data_nascita", wantCode: "required"},
		{name: "A1/nominativa_needs_name", fixture: "a_nominativa", change: Data{"lavoratore.cognome": del}, wantField: "lavoratore.cognome", wantCode: "required"},

		// A2: income at least twice the annual cost.
		{name: "A2/income_at_threshold", fixture: "a_nominativa", change: Data{"reddito.imponibile": "23.327,20"}},
		{name: "A2/income_one_cent_below", fixture: "a_nominativa", change: Data{"reddito.imponibile": "23.327,19"}, wantField: "reddito.imponibile", wantCode: "income_too_low"},
		{name: "A2/other_income_counts", fixture: "a_nominativa", change: Data{"reddito.imponibile": "20.000,00", "reddito.altri": "3.327,20"}},
		{name: "A2/up_to_24h_band", fixture: "a_numerica", change: Data{"rapporto.orario_settimanale": "24", "reddito.imponibile": "20.069,92"}},
		{name: "A2/up_to_24h_band_below", fixture: "a_numerica", change: Data{"rapporto.orario_settimanale": "24", "reddito.imponibile": "20.069,91"}, wantField: "reddito.imponibile", wantCode: "income_too_low"},

		// A3: months of a fixed-term contract.
		{name: "A3/zero_months", fixture: "a_numerica", change: Data{"rapporto.durata_mesi": "0"}, wantField: "rapporto.durata_mesi", wantCode: "durata_mesi"},
		{name: "A3/one_month", fixture: "a_numerica", change: Data{"rapporto.durata_mesi": "1"}},
		{name: "A3/not_a_number", fixture: "a_numerica", change: Data{"rapporto.durata_mesi": "dodici"}, wantField: "rapporto.durata_mesi", wantCode: "format"},
		{name: "A3/indeterminato_ignores_months", fixture: "a_numerica", change: Data{"rapporto.durata": "indeterminato", "rapporto.durata_mesi": "0"}},

		// A4: year of the income.
		{name: "A4/two_years_before", fixture: "a_nominativa", change: Data{"reddito.anno": "2005"}},
		{name: "A4/three_years_before", fixture: "a_nominativa", change: Data{"reddito.anno": "2004"}, wantField: "reddito.anno", wantCode: "reddito_anno"},
		{name: "A4/campaign_year", fixture: "a_nominativa", change: Data{"reddito.anno": "2007"}, wantField: "reddito.anno", wantCode: "reddito_anno"},

		// A5: the province of impiego decides the Sportello Unico, so it must be one.
		{name: "A5/impiego_provincia_unknown", fixture: "a_nominativa", change: Data{"impiego.provincia": "ZZ", "impiego.coincide_residenza": false,
			"impiego.comune": "A124", "impiego.indirizzo": "Via Cavour", "impiego.numero_civico": "8", "impiego.cap": "12051"}, wantField: "impiego.provincia", wantCode: "not_in_list"},
	}
	for _, c := range cases {
		t.Run(c.name, c.run)
	}

	t.Run("E1/send_window", testSendWindow)
	t.Run("E1/demo_campaign", testDemoCampaign)
	t.Run("E2/same_worker", testSameWorker)
	t.Run("E3/limits", testLimits)
	t.Run("A5/sportello", testSportello)
}

func rome(t *testing.T, s string) time.Time {
	t.Helper()
	tt, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tt
}

func testSendWindow(t *testing.T) {
	c, _ := CampaignByID("em2009")
	for _, tc := range []struct {
		at   string
		open bool
	}{
		{"2009-08-31T23:59:59+02:00", false},
		{"2009-09-01T00:00:00+02:00", true}, // 31 August 22:00 UTC: already 1 September in Rome
		{"2009-09-15T12:00:00Z", true},
		{"2009-09-30T23:59:59+02:00", true},
		{"2009-09-30T22:00:00Z", false}, // midnight in Rome
		{"2009-10-01T00:00:00+02:00", false},
	} {
		if got := c.SendOpen(rome(t, tc.at)); got != tc.open {
			t.Errorf("SendOpen(%s) = %v, want %v", tc.at, got, tc.open)
		}
	}
	a, _ := CampaignByID("a2007")
	if !a.SendOpen(rome(t, "2007-12-15T08:00:00+01:00")) || a.SendOpen(rome(t, "2007-12-16T00:00:00+01:00")) || a.SendOpen(rome(t, "2007-12-14T23:59:00+01:00")) {
		t.Error("the 2007 click day is one day")
	}
	a.SendFrom, a.SendTo = "2007-12-18", "2007-12-18"
	if !a.SendOpen(rome(t, "2007-12-18T08:00:00+01:00")) {
		t.Error("a configured click day is honoured")
	}
}

func testDemoCampaign(t *testing.T) {
	today := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	d := DemoCampaign(KindEM, today)
	if d.ID != "demo-em" || d.SendFrom != "2026-10-24" || d.SendTo != "2027-01-22" {
		t.Errorf("demo window: %+v", d)
	}
	if !d.SendOpen(today) || d.SendOpen(today.AddDate(0, 0, 61)) || d.SendOpen(today.AddDate(0, 0, -31)) {
		t.Error("demo window around today")
	}
	official, _ := CampaignByID("em2009")
	if d.StartCutoff != official.StartCutoff || d.CSMinimum != official.CSMinimum || d.PaymentFrom != official.PaymentFrom || len(d.CCNL) != len(official.CCNL) {
		t.Error("the demo keeps the 2009 rules")
	}
	if a := DemoCampaign(KindA, today); a.ID != "demo-a" || !a.SendOpen(today) {
		t.Errorf("demo A: %+v", a)
	}
	// A fixture stays valid under the demo campaign: the rules did not move.
	ps := Validate(KindEM, &d, loadFixture(t, "em_colf"), emDay)
	if len(ps) != 0 {
		t.Errorf("em_colf under the demo campaign: %v", ps)
	}
}

func testSameWorker(t *testing.T) {
	sent := loadFixture(t, "em_colf")
	// The same worker again, as a badante this time, the passport typed differently.
	d := loadFixture(t, "em_colf")
	d["rapporto.tipologia"] = "badante"
	d["lavoratore.documento.numero"] = "n 123-4567"
	ps := CheckLimits(KindEM, nil, []Data{sent}, d)
	if len(ps) != 1 || ps[0].Field != "lavoratore.documento.numero" || ps[0].Code != "duplicate_worker" {
		t.Errorf("same passport: %v", ps)
	}
	// Same codice fiscale, different passport.
	b := loadFixture(t, "em_badante")
	b2 := loadFixture(t, "em_badante")
	b2["lavoratore.documento.numero"] = "FF999999"
	ps = CheckLimits(KindEM, nil, []Data{b}, b2)
	if len(ps) != 1 || ps[0].Field != "lavoratore.codice_fiscale" || ps[0].Code != "duplicate_worker" {
		t.Errorf("same codice fiscale: %v", ps)
	}
	// Near miss: another employer declares the same worker (not this rule's business).
	other := loadFixture(t, "em_colf")
	other["datore.codice_fiscale"] = "HXHRBN65H21Z100W"
	if ps := CheckLimits(KindEM, nil, []Data{sent}, other); len(ps) != 0 {
		t.Errorf("other employer: %v", ps)
	}
	// Near miss: same number, other country.
	d2 := loadFixture(t, "em_colf")
	d2["rapporto.tipologia"] = "badante"
	d2["lavoratore.cittadinanza"] = "PH"
	if ps := CheckLimits(KindEM, nil, []Data{sent}, d2); len(ps) != 0 {
		t.Errorf("same number, other country: %v", ps)
	}
	if got := WorkerKeys(sent); len(got) != 1 || got[0] != "doc:LK:N1234567" {
		t.Errorf("WorkerKeys = %v", got)
	}
	if got := WorkerKeys(b); len(got) != 2 || got[1] != "cf:KVLLNO68B54Z138A" {
		t.Errorf("WorkerKeys = %v", got)
	}
	if got := EmployerKey(Data{"datore.codice_fiscale": " bncgnn58c52d205k "}); got != "BNCGNN58C52D205K" {
		t.Errorf("EmployerKey = %q", got)
	}
	if ps := CheckLimits(KindA, nil, []Data{sent}, d); ps != nil {
		t.Errorf("Modulo A has no E2: %v", ps)
	}
}

// worker returns the em fixture for the same employer with another worker.
func worker(t *testing.T, fixture, tipologia, passport string) Data {
	d := loadFixture(t, fixture)
	d["datore.codice_fiscale"] = "BNCGNN58C52D205K"
	d["lavoratore.codice_fiscale"] = ""
	d["rapporto.tipologia"] = tipologia
	d["lavoratore.documento.numero"] = passport
	return d
}

func testLimits(t *testing.T) {
	colf1 := worker(t, "em_colf", "colf", "P1")
	colf2 := worker(t, "em_colf", "colf", "P2")
	bad1 := worker(t, "em_badante", "badante", "P3")
	bad2 := worker(t, "em_badante", "badante", "P4")
	bad3 := worker(t, "em_badante", "badante", "P5")
	for _, tc := range []struct {
		name      string
		sent      []Data
		d         Data
		wantCode  string
		wantField string
	}{
		{"first_colf", nil, colf1, "", ""},
		{"second_colf", []Data{colf1}, colf2, "limit_colf", "rapporto.tipologia"},
		{"colf_after_two_badanti", []Data{bad1, bad2}, colf1, "", ""},
		{"second_badante", []Data{colf1, bad1}, bad2, "", ""},
		{"third_badante", []Data{bad1, bad2}, bad3, "limit_badanti", "rapporto.tipologia"},
	} {
		ps := CheckLimits(KindEM, nil, tc.sent, tc.d)
		if tc.wantCode == "" {
			if len(ps) != 0 {
				t.Errorf("%s: %v", tc.name, ps)
			}
			continue
		}
		if len(ps) != 1 || ps[0].Code != tc.wantCode || ps[0].Field != tc.wantField {
			t.Errorf("%s: want %s on %s, got %v", tc.name, tc.wantCode, tc.wantField, ps)
		}
	}
	c, _ := CampaignByID("em2009")
	c.MaxBadanti = 3
	if ps := CheckLimits(KindEM, &c, []Data{bad1, bad2}, bad3); len(ps) != 0 {
		t.Errorf("the limits are parameters: %v", ps)
	}
}

func testSportello(t *testing.T) {
	p, ok := SportelloOf(loadFixture(t, "a_numerica"))
	if !ok || p.Sigla != "TO" || p.Sportello == "" {
		t.Errorf("SportelloOf = %+v, %v", p, ok)
	}
	p, ok = SportelloOf(Data{"impiego.provincia": " cn "})
	if !ok || p.Sigla != "CN" {
		t.Errorf("SportelloOf(cn) = %+v, %v", p, ok)
	}
	if _, ok := SportelloOf(Data{}); ok {
		t.Error("no provincia, no sportello")
	}
}

// TestDocumentNumberKey: one key for the ways a document number can be written — spaces and
// punctuation, case, full-width forms, Cyrillic and Greek look-alikes of Latin letters, other
// scripts' digits.
func TestDocumentNumberKey(t *testing.T) {
	const want = "AB1234567"
	for _, in := range []string{"AB1234567", "ab 123-456.7", "ＡＢ１２３４５６７", "АВ1234567", "ΑΒ1234567", "AB١٢٣٤٥٦٧", "ａｂ1234567"} {
		if got := DocumentNumberKey(in); got != want {
			t.Errorf("DocumentNumberKey(%q) = %q, want %q", in, got, want)
		}
	}
	if DocumentNumberKey("AB1234568") == want || DocumentNumberKey("ЖБ1234567") == want {
		t.Error("different numbers share a key")
	}
}

// TestLimitData: CheckLimits gives the same problems for LimitData(d) as for d, with and
// without problems to find (a key it reads and LimitData dropped would change them).
func TestLimitData(t *testing.T) {
	colf1 := worker(t, "em_colf", "colf", "P1")
	colf2 := worker(t, "em_colf", "colf", "P2")
	bad1 := worker(t, "em_badante", "badante", "P3")
	bad2 := worker(t, "em_badante", "badante", "P4")
	bad3 := worker(t, "em_badante", "badante", "P5")
	samePassport := loadFixture(t, "em_colf")
	samePassport["rapporto.tipologia"] = "badante"
	samePassport["lavoratore.documento.numero"] = "n 123-4567"
	sameCF := loadFixture(t, "em_badante")
	sameCF["lavoratore.documento.numero"] = "FF999999"
	otherCountry := loadFixture(t, "em_colf")
	otherCountry["lavoratore.cittadinanza"] = "PH"
	sent := [][]Data{nil, {loadFixture(t, "em_colf")}, {loadFixture(t, "em_badante")}, {colf1}, {bad1, bad2}, {colf1, bad1}}
	found := 0
	for _, d := range []Data{colf1, colf2, bad1, bad2, bad3, samePassport, sameCF, otherCountry, loadFixture(t, "em_colf"), {}} {
		norm := Normalize(KindEM, d)
		for i, s := range sent {
			want := CheckLimits(KindEM, nil, s, norm)
			if got := CheckLimits(KindEM, nil, s, LimitData(norm)); !reflect.DeepEqual(got, want) {
				t.Fatalf("sent %d: LimitData gives %v, the whole data %v", i, got, want)
			}
			found += len(want)
		}
	}
	if found == 0 {
		t.Fatal("no case has a problem: the comparison proves nothing")
	}
}
