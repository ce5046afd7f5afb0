package wire

import "slices"

// The back office's vocabulary: kinds of ente and the statuses of requests, operators and
// applications. The server enforces the transitions and the browser offers only those, so both
// read them from here.

// Kinds of ente that ask for operators to be enabled (seed 000, step 3).
const (
	EnteComune       = "comune"
	EnteUnioneComuni = "unione_comuni"
	EntePatronato    = "patronato"
)

// EnteTipi are the kinds of ente in the order the form offers them.
var EnteTipi = []string{EnteComune, EnteUnioneComuni, EntePatronato}

// EnteTipoLabel is a kind of ente for people.
func EnteTipoLabel(t string) string {
	switch t {
	case EnteComune:
		return "Comune"
	case EnteUnioneComuni:
		return "Unione di comuni"
	case EntePatronato:
		return "Patronato"
	}
	return t
}

// Statuses of an enablement request, derived from its rows.
const (
	RichiestaInAttesa  = "in_attesa" // no row decided yet
	RichiestaParziale  = "parziale"  // some rows decided, some still waiting
	RichiestaApprovata = "approvata" // every row decided, at least one enabled
	RichiestaRespinta  = "respinta"  // every row rejected
)

// Statuses of one operator of a request.
const (
	OperatoreInAttesa  = "in_attesa"
	OperatoreAbilitato = "abilitato"
	OperatoreRespinto  = "respinto"
	OperatoreRevocato  = "revocato"
)

// Statuses of an application at the Sportello Unico.
const (
	PraticaRicevuta      = "ricevuta"
	PraticaInIstruttoria = "in_istruttoria"
	PraticaConvocato     = "convocato"
	PraticaAccolta       = "accolta"
	PraticaRespinta      = "respinta"
)

// PraticaStati are the statuses in the order an application goes through them.
var PraticaStati = []string{PraticaRicevuta, PraticaInIstruttoria, PraticaConvocato, PraticaAccolta, PraticaRespinta}

// praticaNext lists, for each status, the statuses the Sportello may move an application to:
// ricevuta → in_istruttoria → convocato → accolta | respinta, and in_istruttoria → respinta.
var praticaNext = map[string][]string{
	PraticaRicevuta:      {PraticaInIstruttoria},
	PraticaInIstruttoria: {PraticaConvocato, PraticaRespinta},
	PraticaConvocato:     {PraticaAccolta, PraticaRespinta},
}

// PraticaNext returns the statuses an application in status from may move to (none when
// decided).
func PraticaNext(from string) []string { return slices.Clone(praticaNext[from]) }

// PraticaCanMove reports whether the Sportello may move an application from one status to
// another.
func PraticaCanMove(from, to string) bool { return slices.Contains(praticaNext[from], to) }

// PraticaLabel is a status for people.
func PraticaLabel(s string) string {
	switch s {
	case PraticaRicevuta:
		return "Ricevuta"
	case PraticaInIstruttoria:
		return "In istruttoria"
	case PraticaConvocato:
		return "Convocato"
	case PraticaAccolta:
		return "Accolta"
	case PraticaRespinta:
		return "Respinta"
	}
	return s
}

// RichiestaLabel is a request's status for people.
func RichiestaLabel(s string) string {
	switch s {
	case RichiestaInAttesa:
		return "In attesa"
	case RichiestaParziale:
		return "Decisa in parte"
	case RichiestaApprovata:
		return "Approvata"
	case RichiestaRespinta:
		return "Respinta"
	}
	return s
}

// OperatoreLabel is the status of one operator of a request for people.
func OperatoreLabel(s string) string {
	switch s {
	case OperatoreInAttesa:
		return "In attesa"
	case OperatoreAbilitato:
		return "Abilitato"
	case OperatoreRespinto:
		return "Respinto"
	case OperatoreRevocato:
		return "Revocato"
	}
	return s
}

// Roles of a user.
const (
	RolePrivato   = "privato"
	RoleOperatore = "operatore"
	RoleAdmin     = "admin"
	RoleSportello = "sportello"
)

// RoleLabel is a role for people; anything else reads as a private user.
func RoleLabel(r string) string {
	switch r {
	case RoleOperatore:
		return "Operatore (comune o patronato)"
	case RoleAdmin:
		return "Amministratore"
	case RoleSportello:
		return "Sportello Unico"
	}
	return "Privato"
}
