package shared

// Modulo A (richiesta nominativa e numerica di nulla osta al lavoro domestico), in the 14
// sections of the paper form; seed 001 gives the instructions used as help.

const lockedNumerica = "Bloccato per una richiesta numerica: il lavoratore sarà individuato dalle liste del suo Paese."

func aSections() []Section {
	livello, mansione, convivenza, orario, retribuzione := contractCore(KindA)
	nominativa := []fieldOpt{when(notNumerica), lockedIf(lockedNumerica, isNumerica), func(f *Field) {
		if f.Required && f.RequiredIf == "" {
			f.RequiredIf = "Per una richiesta nominativa"
		}
	}}
	return []Section{
		section("1", "1. Datore di lavoro",
			"Il datore di lavoro è sia il soggetto alle cui dipendenze si svolgerà il rapporto di lavoro sia il soggetto facente parte del nucleo familiare (figlio, genitore, fratello ecc.) che si obbliga in sostituzione del congiunto che utilizzerà la prestazione di lavoro. "+
				"La richiesta può essere inoltrata da un datore di lavoro italiano (o comunitario), ovvero da uno straniero regolarmente soggiornante in Italia.",
			[]Field{
				field(TypeText, "datore.cognome", "Cognome del datore di lavoro", generation, required),
				field(TypeText, "datore.nome", "Nome del datore di lavoro", generation, required),
			},
			birthBlock("datore"),
			[]Field{
				field(TypeCodiceFiscale, "datore.codice_fiscale", "Codice fiscale", required, computedFrom("datore")),
				field(TypeEnum, "datore.stato_civile", "Stato civile", required, options(statoCivileOptions)),
			},
		),
		section("2", "2. Residenza del datore di lavoro", "",
			residenceBlock(),
			[]Field{
				field(TypePhone, "datore.telefono", "Recapito telefonico", required),
				field(TypeEmail, "datore.email", "E-mail"),
			},
		),
		section("3", "3. Cittadinanza e documento del datore di lavoro",
			"Il documento di identità ovvero il permesso o la carta di soggiorno in corso di validità dovranno essere esibiti dal datore di lavoro al momento della convocazione presso il competente Sportello Unico, ai fini del rilascio del nulla osta e della sottoscrizione del contratto di soggiorno proposto.",
			[]Field{
				field(TypeCountry, "datore.cittadinanza", "Cittadinanza", required,
					help("Se non sei cittadino dell'Unione Europea ti saranno chiesti i dati del titolo di soggiorno: la richiesta può essere presentata da uno straniero regolarmente soggiornante in Italia.")),
			},
			employerDocBlock(),
		),
		section("4", "4. Titolo di soggiorno del datore di lavoro",
			"Solo per un datore di lavoro che non è cittadino dell'Unione Europea.",
			permitBlock(KindA),
		),
		section("5", "5. Lavoratore",
			"Per una richiesta numerica le sezioni 5 e 6 restano bloccate: il lavoratore sarà individuato dalle liste, distinte per Paese d'origine, formate in applicazione dell'art. 32 del DPR 394/99 e approvate dal Ministero del lavoro.",
			[]Field{
				field(TypeEnum, "richiesta.tipo", "Tipo di richiesta", generation, required, options(enablementTipoOptions),
					help("La richiesta numerica può essere presentata soltanto in presenza delle apposite liste, distinte per Paese d'origine, rese note attraverso le Direzioni Provinciali del Lavoro e pubblicate sul sito del Ministero del lavoro.")),
			},
			each([]Field{
				field(TypeText, "lavoratore.cognome", "Cognome del lavoratore", generation, required),
				field(TypeText, "lavoratore.nome", "Nome del lavoratore", generation, required),
			}, nominativa...),
			[]Field{
				field(TypeCountry, "lavoratore.cittadinanza", "Cittadinanza del lavoratore", generation, required, nonEU,
					help("Per una richiesta nominativa, la cittadinanza del lavoratore; per una richiesta numerica, il Paese della lista. Il nulla osta riguarda cittadini extracomunitari: non uno Stato dell'Unione Europea.")),
			},
			each(fields(
				birthBlock("lavoratore"),
				[]Field{
					field(TypeEnum, "lavoratore.stato_civile", "Stato civile", required, options(statoCivileOptions)),
					field(TypeCodiceFiscale, "lavoratore.codice_fiscale", "Codice fiscale (se già in possesso)", computedFrom("lavoratore"),
						help("Solo se il lavoratore ha già un codice fiscale italiano; altrimenti lascia vuoto.")),
				},
			), nominativa...),
		),
		section("6", "6. Passaporto del lavoratore e residenza all'estero", "",
			each(fields(
				workerDocBlock(KindA),
				[]Field{
					field(TypeCountry, "lavoratore.residenza_estero.stato", "Stato di residenza", required),
					field(TypeText, "lavoratore.residenza_estero.localita", "Località di residenza", required),
					field(TypeText, "lavoratore.residenza_estero.indirizzo", "Indirizzo di residenza all'estero", required),
				},
			), nominativa...),
		),
		section("7", "7. Tipo di lavoro", "",
			[]Field{
				field(TypeEnum, "rapporto.tipologia", "Tipo di lavoro", required, options(tipologiaOptions)),
			},
			each(assistitoBlock(), when(isBadante),
				requiredIf("Per l'assistenza di una persona non autosufficiente che non è il datore di lavoro: se compili uno di questi dati, compilali tutti", anyAssistito),
				help("Solo se la persona assistita non è il datore di lavoro.")),
		),
		section("8", "8. Proposta di contratto",
			"I minimi retributivi 2007 (CCNL in vigore dal 1° marzo 2007) per i lavoratori conviventi sono mensili, per i non conviventi orari. Il minimo previsto per l'assegno sociale può variare annualmente.",
			[]Field{
				livello, mansione,
				field(TypeEnum, "rapporto.durata", "Durata del rapporto", required, options(durataOptions)),
				field(TypeInteger, "rapporto.durata_mesi", "Durata in mesi",
					when(func(d reader) bool { return is(d, "rapporto.durata", "determinato") }),
					requiredWhereShown("Se il rapporto è a tempo determinato")),
				convivenza,
				func() Field {
					orario.Help = "L'orario di lavoro va espresso in numero di ore settimanali. " + helpOrario
					return orario
				}(),
				retribuzione,
			},
		),
		section("9", "9. Località di impiego",
			"La località di impiego è diversa dalla residenza quando il rapporto di lavoro si svolge altrove, anche quando l'utilizzatore della prestazione è un congiunto (figlio, genitore, fratello ecc.) del datore di lavoro. La provincia di impiego individua lo Sportello Unico provinciale competente al rilascio del nulla osta.",
			[]Field{
				field(TypeProvincia, "impiego.provincia", "Provincia di impiego del lavoratore", generation, required),
				field(TypeBool, "impiego.coincide_residenza", "La località di impiego coincide con la residenza del datore di lavoro"),
			},
			each(placeBlock("impiego", "di impiego", false), when(notCoincident), func(f *Field) {
				f.RequiredIf = "Se la località di impiego non coincide con la residenza del datore di lavoro"
			}),
		),
		section("10", "10. Sistemazione alloggiativa",
			"Il datore di lavoro si impegna ad indicare una sistemazione alloggiativa che rientri nei parametri minimi previsti dalla legge regionale per gli alloggi di edilizia residenziale pubblica, ovvero sia fornita dei requisiti di abitabilità e idoneità igienico-sanitaria. "+
				"Il lavoratore, al momento della presentazione presso lo Sportello Unico dopo l'ingresso in Italia, consegnerà la ricevuta della richiesta del certificato di idoneità alloggiativa (rilasciato dal Comune o dalla ASL) e la documentazione dell'effettiva disponibilità dell'alloggio.",
			placeBlock("alloggio", "dell'alloggio", true),
		),
		section("11", "11. Condizione alloggiativa",
			"Se la locazione è a carico del datore di lavoro, egli ha facoltà di rivalersi delle spese sostenute per la messa a disposizione dell'alloggio trattenendo dalla retribuzione mensile una somma massima pari a un terzo del suo importo netto. Nel caso di lavoratori conviventi non si tratta di rapporto di locazione: nessuna decurtazione.",
			[]Field{
				field(TypeBool, "alloggio.locazione_datore", "In locazione a carico del datore di lavoro"),
				field(TypeBool, "alloggio.decurtazione_stipendio", "Decurtazione dello stipendio"),
				field(TypeMoney, "alloggio.decurtazione", "Importo della decurtazione (€ al mese)",
					when(func(d reader) bool { return d.Bool("alloggio.decurtazione_stipendio") }),
					requiredWhereShown("Se è prevista la decurtazione dello stipendio"),
					help("Al massimo un terzo della retribuzione mensile.")),
			},
		),
		section("12", "12. Si impegna", "",
			[]Field{
				field(TypeBool, "impegno.rimpatrio", "Il datore di lavoro si impegna, nei confronti dello Stato, al pagamento delle spese di viaggio per il rientro del lavoratore nel paese di provenienza nel caso di espulsione coattiva", required),
				field(TypeBool, "impegno.variazioni", "Il datore di lavoro si impegna a comunicare ogni variazione concernente il rapporto di lavoro", required,
					help("Il datore di lavoro deve comunicare allo Sportello Unico, entro 5 giorni dall'evento, la data d'inizio e la data di cessazione del rapporto di lavoro con il cittadino straniero, nonché il trasferimento di sede del lavoratore, pena la sanzione amministrativa prevista dall'art. 22, co. 7 del T.U.")),
			},
		),
		section("13", "13. Dichiara",
			"La capacità economica sussiste quando il richiedente possiede un reddito annuo di importo almeno doppio rispetto alla retribuzione annuale dovuta al lavoratore, aumentata dei contributi. Il reddito può risultare anche dal cumulo dei redditi dei parenti di primo grado non conviventi o, in mancanza, di altri soggetti tenuti legalmente all'assistenza, sulla base di una loro autocertificazione.",
			[]Field{
				field(TypeInteger, "dichiara.collaboratori_occupati", "Numero di collaboratori familiari occupati alla data odierna", required),
				field(TypeMoney, "reddito.imponibile", "Reddito imponibile indicato nel modello fiscale (€)", required,
					help("Indica i dati risultanti dall'ultima dichiarazione fiscale presentata.")),
				field(TypeYear, "reddito.anno", "Relativo all'anno", required),
				field(TypeMoney, "reddito.altri", "Altri redditi integrativi (€)",
					help("Per esempio i redditi dei parenti di primo grado non conviventi che concorrono, con la loro autocertificazione. Lascia vuoto se non ce ne sono.")),
				field(TypeBool, "dichiara.regolarita_contributiva", "Dichiaro di essere in regola con i versamenti contributivi ed assicurativi dovuti per il personale occupato", required),
				field(TypeBool, "dichiara.non_risolvere", "Dichiaro di non risolvere il rapporto di lavoro, se non per motivi di legge o di contratto, prima della scadenza prevista", required),
			},
		),
		{
			ID: "14", Title: "14. Riepilogo e conferma", Confirm: true, Fields: []Field{},
			Help: "Controlla il riepilogo di tutte le sezioni e conferma. La conferma non ha valore di ricevuta: per avviare l'iter di richiesta del nulla osta è necessario inviare il modulo compilato in tutte le sue parti.",
		},
	}
}

func anyAssistito(d reader) bool {
	return d.Filled("assistito.cognome") || d.Filled("assistito.nome") ||
		d.Filled("assistito.data_nascita") || d.Filled("assistito.luogo_nascita")
}
