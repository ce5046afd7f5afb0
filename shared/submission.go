package shared

import (
	"strings"
	"time"
)

// Submission is an application as it is about to be sent or stored: its data normalised, the
// problems of the whole module, and what the server indexes it by. The browser builds it
// before it queues a send and the server before it stores one, with the same call, so both
// decide alike.
type Submission struct {
	Kind     Kind
	Data     Data // Normalize(Kind, the data as typed)
	Problems []Problem
	// EmployerKey is the employer's codice fiscale (rule E3); WorkerKeys the worker's
	// identities (rule E2).
	EmployerKey string
	WorkerKeys  []string
	// The columns the Sportello Unico filters by and the Ministry counts by.
	Tipologia    string // colf | badante
	Cittadinanza string // ISO code of the worker's citizenship
	Provincia    string // sigla of the competent Sportello Unico's province (A5); "" if unknown
	Sportello    string // its name
	// content is what Content returns, when the preparation made it.
	content []byte
}

// PrepareSubmission validates d as a whole module of kind k in campaign c on day today and
// returns it normalised with its problems and identity keys.
func PrepareSubmission(k Kind, c *Campaign, d Data, today time.Time) Submission {
	return PrepareSubmissionInto(k, c, d, today, make(Data, len(d)))
}

// PrepareSubmissionInto is PrepareSubmission with the normalised data written into norm, an
// empty map the caller lends: the server takes it back once the submission is prepared.
func PrepareSubmissionInto(k Kind, c *Campaign, d Data, today time.Time, norm Data) Submission {
	sub := identify(k, NormalizeInto(k, d, norm))
	sub.Problems = Validate(k, c, d, today)
	return sub
}

// PrepareSubmissionContent is PrepareSubmissionInto for a submission to store, as the server
// prepares one on click day: one run validates, normalises and writes the content (what a
// receipt's hash is computed over, SubmissionContent), and each value is parsed once for all
// three, not once to normalise and once to validate. It gives what PrepareSubmissionInto gives
// (TestPrepareSubmissionTwins, FuzzPrepareSubmission); the browser, which sends a module once
// and needs no content, keeps the plain one.
func PrepareSubmissionContent(k Kind, c *Campaign, d Data, today time.Time, norm Data) Submission {
	if SchemaOf(k) == nil {
		return PrepareSubmissionInto(k, c, d, today, norm)
	}
	var content []byte
	ps := runThen(k, c, d, today, false, func(ch *checker) {
		ch.normalizeInto(norm)
		content = ch.content()
	})
	sub := identify(k, norm)
	sub.Problems, sub.content = ps, content
	return sub
}

// PrepareSubmissionInPlace is PrepareSubmissionContent with d itself normalised, in place,
// and returned as the submission's Data: the caller gives d up as typed. The server reads an
// application into a map of its own for this call alone, and most values arrive already in
// their normal form: only the others are written again and the blank ones deleted, where
// filling a second map wrote all sixty (TestPrepareSubmissionTwins, FuzzPrepareSubmission).
// For a kind without a schema, Data is a new map and d is left as it is.
func PrepareSubmissionInPlace(k Kind, c *Campaign, d Data, today time.Time) Submission {
	if SchemaOf(k) == nil {
		return PrepareSubmissionInto(k, c, d, today, make(Data, len(d)))
	}
	var content []byte
	ps := runThen(k, c, d, today, false, func(ch *checker) {
		ch.normalizeFields()
		// The content is written before d changes: it reads the values no field has as typed.
		content = ch.content()
		ch.normalizeData()
	})
	sub := identify(k, d)
	sub.Problems, sub.content = ps, content
	return sub
}

// IdentifySubmission is PrepareSubmission without validating: for a module already sent,
// whose receipt stands whatever the rules say now.
func IdentifySubmission(k Kind, d Data) Submission { return identify(k, Normalize(k, d)) }

// identify is the Submission of the normalised data norm.
func identify(k Kind, norm Data) Submission {
	sub := Submission{
		Kind:         k,
		Data:         norm,
		EmployerKey:  EmployerKey(norm),
		WorkerKeys:   WorkerKeys(norm),
		Tipologia:    strings.ToLower(norm.Str("rapporto.tipologia")),
		Cittadinanza: strings.ToUpper(norm.Str("lavoratore.cittadinanza")),
	}
	if p, ok := SportelloOf(norm); ok {
		sub.Provincia, sub.Sportello = p.Sigla, p.Sportello
	}
	return sub
}

// SubmissionContent returns the bytes a receipt's hash is computed over, CanonicalJSONOf(s.Kind,
// d, s.Data), where d is the data s was made from. PrepareSubmissionContent writes them in its
// run over the data; for the others they are written now. They are new bytes, the caller's.
// It is a function, not a method of Submission: the browser's code reflects on methods, which
// would keep this one, and the whole canonical encoding with it, in app.wasm.
func SubmissionContent(s Submission, d Data) []byte {
	if s.content != nil {
		return s.content
	}
	return CanonicalJSONOf(s.Kind, d, s.Data)
}

// OK reports whether the module has no error (warnings may remain).
func (s Submission) OK() bool { return !HasErrors(s.Problems) }

// CheckSent applies the rules across modules already sent (E2, E3) to this one.
func (s Submission) CheckSent(c *Campaign, sent []Data) []Problem {
	return CheckLimits(s.Kind, c, sent, s.Data)
}

// ForCheckSent is s with only the data CheckSent reads (LimitData): what a submission keeps
// until its store applies the rules across sent modules, instead of the whole application.
func (s Submission) ForCheckSent() Submission {
	s.Data, s.content = LimitData(s.Data), nil
	return s
}
