package wire

import (
	"time"

	"nullaosta/shared"
)

// DomandaStato is the Sportello Unico's status of a sent module, as its owner sees it.
type DomandaStato struct {
	Stato         string    `json:"stato"`
	Nota          string    `json:"nota,omitempty"`
	UpdatedAt     time.Time `json:"updatedAt"`
	UpdatedAtRome string    `json:"updatedAtRome"`
}

// DomandaItem is one application in the Sportello's list.
type DomandaItem struct {
	Protocol       string      `json:"protocol"`
	ModuleID       string      `json:"moduleId"`
	Kind           shared.Kind `json:"kind"`
	ReceivedAt     string      `json:"receivedAt"`
	ReceivedAtRome string      `json:"receivedAtRome"`
	Employer       string      `json:"employer"`
	Worker         string      `json:"worker"`
	Cittadinanza   string      `json:"cittadinanza"`
	Tipologia      string      `json:"tipologia"`
	Provincia      string      `json:"provincia"`
	Stato          string      `json:"stato"`
}

// DomandePage is one page of the list and how many match in all. Next, when more follow, is
// the cursor of the next page (the after parameter): a seek, as fast on the last page as on
// the first.
type DomandePage struct {
	Total int           `json:"total"`
	Items []DomandaItem `json:"items"`
	Next  string        `json:"next,omitempty"`
}

// Domanda is one application in full, as the API sends it: its receipt, the data received,
// its history, and the data laid out like the printed module (shared.Layout: the sections
// with a field applying; the app can call it on Data and get the same).
type Domanda struct {
	Receipt  Receipt              `json:"receipt"`
	Kind     shared.Kind          `json:"kind"`
	Data     shared.Data          `json:"data"`
	Employer string               `json:"employer"`
	Worker   string               `json:"worker"`
	Stato    string               `json:"stato"`
	History  []StatoEvent         `json:"history"`
	Sections []shared.LaidSection `json:"sections"`
}

// StatoEvent is one step of an application's history at the Sportello; the first is its
// receipt.
type StatoEvent struct {
	Stato  string    `json:"stato"`
	Nota   string    `json:"nota,omitempty"`
	By     string    `json:"by,omitempty"` // e-mail of the Sportello user; "" for the receipt
	At     time.Time `json:"at"`
	AtRome string    `json:"atRome"`
}
