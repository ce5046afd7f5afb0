package shared

import "strings"

// The closed sets of MODULI.md. Codes are what travels; labels are what people read; Help holds
// the seeds' own words, so the compiler can explain a choice without knowing it.

var sessoOptions = []Option{
	{Value: "M", Label: "Maschio"},
	{Value: "F", Label: "Femmina"},
}

// The seeds give no list of civil states: this is the usual Italian one.
var statoCivileOptions = []Option{
	{Value: "celibe_nubile", Label: "Celibe / nubile"},
	{Value: "coniugato", Label: "Coniugato / coniugata"},
	{Value: "separato", Label: "Separato / separata"},
	{Value: "divorziato", Label: "Divorziato / divorziata"},
	{Value: "vedovo", Label: "Vedovo / vedova"},
}

var enablementTipoOptions = []Option{
	{Value: "nominativa", Label: "Nominativa", Help: "Per un lavoratore che conosci già: ne indichi nome, cognome e cittadinanza."},
	{Value: "numerica", Label: "Numerica", Help: "Per un lavoratore scelto dalle apposite liste, distinte per Paese d'origine, formate in applicazione dell'art. 32 del DPR 394/99 e approvate dal Ministero del lavoro. Si può presentare soltanto per i Paesi per i quali le liste esistono."},
}

var tipologiaOptions = []Option{
	{Value: "colf", Label: "Lavoro domestico di sostegno al bisogno familiare (colf)", Short: "Colf (lavoro domestico)"},
	{Value: "badante", Label: "Assistenza a persona non autosufficiente (badante)", Short: "Badante (assistenza alla persona)"},
}

var convivenzaOptions = []Option{
	{Value: "convivente", Label: "Convivente"},
	{Value: "non_convivente", Label: "Non convivente"},
}

var durataOptions = []Option{
	{Value: "indeterminato", Label: "A tempo indeterminato"},
	{Value: "determinato", Label: "A tempo determinato"},
}

var aCaricoOptions = []Option{
	{Value: "datore", Label: "A carico del datore di lavoro"},
	{Value: "lavoratore", Label: "A carico del lavoratore"},
}

var percettoriOptions = []Option{
	{Value: "uno", Label: "Un solo percettore di reddito"},
	{Value: "piu", Label: "Più componenti percettori di reddito"},
}

// Level codes (CCNL 2007). The descriptions of A, B, C and D are the seed's (003, chapter III);
// the "super" levels have none in the seed, so their help names their mansioni.
var livelloOptions = []Option{
	{Value: "A", Label: "Livello A", Help: "Appartengono a questo livello i collaboratori familiari generici, non addetti all'assistenza di persone, sprovvisti di esperienza professionale o con esperienza professionale (maturata anche presso datori di lavoro diversi) non superiore a 12 mesi, nonché i lavoratori che, in possesso della necessaria esperienza, svolgono con competenza le proprie mansioni, relative ai profili lavorativi indicati, a livello esecutivo e sotto il diretto controllo del datore di lavoro."},
	{Value: "AS", Label: "Livello A super", Help: "Addetto alla compagnia di persone autosufficienti; baby sitter."},
	{Value: "B", Label: "Livello B", Help: "Appartengono a questo livello i collaboratori familiari che, in possesso della necessaria esperienza, svolgono con specifica competenza le proprie mansioni, ancorché a livello esecutivo."},
	{Value: "BS", Label: "Livello B super", Help: "Assistente a persone autosufficienti."},
	{Value: "C", Label: "Livello C", Help: "Appartengono a questo livello i collaboratori familiari che, in possesso di specifiche conoscenze di base, sia teoriche che tecniche, relative allo svolgimento dei compiti assegnati, operano con totale autonomia e responsabilità."},
	{Value: "CS", Label: "Livello C super", Help: "Assistente a persone non autosufficienti (non formato)."},
	{Value: "D", Label: "Livello D", Help: "Appartengono a questo livello i collaboratori familiari che, in possesso dei necessari requisiti professionali, ricoprono specifiche posizioni di lavoro caratterizzate da responsabilità, autonomia decisionale e/o coordinamento."},
	{Value: "DS", Label: "Livello D super", Help: "Assistente a persone non autosufficienti (formato); direttore di casa. La formazione si intende conseguita quando il lavoratore sia in possesso di diploma nello specifico campo oggetto della propria mansione, conseguito in Italia o all'estero, purché equipollente, anche con corsi di formazione aventi la durata minima prevista dalla legislazione regionale e comunque non inferiore a 500 ore."},
}

