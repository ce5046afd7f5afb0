package core

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"
	_ "time/tzdata" // Europe/Rome on any machine
	"unsafe"

	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// Receipt is the signed proof that a submission was received. Signature is Ed25519, base64,
// over the canonical receipt text (server/receipt.Text), so anyone can verify it with the
// published public key.
type Receipt = wire.Receipt

// ReceivedAtLayout is the exact form of Receipt.ReceivedAt (it is part of the signed text).
const ReceivedAtLayout = "2006-01-02T15:04:05.000Z"

// Submission statuses, one per submitted module.
const (
	StatusAccepted = "accepted" // durable; the receipt is attached
	StatusRejected = "rejected" // permanent: fix the data, do not retry as is
	StatusConflict = "conflict" // permanent: the module was sent with other content
	StatusRetry    = "retry"    // temporary: retry later with the same submission id
)

// SubmissionInput is one module to store, already validated by the caller with shared/.
type SubmissionInput struct {
	SubmissionID string
	ModuleID     string
	UserID       int64
	CampaignID   string
	// Content is the canonical JSON of the data as sent: a string, as both engines bind it, so
	// that it is not copied again for every insert.
	Content     string
	SHA256      string // hex of Content
	EmployerKey string // codice fiscale of the datore
	Tipologia   string // colf | badante
	Sportello   string
	Provincia   string
	// The columns the Sportello Unico filters and the Ministry counts by.
	Kind           shared.Kind
	Cittadinanza   string // ISO code of the worker's citizenship
	EmployerName   string // "COGNOME Nome"
	WorkerName     string
	EmployerSearch string // SearchKey of the employer's surname and name
	WorkerSearch   string
	// CheckSent applies the rules across sent modules (E2, E3: shared.CheckLimits) to the
	// modules this employer already sent in the campaign, read in the same transaction that
	// stores this one, so that two concurrent submissions cannot both pass. Nil: no such rules.
	CheckSent func(sent []shared.Data) []shared.Problem
	// ReplayOnly: the caller read the module as sent and did not validate the data (a replay
	// or a conflict needs none). The store answers such an input from the submission it
	// finds, and never stores it: if the module is not sent after all (the read saw a send
	// that did not commit), the answer is NotSentAfterAll, and the next send validates.
	ReplayOnly bool
}

// NotSentAfterAll is the outcome of a ReplayOnly input whose module the store finds not sent.
func NotSentAfterAll(in *SubmissionInput) SubmissionOutcome {
	return SubmissionOutcome{Status: StatusRetry, Err: Errorf(ERETRY,
		"Il modulo %s risultava già inviato, ma quell'invio non è stato salvato: invialo di nuovo con lo stesso identificativo di invio.", in.ModuleID)}
}

// NewSubmissionInput builds what stores data, sent for module m of campaign c: the canonical
// content and its hash, and the indexed columns of sub, shared.PrepareSubmission (or
// IdentifySubmission) of data, whose content it is given or makes. The caller has
// looked at sub's problems. The input refers to neither data's map nor sub.Data's: the caller
// may reuse them once it returns.
// It is a value, not a pointer: the caller puts it in the slice it stores, and a pointer was
// one allocation more per submission.
func NewSubmissionInput(submissionID string, m *Module, c *shared.Campaign, data shared.Data, sub shared.Submission) SubmissionInput {
	content := shared.SubmissionContent(sub, data)
	sum := sha256.Sum256(content)
	// The bytes were made for this submission (by its preparation, or just now) and are never
	// written again: the string is made of them, not of a copy (a copy per submission was
	// 2–3 KB of garbage on click day).
	text := unsafe.String(unsafe.SliceData(content), len(content))
	norm := sub.Data
	in := SubmissionInput{
		SubmissionID:   submissionID,
		ModuleID:       m.ID,
		UserID:         m.UserID,
		CampaignID:     m.CampaignID,
		Content:        text,
		SHA256:         hex.EncodeToString(sum[:]),
		EmployerKey:    sub.EmployerKey,
		Tipologia:      sub.Tipologia,
		Kind:           m.Kind,
		Cittadinanza:   sub.Cittadinanza,
		Sportello:      sub.Sportello,
		Provincia:      sub.Provincia,
		EmployerName:   shared.PersonName(norm.Str("datore.cognome"), norm.Str("datore.nome")),
		WorkerName:     shared.PersonName(norm.Str("lavoratore.cognome"), norm.Str("lavoratore.nome")),
		EmployerSearch: SearchKey(norm.Str("datore.cognome") + " " + norm.Str("datore.nome")),
		WorkerSearch:   SearchKey(norm.Str("lavoratore.cognome") + " " + norm.Str("lavoratore.nome")),
	}
	// The store applies the rules across sent modules later, in its transaction: it keeps only
	// the data they read, not sub's whole normalised data, which the caller may lend again.
	keep := sub.ForCheckSent()
	in.CheckSent = func(sent []shared.Data) []shared.Problem { return keep.CheckSent(c, sent) }
	return in
}

