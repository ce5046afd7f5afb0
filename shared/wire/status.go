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
	EnablementInAttesa  = "in_attesa" // no row decided yet
	EnablementParziale  = "parziale"  // some rows decided, some still waiting
	EnablementApprovata = "approvata" // every row decided, at least one enabled
	EnablementRespinta  = "respinta"  // every row rejected
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
	DomandaRicevuta      = "ricevuta"
	DomandaInIstruttoria = "in_istruttoria"
	DomandaConvocato     = "convocato"
	DomandaAccolta       = "accolta"
	DomandaRespinta      = "respinta"
)

// DomandaStati are the statuses in the order an application goes through them.
var DomandaStati = []string{DomandaRicevuta, DomandaInIstruttoria, DomandaConvocato, DomandaAccolta, DomandaRespinta}

// domandaNext lists, for each status, the statuses the Sportello may move an application to:
// ricevuta → in_istruttoria → convocato → accolta | respinta, and in_istruttoria → respinta.
var domandaNext = map[string][]string{
	DomandaRicevuta:      {DomandaInIstruttoria},
	DomandaInIstruttoria: {DomandaConvocato, DomandaRespinta},
	DomandaConvocato:     {DomandaAccolta, DomandaRespinta},
}

// DomandaNext returns the statuses an application in status from may move to (none when
// decided).
func DomandaNext(from string) []string { return slices.Clone(domandaNext[from]) }

// DomandaCanMove reports whether the Sportello may move an application from one status to
// another.
func DomandaCanMove(from, to string) bool { return slices.Contains(domandaNext[from], to) }

// DomandaLabel is a status for people.
func DomandaLabel(s string) string {
	switch s {
	case DomandaRicevuta:
		return "Ricevuta"
	case DomandaInIstruttoria:
		return "In istruttoria"
	case DomandaConvocato:
		return "Convocato"
	case DomandaAccolta:
		return "Accolta"
	case DomandaRespinta:
		return "Respinta"
	}
	return s
}

// EnablementLabel is a request's status for people.
func EnablementLabel(s string) string {
	switch s {
	case EnablementInAttesa:
		return "In attesa"
	case EnablementParziale:
		return "Decisa in parte"
	case EnablementApprovata:
		return "Approvata"
	case EnablementRespinta:
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