// The mansioni that make a badante (C8): assistance to a person who is not self-sufficient.
const (
	mansioneNonAutoNonFormato = "assistente_non_autosufficienti"
	mansioneNonAutoFormato    = "assistente_non_autosufficienti_formato"
)

func isBadanteMansione(v string) bool {
	return v == mansioneNonAutoNonFormato || v == mansioneNonAutoFormato
}

// Mansioni by level; Parent is the level code. Help is the seed's description of the job.
var mansioneOptions = []Option{
	{Parent: "A", Value: "collaboratore_meno_12_mesi", Label: "Collaboratore familiare con meno di 12 mesi di esperienza", Help: "Collaboratore familiare con meno di 12 mesi di esperienza professionale, non addetto all'assistenza di persone. Svolge mansioni di pertinenza dei collaboratori familiari, a livello di inserimento al lavoro ed in fase di prima formazione. Al compimento dei dodici mesi di anzianità questo lavoratore sarà inquadrato nel livello B con la qualifica di collaboratore generico polifunzionale."},
	{Parent: "A", Value: "addetto_pulizie", Label: "Addetto alle pulizie", Help: "Svolge esclusivamente mansioni relative alla pulizia della casa."},
	{Parent: "A", Value: "addetto_lavanderia", Label: "Addetto alla lavanderia", Help: "Svolge mansioni relative alla lavanderia."},
	{Parent: "A", Value: "aiuto_cucina", Label: "Aiuto di cucina", Help: "Svolge mansioni di supporto al cuoco."},
	{Parent: "A", Value: "stalliere", Label: "Stalliere", Help: "Svolge mansioni di normale pulizia della stalla e di cura generica del/dei cavallo/i."},
	{Parent: "A", Value: "assistente_animali", Label: "Assistente ad animali domestici", Help: "Svolge mansioni di assistenza ad animali domestici."},
	{Parent: "A", Value: "addetto_aree_verdi", Label: "Addetto alla pulizia ed annaffiatura delle aree verdi", Help: "Addetto alla pulizia ed annaffiatura delle aree verdi."},
	{Parent: "A", Value: "operaio_comune", Label: "Operaio comune", Help: "Svolge mansioni manuali, di fatica, sia per le grandi pulizie, sia nell'ambito di interventi di piccola manutenzione."},

	{Parent: "AS", Value: "addetto_compagnia", Label: "Addetto alla compagnia", Help: "Svolge esclusive mansioni di mera compagnia a persone autosufficienti, senza effettuare alcuna prestazione di lavoro."},
	{Parent: "AS", Value: "baby_sitter", Label: "Baby sitter", Help: "Svolge mansioni occasionali e/o saltuarie di vigilanza di bambini in occasione di assenze dei familiari, con esclusione di qualsiasi prestazione di cura."},

	{Parent: "B", Value: "collaboratore_polifunzionale", Label: "Collaboratore generico polifunzionale", Help: "Svolge le incombenze relative al normale andamento della vita familiare, compiendo, anche congiuntamente, mansioni di pulizia e riassetto della casa, di addetto alla cucina, di addetto alla lavanderia, di assistente ad animali domestici, nonché altri compiti nell'ambito del livello di appartenenza."},
	{Parent: "B", Value: "custode", Label: "Custode di abitazione privata", Help: "Svolge mansioni di vigilanza dell'abitazione del datore di lavoro e relative pertinenze, nonché, se fornito di alloggio nella proprietà, di custodia."},
	{Parent: "B", Value: "addetto_stireria", Label: "Addetto alla stireria", Help: "Svolge mansioni relative alla stiratura."},
	{Parent: "B", Value: "cameriere", Label: "Cameriere", Help: "Svolge servizio di tavola e di camera."},
	{Parent: "B", Value: "giardiniere", Label: "Giardiniere", Help: "Addetto alla cura delle aree verdi ed ai connessi interventi di manutenzione."},
	{Parent: "B", Value: "operaio_qualificato", Label: "Operaio qualificato", Help: "Svolge mansioni manuali nell'ambito di interventi, anche complessi, di manutenzione."},
	{Parent: "B", Value: "autista", Label: "Autista", Help: "Svolge mansioni di conduzione di automezzi adibiti al trasporto di persone ed effetti familiari, effettuando anche la relativa ordinaria manutenzione e pulizia."},
	{Parent: "B", Value: "addetto_camere_colazione", Label: "Addetto al riassetto camere e servizio di prima colazione", Help: "Addetto al riassetto camere e servizio di prima colazione anche per persone ospiti del datore di lavoro. Svolge le ordinarie mansioni previste per il collaboratore generico polifunzionale, oltreché occuparsi del rifacimento camere e servizio di tavola della prima colazione per gli ospiti del datore di lavoro."},

	{Parent: "BS", Value: "assistente_autosufficienti", Label: "Assistente a persone autosufficienti", Help: "Svolge mansioni di assistenza a persone (anziani o bambini) autosufficienti, ivi comprese, se richieste, le attività connesse alle esigenze del vitto e della pulizia della casa ove vivono gli assistiti. Per persona autosufficiente si intende il soggetto in grado di compiere le più importanti attività relative alla cura della propria persona ed alla vita di relazione."},

	{Parent: "C", Value: "cuoco", Label: "Cuoco", Help: "Svolge mansioni di addetto alla preparazione dei pasti ed ai connessi compiti di cucina, nonché di approvvigionamento delle materie prime."},

	{Parent: "CS", Value: mansioneNonAutoNonFormato, Label: "Assistente a persone non autosufficienti (non formato)", Help: "Svolge mansioni di assistenza a persone non autosufficienti, ivi comprese, se richieste, le attività connesse alle esigenze del vitto e della pulizia della casa ove vivono gli assistiti."},

	{Parent: "D", Value: "amministratore_beni", Label: "Amministratore dei beni di famiglia", Help: "Svolge mansioni connesse all'amministrazione del patrimonio familiare."},
	{Parent: "D", Value: "maggiordomo", Label: "Maggiordomo", Help: "Svolge mansioni di gestione e di coordinamento relative a tutte le esigenze connesse ai servizi rivolti alla vita familiare."},
	{Parent: "D", Value: "governante", Label: "Governante", Help: "Svolge mansioni di coordinamento relative alle attività di cameriere di camera, di stireria, di lavanderia, di guardaroba e simili."},
	{Parent: "D", Value: "capo_cuoco", Label: "Capo cuoco", Help: "Svolge mansioni di gestione e di coordinamento relative a tutte le esigenze connesse alla preparazione dei cibi ed, in generale, ai compiti della cucina e della dispensa."},
	{Parent: "D", Value: "capo_giardiniere", Label: "Capo giardiniere", Help: "Svolge mansioni di gestione e di coordinamento relative a tutte le esigenze connesse alla cura delle aree verdi e relativi interventi di manutenzione."},
	{Parent: "D", Value: "istitutore", Label: "Istitutore", Help: "Svolge mansioni di istruzione e/o educazione dei componenti il nucleo familiare."},

	{Parent: "DS", Value: mansioneNonAutoFormato, Label: "Assistente a persone non autosufficienti (formato)", Help: "Svolge mansioni di assistenza a persone non autosufficienti, ivi comprese, se richieste, le attività connesse alle esigenze del vitto e della pulizia della casa ove vivono gli assistiti. La formazione si intende conseguita con un diploma nello specifico campo, conseguito in Italia o all'estero, purché equipollente, anche con corsi di formazione di almeno 500 ore."},
	{Parent: "DS", Value: "direttore_casa", Label: "Direttore di casa", Help: "Svolge mansioni di gestione e di coordinamento relative a tutte le esigenze connesse all'andamento della casa."},
}

