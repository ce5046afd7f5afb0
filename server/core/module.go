package core

import (
	"context"
	"strings"
	"time"

	"nullaosta/shared"
)

// Module is a generated module: its readable identifier, campaign, owner and the generation
// data that stay locked while the rest is filled in.
type Module struct {
	ID            string      `json:"id"`
	Kind          shared.Kind `json:"kind"`
	CampaignID    string      `json:"campaignId"`
	UserID        int64       `json:"-"`
	CreatedAt     time.Time   `json:"createdAt"`
	CreatedAtRome string      `json:"createdAtRome"`
	Data          shared.Data `json:"data"`
	Status        string      `json:"status"` // ModuleGenerated or ModuleSent
	Receipt       *Receipt    `json:"receipt,omitempty"`
	// Employer is "COGNOME Nome" of the datore di lavoro (generation data).
	Employer string `json:"employer,omitempty"`
	// DomandaStato is the Sportello's status of a sent module.
	DomandaStato *DomandaStato `json:"pratica,omitempty"`
}

// ModuleFilter narrows a user's modules. Zero values select everything.
type ModuleFilter struct {
	Q      string // start of the employer's surname, name, or "surname name"; any case
	CF     string // the employer's codice fiscale (known once the module is sent)
	Status string // ModuleGenerated or ModuleSent
	Limit  int    // 0: no limit
	Offset int
}

// Module statuses.
const (
	ModuleGenerated = "generato"
	ModuleSent      = "inviato"
)

// ModuleService stores modules.
type ModuleService interface {
	// CreateModule assigns m an identifier and stores it, unless the user already has limit
	// modules in m's campaign (limit 0: no limit), which gives ELIMIT. Check and insert are
	// one transaction, so concurrent requests cannot pass the limit.
	CreateModule(ctx context.Context, m *Module, limit int) error
	// Module returns a module with its receipt if sent; ENOTFOUND if it does not exist.
	Module(ctx context.Context, id string) (*Module, error)
	// ModuleToSend is Module for a send: only ID, Kind, CampaignID, UserID, Data and Status
	// (never the receipt, the dates or the Sportello's status), read without the join and the
	// conversions the other fields cost on every submission. Whether the module was sent is
	// read as it is now: the store decides replays again in the write.
	ModuleToSend(ctx context.Context, id string) (*Module, error)
	// Modules lists a user's modules, newest first.
	Modules(ctx context.Context, userID int64) ([]Module, error)
	// SearchModules lists a user's modules matching f, newest first, and how many match.
	SearchModules(ctx context.Context, userID int64, f ModuleFilter) ([]Module, int, error)
}

// Module identifiers: the kind, eight Crockford base32 symbols (40 random bits) in two groups,
// and a check symbol (the value mod 37, Crockford's check alphabet), e.g. EM-7K3Q-9XHD-4.
// Every single wrong symbol and every swap of two adjacent symbols is caught (37 is a prime
// larger than the alphabet: a wrong symbol changes the value by d·32^k, a swap by (a−b)·31·32^k,
// neither a multiple of 37; and a swap of the last symbol with the check symbol is caught too).
//
// New identifiers end in a digit or a letter: the five check symbols that are not
// (*~$=U) look like typos and cannot be read over the phone, so FormatModuleID never gives a
// value whose remainder mod 37 is 32 or more. Identifiers given before keep being read with the
// same rule, so they stay valid. (Luhn mod 32 over the same alphabet was the other way to get a
// check letter, but it misses the swap of 0 and Z, and it would have made the old identifiers
// ambiguous.)
const (
	crockford    = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	checkSymbols = crockford + "*~$=U"
	idBits       = 40
)

// FormatModuleID builds the identifier of a new module of kind k from 40 bits of n. When n's
// check would be one of the five symbols (remainder 32…36), the value is moved within its run
// of 37 to the remainder (n/37) mod 32, so that the check symbols stay evenly spread.
func FormatModuleID(k shared.Kind, n uint64) string {
	const mask = 1<<idBits - 1
	n &= mask
	if n%37 >= 32 {
		q := n / 37
		n = 37*q + q%32
		if n > mask {
			n -= 37
		}
	}
	return formatModuleID(k, n)
}

// formatModuleID writes the identifier of the value n as it is: old identifiers may end in a
// symbol.
func formatModuleID(k shared.Kind, n uint64) string {
	var b strings.Builder
	b.WriteString(string(k))
	for i := 0; i < 8; i++ {
		if i%4 == 0 {
			b.WriteByte('-')
		}
		shift := uint(idBits - 5*(i+1))
		b.WriteByte(crockford[(n>>shift)&31])
	}
	b.WriteByte('-')
	b.WriteByte(checkSymbols[n%37])
	return b.String()
}

// idSeparators are what people put between the groups of an identifier; built once (building
// a Replacer per call was 9% of the bytes a submission allocated).
var idSeparators = strings.NewReplacer("-", "", " ", "", "\t", "")

// ParseModuleID reads an identifier as people type it: any case, with or without dashes and
// spaces, O for 0 and I or L for 1. It returns the canonical form, or EINVALID with a message
// that says what is wrong.
func ParseModuleID(s string) (string, error) {
	t := strings.ToUpper(s)
	t = idSeparators.Replace(t)
	var k shared.Kind
	switch {
	case strings.HasPrefix(t, "EM") && len(t) == 11:
		k, t = shared.KindEM, t[2:]
	case strings.HasPrefix(t, "A") && len(t) == 10:
		k, t = shared.KindA, t[1:]
	default:
		return "", Errorf(EINVALID, "Il codice del modulo «%s» non è nella forma giusta: deve essere come EM-7K3Q-9XHD-4 (modulo EM) o A-7K3Q-9XHD-4 (Modulo A). Copialo dalla pagina dei tuoi moduli.", s)
	}
	var n uint64
	for i := 0; i < 8; i++ {
		v := symbolValue(t[i])
		if v < 0 {
			return "", Errorf(EINVALID, "Il codice del modulo «%s» contiene un carattere non ammesso («%c»). Controlla di averlo copiato bene.", s, t[i])
		}
		n = n<<5 | uint64(v)
	}
	c := t[8]
	if c == 'O' {
		c = '0'
	}
	if c == 'I' || c == 'L' {
		c = '1'
	}
	if checkSymbols[n%37] != c {
		return "", Errorf(EINVALID, "Il codice del modulo «%s» non è valido: il carattere di controllo non corrisponde, quindi c'è un errore di battitura. Ricontrolla il codice carattere per carattere.", s)
	}
	return formatModuleID(k, n), nil
}

func symbolValue(c byte) int {
	switch c {
	case 'O':
		return 0
	case 'I', 'L':
		return 1
	}
	return strings.IndexByte(crockford, c)
}