// SubmissionOutcome is what happened to one SubmissionInput. Err is an *Error for every status
// but accepted.
type SubmissionOutcome struct {
	Status  string
	Receipt *Receipt
	Err     error
}

// Signer signs receipts.
type Signer interface {
	KeyID() string
	Sign(r *Receipt) error
}

// Presigner is a Signer that can make the costly half of a signature before the receipt it
// signs exists. Presign makes a Nonce, in any goroutine (the request's, in parallel with the
// others); SignWith signs a receipt with it in a few microseconds, where Sign takes tens, and
// spends it: a nonce signs once. The stores presign in the caller's goroutine and sign in
// the writer, which on click day is the one place where work waits in line.
type Presigner interface {
	Signer
	Presign() (Nonce, error)
	SignWith(r *Receipt, n *Nonce) error
}

// Nonce is one signature's secret made ahead by a Presigner; the zero Nonce is none (spent,
// or never made).
type Nonce [64]byte

// Presign makes n nonces with s, if it is a Presigner: the store then signs each new receipt in
// 4 µs instead of 47 (receipt.BenchmarkSign), the scalar multiplications done beforehand by the
// callers, on every core. Nil (Sign signs in full) if s is not a Presigner, or if the system's
// randomness fails; a nonce never used is simply dropped.
func Presign(s Signer, n int) []Nonce {
	ps, ok := s.(Presigner)
	if !ok {
		return nil
	}
	nonces := make([]Nonce, n)
	for i := range nonces {
		var err error
		if nonces[i], err = ps.Presign(); err != nil {
			return nil
		}
	}
	return nonces
}

// Sign signs r with s, with the nonce n if there is one left (n not nil, not spent), in full
// otherwise: a transaction run again after a spent nonce signs in full.
func Sign(s Signer, r *Receipt, n *Nonce) error {
	if ps, ok := s.(Presigner); ok && n != nil && *n != (Nonce{}) {
		return ps.SignWith(r, n)
	}
	return s.Sign(r)
}

// SubmissionService stores submissions and their receipts.
type SubmissionService interface {
	// Submit stores each input in order, in one durable commit, and answers one outcome per
	// input. It is idempotent by submission id and content hash.
	Submit(ctx context.Context, in []SubmissionInput) []SubmissionOutcome
	// Coming tells the store that n sends are on their way to Submit (n < 0: that many
	// will not come after all): a store that commits in groups may keep a small group open
	// for them. A send announced reaches Submit with a context marked by Announced, and
	// Submit withdraws it once it is queued. A hint only: it never changes what Submit
	// answers.
	Coming(n int)
	// Receipts lists a user's receipts, newest first.
	Receipts(ctx context.Context, userID int64) ([]Receipt, error)
	// Receipt returns one receipt with its owner and the content it covers.
	Receipt(ctx context.Context, protocol string) (*Receipt, int64, []byte, error)
}

// Rome is Europe/Rome, the time zone of every date shown to people.
var Rome = mustLoad("Europe/Rome")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // cannot happen: time/tzdata is embedded
	}
	return loc
}

// RomeTime formats an instant for people, in Europe/Rome: "23/11/2026 14:05:09".
func RomeTime(t time.Time) string { return t.In(Rome).Format("02/01/2006 15:04:05") }

type announcedKey struct{}

// Announced marks ctx as that of a send announced with SubmissionService.Coming(1): the Submit
// it is passed to withdraws the announcement once its work is queued.
func Announced(ctx context.Context) context.Context {
	return context.WithValue(ctx, announcedKey{}, true)
}

// IsAnnounced reports whether ctx was marked by Announced.
func IsAnnounced(ctx context.Context) bool {
	v, _ := ctx.Value(announcedKey{}).(bool)
	return v
}