// DOC_ID: documents equivalent to the carta d'identità for Italians (art. 35 DPR 445/2000).
var docIDOptions = []Option{
	{Value: "carta_identita", Label: "Carta d'identità"},
	{Value: "passaporto", Label: "Passaporto"},
	{Value: "patente_guida", Label: "Patente di guida"},
	{Value: "patente_nautica", Label: "Patente nautica"},
	{Value: "libretto_pensione", Label: "Libretto di pensione"},
	{Value: "patentino_impianti_termici", Label: "Patentino di abilitazione alla conduzione di impianti termici"},
	{Value: "porto_armi", Label: "Porto d'armi"},
	{Value: "tessera_riconoscimento", Label: "Tessera di riconoscimento rilasciata da un'amministrazione dello Stato", Help: "Purché munita di fotografia e di timbro o di altra segnatura equivalente."},
}

// DOC_PASS: the passport and the documents equivalent to it for foreigners.
var docPassOptions = []Option{
	{Value: "passaporto", Label: "Passaporto"},
	{Value: "documento_viaggio_apolidi", Label: "Documento di viaggio per apolidi"},
	{Value: "documento_viaggio_rifugiati", Label: "Documento di viaggio per rifugiati"},
	{Value: "titolo_viaggio_stranieri", Label: "Titolo di viaggio per stranieri", Help: "Per chi è impossibilitato a ricevere un valido documento di viaggio dall'Autorità del paese di cui è cittadino."},
	{Value: "lasciapassare_onu", Label: "Lasciapassare delle Nazioni Unite"},
	{Value: "documento_nato", Label: "Documento individuale rilasciato da un Quartier Generale della NATO", Help: "Al personale militare di una forza della NATO."},
	{Value: "libretto_navigazione", Label: "Libretto di navigazione", Help: "Rilasciato ai marittimi per l'esercizio della loro attività professionale."},
	{Value: "documento_navigazione_aerea", Label: "Documento di navigazione aerea"},
	{Value: docCartaUE, Label: "Carta d'identità valida per l'espatrio (cittadini dell'Unione Europea)"},
	{Value: "carta_identita_accordo_parigi", Label: "Carta d'identità o altro documento degli Stati aderenti all'Accordo europeo sull'abolizione del passaporto", Help: "Accordo firmato a Parigi il 13.12.1957."},
}

