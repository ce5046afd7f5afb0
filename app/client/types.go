package client

import (
	"bytes"
	"encoding/json"
	"time"

	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// ID is an identifier from the server. It decodes from a JSON string or number, so the client
// does not break if the server's ids change from integers to strings.
type ID string

func (id *ID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = ID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*id = ID(n.String())
	return nil
}

// User is the logged-in person (GET /me, POST /auth/login).
type User struct {
	ID               ID     `json:"id"`
	Email            string `json:"email"`
	Cognome          string `json:"cognome"`
	Nome             string `json:"nome"`
	DataNascita      string `json:"dataNascita"`
	Role             string `json:"role"`
	Provincia        string `json:"provincia,omitempty"`
	ModulesGenerated int    `json:"modulesGenerated"`
	ModuleLimit      int    `json:"moduleLimit"` // 0 = unlimited
	// Ente is the comune or patronato an operator was enabled for (operators only).
	Ente *Ente `json:"ente,omitempty"`
	// PendingOperator: a request names this user and is not decided yet. Until enabled the
	// user has a private user's limits ("non compilare né inviare domande prima
	// dell'abilitazione").
	PendingOperator bool `json:"pendingOperator"`
	// OperatorDecision is the Ministry's last decision about the user as an operator, and
	// OperatorNotice the sentence that tells it, with the reason of a rejection.
	OperatorDecision *wire.OperatorDecision `json:"operatorDecision,omitempty"`
	OperatorNotice   string                 `json:"operatorNotice,omitempty"`
}

// Module statuses on the server.
const (
	ModuleGenerated = "generato"
	ModuleSent      = "inviato"
)

// Module is a generated module: its id and the generation data the compiler locks.
type Module struct {
	ID            string      `json:"id"`
	Kind          shared.Kind `json:"kind"`
	CampaignID    string      `json:"campaignId"`
	CreatedAt     time.Time   `json:"createdAt"`
	CreatedAtRome string      `json:"createdAtRome"`
	Data          shared.Data `json:"data"`
	Status        string      `json:"status"`
	Receipt       *Receipt    `json:"receipt,omitempty"`
	// Employer is "COGNOME Nome" of the datore di lavoro, from the generation data.
	Employer string `json:"employer,omitempty"`
	// DomandaStato is the Sportello Unico's status of a sent module.
	DomandaStato *DomandaStato `json:"pratica,omitempty"`
}

// Receipt is the server's receipt of an accepted submission.
type Receipt = wire.Receipt

// Token is an import token. Token (the secret) is set only in CreateToken's answer: the server
// shows it once.
type Token struct {
	ID         ID        `json:"id"`
	Token      string    `json:"token,omitempty"`
	Label      string    `json:"label"`
	CreatedAt  time.Time `json:"createdAt"`
	ExpiresAt  time.Time `json:"expiresAt"`
	LastUsedAt time.Time `json:"lastUsedAt,omitzero"`
}

// ImportResult is everything "Importa" brings to the device.
type ImportResult struct {
	User           User              `json:"user"`
	Modules        []Module          `json:"modules"`
	Campaigns      []shared.Campaign `json:"campaigns"`
	RefdataVersion string            `json:"refdataVersion"`
}

// Submission statuses, one per submission in POST /submissions' answer.
const (
	StatusAccepted = "accepted" // stored; Receipt is set
	StatusRejected = "rejected" // permanent: Problems says why; never retry
	StatusConflict = "conflict" // sent before with different content: permanent
	StatusRetry    = "retry"    // temporary: retry later with the same SubmissionID
)

// SubmissionResult is the server's verdict on one submission.
type SubmissionResult struct {
	SubmissionID string           `json:"submissionId"`
	ModuleID     string           `json:"moduleId"`
	Status       string           `json:"status"`
	Receipt      *Receipt         `json:"receipt,omitempty"`
	Problems     []shared.Problem `json:"problems,omitempty"`
	Error        *ErrorBody       `json:"error,omitempty"`
}

// Mail is a message of the development mailbox (servers without SMTP).
type Mail struct {
	ID        ID        `json:"id"`
	To        string    `json:"to"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	Link      string    `json:"link,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
}
