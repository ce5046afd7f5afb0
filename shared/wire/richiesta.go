package wire

// Ente is a Comune, an Unione di comuni or a patronato.
type Ente struct {
	Nome      string `json:"nome"`
	Tipo      string `json:"tipo"`      // "comune", "unione_comuni" or "patronato"
	Provincia string `json:"provincia"` // sigla, "CN"
}

// Referente is the ente's contact person for the service.
type Referente struct {
	Nome     string `json:"nome"`
	Cognome  string `json:"cognome"`
	Ruolo    string `json:"ruolo"`
	Telefono string `json:"telefono"`
	Fax      string `json:"fax"` // optional
	Email    string `json:"email"`
}