const docCartaUE = "carta_identita_espatrio_ue"

// Citizenship groups that filter the employer's document types (Option.Parent).
const (
	groupITUE   = "it_ue"
	groupExtra  = "extra_ue"
	soggCE      = "permesso_ce_lungo_periodo"
	soggFamUE   = "carta_soggiorno_familiare_ue"
	soggOrdin   = "permesso_soggiorno"
	cittItalian = "IT"
)

// workerDocOptions: the worker is never an EU citizen (rule C12), so the EU identity card valid
// for travel is not among the worker's documents.
func workerDocOptions() []Option {
	var out []Option
	for _, o := range docPassOptions {
		if o.Value != docCartaUE {
			out = append(out, o)
		}
	}
	return out
}

// workerDocRefusal explains why a document type that is not among the worker's cannot be:
// the EU identity card, or a document that is only an Italian's identity document.
func workerDocRefusal(v string) (string, bool) {
	if strings.EqualFold(v, docCartaUE) {
		return "La carta d'identità valida per l'espatrio è un documento dei soli cittadini dell'Unione Europea, e il lavoratore di questa procedura è extracomunitario: scegli il passaporto o un documento equivalente dall'elenco.", true
	}
	for _, o := range docIDOptions {
		if strings.EqualFold(v, o.Value) {
			return "«" + o.Label + "» non è un documento valido per l'espatrio: il lavoratore extracomunitario si identifica con il passaporto o con un documento equivalente. Scegli il tipo di documento dall'elenco.", true
		}
	}
	return "", false
}

// employerDocOptions: an Italian or EU employer shows a DOC_ID document (or an EU identity card
// valid for travel); any other employer a DOC_PASS one. The EU identity card is not offered to
// non-EU citizens, who cannot hold one.
func employerDocOptions() []Option {
	var out []Option
	for _, o := range docIDOptions {
		o.Parent = groupITUE
		out = append(out, o)
	}
	for _, o := range docPassOptions {
		if o.Value == docCartaUE {
			o.Parent = groupITUE
			out = append(out, o)
		}
	}
	for _, o := range docPassOptions {
		if o.Value != docCartaUE {
			o.Parent = groupExtra
			out = append(out, o)
		}
	}
	return out
}

// SOGGIORNO. In EM only the first two (seed 003: the non-EU employer must hold one of them, or
// have asked for it); Modulo A accepts any permit (seed 001: "straniero regolarmente
// soggiornante").
var soggiornoOptions = []Option{
	{Value: soggCE, Label: "Permesso CE per soggiornanti di lungo periodo"},
	{Value: soggFamUE, Label: "Carta di soggiorno per familiari di cittadini italiani o comunitari"},
	{Value: soggOrdin, Label: "Permesso di soggiorno"},
}

// soggiornoExpires tells which titles carry an expiry date: the long-term EC permit does not.
func soggiornoExpires(v string) bool { return v == soggFamUE || v == soggOrdin }

// Tipologie are the kinds of domestic work (rapporto.tipologia), in the schema's order.
func Tipologie() []Option { return append([]Option(nil), tipologiaOptions...) }
