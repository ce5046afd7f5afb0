package shared

// The EM module (dichiarazione di emersione 2009), chapters I–VII of seed 003, with the
// generation data of the website in the chapter where they belong.

func emSections() []Section {
	livello, mansione, convivenza, orario, retribuzione := contractCore(KindEM)
	return []Section{
		section("I", "I. Datore di lavoro",
			"Attenzione! Nel caso di regolarizzazione di una o due badanti, il datore di lavoro può essere anche una persona congiunta, facente parte del nucleo familiare (anche se non convivente) dell'assistito affetto da patologia o handicap. "+
				"Per il lavoro domestico di sostegno al bisogno familiare è possibile in ogni caso l'emersione di una colf alle proprie dipendenze anche se l'attività lavorativa si svolge presso una diversa abitazione (in ufficio, a casa della madre, in una seconda casa).",
			[]Field{
				field(TypeText, "datore.cognome", "Cognome del datore di lavoro", generation, required),
				field(TypeText, "datore.nome", "Nome del datore di lavoro", generation, required),
			},
			birthBlock("datore"),
			[]Field{
				field(TypeCodiceFiscale, "datore.codice_fiscale", "Codice fiscale", required, computedFrom("datore"),
					help("Il codice fiscale di 16 caratteri (o quello provvisorio di 11 cifre) come scritto sulla tessera sanitaria o sul tesserino dell'Agenzia delle Entrate.")),
			},
			residenceBlock(),
			[]Field{
				field(TypePhone, "datore.telefono", "Recapito telefonico", generation, required),
			},
		),
		section("I-bis", "I-bis. Documenti del datore di lavoro", "",
			[]Field{
				field(TypeCountry, "datore.cittadinanza", "Cittadinanza", required,
					help("Se sei cittadino di un altro Stato dell'Unione Europea ti sarà chiesta la conferma dell'iscrizione anagrafica; se sei cittadino di uno Stato non UE, i dati del titolo di soggiorno. "+
						"Attenzione! I datori di lavoro extracomunitari possono accedere alla procedura solamente se in possesso del permesso CE per soggiornanti di lungo periodo o della carta di soggiorno per familiari di cittadini italiani o comunitari, o se ne hanno chiesto il rilascio.")),
				field(TypeBool, "datore.iscrizione_anagrafica", "Iscrizione anagrafica (D.Lgs. 30/2007) confermata",
					when(employerEUNotItalian), requiredWhereShown("Se il datore di lavoro è cittadino di un altro Stato dell'Unione Europea"),
					requiredMessage(CodeIscrizione, "Un datore di lavoro cittadino di un altro Stato dell'Unione Europea deve confermare l'avvenuta iscrizione anagrafica ai sensi del D.Lgs. 6 febbraio 2007, n. 30: spunta «Iscrizione anagrafica (D.Lgs. 30/2007) confermata»."),
					help("Per i cittadini di un altro Stato dell'Unione Europea: conferma dell'avvenuta iscrizione anagrafica ai sensi del D.Lgs. 30 del 6 febbraio 2007.")),
			},
			employerDocBlock(),
			permitBlock(KindEM),
		),
		section("II", "II. Lavoratore",
			"Il documento di identità del lavoratore dovrà essere esibito al momento della convocazione allo Sportello Unico.",
			[]Field{
				field(TypeText, "lavoratore.cognome", "Cognome del lavoratore", generation, required),
				field(TypeText, "lavoratore.nome", "Nome del lavoratore", generation, required),
			},
			birthBlock("lavoratore"),
			[]Field{
				field(TypeCodiceFiscale, "lavoratore.codice_fiscale", "Codice fiscale (se già in possesso)", computedFrom("lavoratore"),
					help("Solo se il lavoratore ha già un codice fiscale; altrimenti lascia vuoto.")),
				field(TypeEnum, "lavoratore.stato_civile", "Stato civile", required, options(statoCivileOptions)),
				field(TypeCountry, "lavoratore.cittadinanza", "Cittadinanza del lavoratore", generation, required, nonEU,
					help("La procedura riguarda lavoratori extracomunitari: la cittadinanza non può essere di uno Stato dell'Unione Europea.")),
			},
			workerDocBlock(KindEM),
		),
		section("III", "III. Proposta di contratto di soggiorno",
			"La proposta di contratto di soggiorno per lavoro subordinato domestico.",
			[]Field{
				field(TypeEnum, "rapporto.tipologia", "Tipologia", required, options(tipologiaOptions),
					help("Lavoro domestico di sostegno al bisogno familiare (colf) oppure assistenza a persone non autosufficienti (badante). Per persona autosufficiente si intende il soggetto in grado di compiere le più importanti attività relative alla cura della propria persona ed alla vita di relazione.")),
				livello, mansione, convivenza, orario, retribuzione,
				field(TypeDate, "rapporto.data_inizio", "Data di inizio del rapporto", required,
					help("Il lavoratore deve essere occupato da almeno tre mesi al 30 giugno 2009: il rapporto deve essere iniziato al più tardi il 1° aprile 2009.")),
			},
			each(assistitoBlock(), when(isBadante), requiredWhereShown("Per l'assistenza di persone non autosufficienti (badante)"),
				help("Per l'assistenza di persone non autosufficienti: nome, cognome, luogo e data di nascita della persona assistita.")),
		),
		section("IV", "IV. Località di impiego e alloggio",
			"I rapporti di lavoro domestico di sostegno al bisogno familiare possono svolgersi anche in un'abitazione diversa da quella del datore di lavoro: per esempio è possibile l'emersione di una colf che svolga le sue mansioni presso l'abitazione della madre. "+
				"Al momento della convocazione presso lo Sportello Unico il datore di lavoro dovrà esibire la documentazione relativa alla disponibilità dell'alloggio (contratto di affitto, contratto di comodato, ospitalità ecc.) nonché il certificato di idoneità alloggiativa (rilasciato dal Comune o dalla ASL).",
			[]Field{
				field(TypeProvincia, "impiego.provincia", "Provincia di impiego del lavoratore", generation, required,
					help("Decide lo Sportello Unico per l'Immigrazione competente.")),
				field(TypeBool, "impiego.coincide_residenza", "La località di impiego coincide con la residenza del datore di lavoro",
					help("Spunta se il lavoratore lavora all'indirizzo di residenza del datore di lavoro; altrimenti indica la località di impiego.")),
			},
			each(placeBlock("impiego", "di impiego", false), when(notCoincident), func(f *Field) {
				f.RequiredIf = "Se la località di impiego non coincide con la residenza del datore di lavoro"
			}),
			placeBlock("alloggio", "dell'alloggio", true),
			[]Field{
				field(TypeEnum, "alloggio.a_carico", "Sistemazione alloggiativa a carico di", required, options(aCaricoOptions),
					help("Indica se la sistemazione alloggiativa è a carico del datore di lavoro o a carico del lavoratore, con l'eventuale decurtazione dallo stipendio.")),
				field(TypeMoney, "alloggio.decurtazione", "Decurtazione dallo stipendio (€ al mese)",
					when(func(d reader) bool { return d.Str("alloggio.a_carico") != "" }),
					help("Lascia vuoto se non è prevista alcuna decurtazione. Attenzione! Nel caso di lavoratori conviventi non si tratta di rapporto di locazione, pertanto non si può prevedere una decurtazione dallo stipendio. La decurtazione non può superare un terzo della retribuzione mensile.")),
			},
		),
		section("V", "V. Dichiarazioni e recapiti", "Si richiede di dichiarare la sussistenza dei seguenti requisiti.",
			[]Field{
				field(TypeBool, "dichiara.occupato_tre_mesi", "Il lavoratore era occupato da almeno tre mesi alla data del 30 giugno 2009", required),
				field(TypeBool, "dichiara.reddito", "Il nucleo familiare ha un reddito imponibile di almeno 20.000 euro (un solo percettore di reddito) o 25.000 euro (più percettori)",
					when(isColf), requiredWhereShown("Solo per il lavoro domestico di sostegno al bisogno familiare (colf)"),
					help("Solo per la regolarizzazione di lavoratori domestici di sostegno al bisogno familiare; non per l'assistenza a persone non autosufficienti.")),
				field(TypeEnum, "reddito.percettori", "Percettori di reddito nel nucleo familiare", options(percettoriOptions),
					when(isColf), requiredWhereShown("Solo per il lavoro domestico di sostegno al bisogno familiare (colf)")),
				field(TypeMoney, "reddito.importo", "Reddito imponibile del nucleo familiare nell'anno precedente (€)",
					when(isColf), requiredWhereShown("Solo per il lavoro domestico di sostegno al bisogno familiare (colf)")),
				field(TypeBool, "dichiara.retribuzione_minima", "La retribuzione del lavoratore non è inferiore a quella prevista dal contratto collettivo nazionale e comunque non inferiore all'importo minimo dell'assegno sociale (€ 409,05 mensili per il 2009)", required),
				field(TypeBool, "dichiara.impegno_rimpatrio", "Mi impegno a sostenere le spese di eventuale rientro del lavoratore in patria nel caso di espulsione e a comunicare ogni variazione del rapporto di lavoro", required),
				field(TypeBool, "dichiara.certificazione_non_autosufficienza", "Mi impegno a produrre la certificazione attestante la non autosufficienza della persona assistita",
					when(isBadante), requiredWhereShown("Per l'assistenza di persone non autosufficienti (badante)"),
					help("La certificazione attesta la non autosufficienza della persona assistita al momento dell'inizio del rapporto di lavoro, ed è rilasciata dalla struttura sanitaria pubblica o da un medico convenzionato con il SSN. Se la regolarizzazione riguarda due lavoratori il certificato medico dovrà specificare questa necessità. Se la persona assistita è già in possesso di una certificazione di invalidità non è necessario produrre una nuova documentazione.")),
				field(TypeBool, "rinuncia.flussi_2007", "Rinuncio alla richiesta di nulla osta per lavoro domestico presentata con il decreto flussi 2007",
					help("Attenzione! Se per il lavoratore era stata chiesta l'assunzione da un diverso datore di lavoro non è necessaria la rinuncia al nulla osta. Nel caso di nulla osta richiesto per un diverso settore lavorativo la rinuncia non deve essere effettuata.")),
				field(TypeText, "rinuncia.codice_domanda", "Codice identificativo della domanda 2007",
					when(func(d reader) bool { return d.Bool("rinuncia.flussi_2007") }), requiredWhereShown("Se rinunci alla domanda presentata con il decreto flussi 2007")),
				field(TypeText, "recapiti.indirizzo", "Indirizzo per le comunicazioni (se diverso da quello di residenza)"),
				field(TypePhone, "recapiti.telefono", "Telefono",
					requiredIf("Se non indichi il telefono cellulare: serve almeno un recapito telefonico", func(d reader) bool { return !d.Filled("recapiti.cellulare") }),
					requiredMessage("required", "Indica almeno un recapito telefonico per ricevere le comunicazioni: il telefono o il cellulare.")),
				field(TypePhone, "recapiti.cellulare", "Telefono cellulare"),
				field(TypePhone, "recapiti.fax", "Fax"),
				field(TypeEmail, "recapiti.email", "E-mail"),
			},
		),
		section("VI", "VI. Versamento e marca da bollo",
			"Il bollettino del versamento e la marca da bollo originale andranno esibiti al momento della convocazione presso lo Sportello Unico.",
			[]Field{
				field(TypeDate, "versamento.data_f24", "Data del versamento F24 del contributo forfetario di € 500", required,
					help("La data in cui hai versato con il modello F24 il contributo forfetario di 500 euro (versabile dal 21 agosto 2009).")),
				field(TypeDigits, "marca_bollo.identificativo", "Identificativo della marca da bollo da € 14,62", required, length(14),
					help("Le 14 cifre dell'identificativo stampato sulla marca da bollo.")),
				field(TypeDate, "marca_bollo.data", "Data di emissione della marca da bollo", required),
			},
		),
		{
			ID: "VII", Title: "VII. Conferma e invio", Confirm: true, Fields: []Field{},
			Help: "Al termine della compilazione conferma i dati inseriti e verificane l'esattezza: le eventuali irregolarità sono segnalate. " +
				"Si invia un modulo per ogni lavoratore, solo nel periodo di invio della procedura. Tutte le domande inviate che rispondono ai requisiti sono accettate: non è necessario affrettarsi. " +
				"Conserva la ricevuta di invio: dimostra l'avvenuta richiesta di regolarizzazione e dovrà essere esibita al momento della convocazione presso lo Sportello Unico. La ricevuta non dà diritto all'iscrizione sanitaria: fino alla regolarizzazione il lavoratore può accedere all'assistenza sanitaria solo con la tessera STP.",
		},
	}
}
