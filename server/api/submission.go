package api

import (
	"fmt"
	"net/http"
	"strings"

	"nullaosta/server/core"
	"nullaosta/shared"
)

// maxSubmissions bounds one POST /submissions.
const maxSubmissions = shared.MaxBatchItems

type submissionItem struct {
	SubmissionID string      `json:"submissionId"`
	ModuleID     string      `json:"moduleId"`
	Data         shared.Data `json:"data"`
}

type submitRequest struct {
	Submissions []submissionItem `json:"submissions"`
}

type submissionResult struct {
	SubmissionID string           `json:"submissionId"`
	ModuleID     string           `json:"moduleId"`
	Status       string           `json:"status"`
	Receipt      *core.Receipt    `json:"receipt,omitempty"`
	Problems     []shared.Problem `json:"problems,omitempty"`
	Error        *errorJSON       `json:"error,omitempty"`
}

type submitResponse struct {
	Results []submissionResult `json:"results"`
}

// validSubmissionID: a UUID or any similar client identifier, safe in the signed text:
// ^[A-Za-z0-9][A-Za-z0-9._:-]{7,99}$, checked byte by byte (a regexp cost a microsecond per
// submission; TestValidSubmissionID compares the two).
func validSubmissionID(id string) bool {
	if len(id) < 8 || len(id) > 100 {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == ':' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// submit receives one module or all the completed ones. Each gets its own result; the answer
// is 200 whenever the request itself is well formed.
func (s *Server) submit(w http.ResponseWriter, r *http.Request) {
	// The account's limit is read before the body: a sender over it costs one index read.
	// The modules are counted by the write that stores them (Store.Submit), so the limit
	// adds no transaction to a submission.
	u := userOf(r)
	if !s.limits.off {
		left, err := s.Store.Left(r.Context(), core.SubmitKey(u.ID), core.SubmitLimit)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if left <= 0 {
			s.setRetryAfter(w, core.SubmitLimit)
			s.writeError(w, r, core.Errorf(core.ERATELIMITED, "Hai inviato più di %d moduli negli ultimi %d minuti: aspetta qualche minuto e riprova (i moduli restano in coda e partono da soli).",
				core.SubmitLimit.Max, int(core.SubmitLimit.Window.Minutes())))
			return
		}
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		s.writeError(w, r, core.Errorf(core.EINVALID, "Il corpo della richiesta deve essere JSON (Content-Type: application/json), non %s.", clip(ct)))
		return
	}
	// The body is read before taking a turn at the CPU: a slow client never holds one.
	body, err := readBody(w, r, batchBody)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// From here the send reaches the store within its decoding and validation: the store's
	// writer may keep a small batch open for it instead of committing without it.
	s.Store.Coming(1)
	announced := true
	withdraw := func() {
		if announced {
			announced = false
			s.Store.Coming(-1)
		}
	}
	// On every way out, a panic included (the Recoverer answers it and the server goes on):
	// an announcement never withdrawn would keep the writer waiting for it at every commit.
	defer withdraw()
	inputs, slots, results, ok, err := s.prepareInTurn(r, body)
	if !ok {
		return
	}
	// A send refused whole goes no further, and one with refusals writes their count first
	// (Hit, below), a write that must not wait for the send itself: withdrawn at once.
	ctx := r.Context()
	if err != nil || len(inputs) == 0 || (len(inputs) < len(results) && !s.limits.off) {
		withdraw()
	} else {
		// Submit withdraws the announcement once its job is queued.
		ctx, announced = core.Announced(ctx), false
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// A send before the window opens is no refusal: the queue sends it again at the opening.
	refused := len(results) - len(inputs)
	for _, res := range results {
		if res.Error != nil && res.Error.Code == core.ENOTOPEN {
			refused--
		}
	}
	if refused > 0 && !s.limits.off {
		// Refused before the store: no write counts them, so this one does (only requests
		// with refusals pay it; a clean send is counted by Submit's own transaction).
		if _, err := s.Store.Hit(r.Context(), core.SubmitKey(u.ID), core.SubmitLimit, refused); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	if len(inputs) > 0 {
		for j, o := range s.Store.Submit(ctx, inputs) {
			res := &results[slots[j]]
			res.Status, res.Receipt = o.Status, o.Receipt
			if o.Err != nil {
				res.Problems = core.ErrorProblems(o.Err)
				res.Error = &errorJSON{Code: core.ErrorCode(o.Err), Message: core.ErrorMessage(o.Err)}
			}
		}
	}
	writeSubmitResponse(w, results)
}

// prepareAll decodes a batch and prepares each item: the inputs to store, which result each
// answers (inputs[i] answers results[slots[i]]), and the results of the items refused here.
// prepareInTurn is prepareAll in a turn at the CPU (takeCPU), given back however prepareAll
// ends, a panic included: a turn never given back would be one of the few lost for good. ok
// is false if the client went away before its turn.
func (s *Server) prepareInTurn(r *http.Request, body []byte) (inputs []core.SubmissionInput, slots []int, results []submissionResult, ok bool, err error) {
	if !s.takeCPU(r) {
		return nil, nil, nil, false, nil
	}
	defer s.releaseCPU()
	inputs, slots, results, err = s.prepareAll(r, body)
	return inputs, slots, results, true, err
}

func (s *Server) prepareAll(r *http.Request, body []byte) (inputs []core.SubmissionInput, slots []int, results []submissionResult, err error) {
	var req submitRequest
	if err := decodeSubmitRequest(body, &req); err != nil {
		return nil, nil, nil, err
	}
	switch n := len(req.Submissions); {
	case n == 0:
		return nil, nil, nil, core.Errorf(core.EINVALID, "Nessun modulo da inviare: «submissions» è vuoto.")
	case n > maxSubmissions:
		return nil, nil, nil, core.Errorf(core.ETOOLARGE, "Troppi moduli in un solo invio (%d): al massimo %d per volta.", n, maxSubmissions)
	}
	// Every item is prepared before this returns: nothing reads their data, as sent or
	// normalised, afterwards (what is kept is in strings and maps of its own).
	defer func() {
		for i := range req.Submissions {
			dataMaps.put(req.Submissions[i].Data)
		}
	}()
	results = make([]submissionResult, len(req.Submissions))
	for i := range req.Submissions {
		it := &req.Submissions[i]
		res := &results[i]
		res.SubmissionID, res.ModuleID = it.SubmissionID, it.ModuleID
		in, warnings, err := s.prepare(r, it)
		res.Problems = warnings
		if err != nil {
			if core.ErrorCode(err) == core.EINTERNAL {
				s.Logger.Error("invio", "module", it.ModuleID, "err", err)
			}
			res.Status, res.Problems = statusOf(err), core.ErrorProblems(err)
			res.Error = &errorJSON{Code: core.ErrorCode(err), Message: core.ErrorMessage(err)}
			if at := core.ErrorOpensAt(err); !at.IsZero() {
				res.Error.OpensAt = at.UTC().Format(core.ReceivedAtLayout)
			}
			continue
		}
		res.ModuleID = in.ModuleID
		inputs = append(inputs, in)
		slots = append(slots, i)
	}
	return inputs, slots, results, nil
}

// statusOf says whether a refusal is permanent.
func statusOf(err error) string {
	switch core.ErrorCode(err) {
	case core.ECONFLICT:
		return core.StatusConflict
	case core.ERETRY, core.EINTERNAL, core.ENOTOPEN:
		return core.StatusRetry
	}
	return core.StatusRejected
}

// prepare checks one item with everything that needs no lock: its identifiers, ownership, the
// send window (E1), the locked fields and shared.Validate. It returns the input to store and
// the warnings to pass on, or the refusal. The rules across modules (E2, E3) and idempotency
// are decided by the store, in the transaction that stores the input.
func (s *Server) prepare(r *http.Request, it *submissionItem) (core.SubmissionInput, []shared.Problem, error) {
	if !validSubmissionID(it.SubmissionID) {
		return core.SubmissionInput{}, nil, core.Errorf(core.EINVALID, "L'identificativo di invio «%s» non è valido: servono da 8 a 100 lettere, cifre o - _ . : (per esempio un UUID).", clip(it.SubmissionID))
	}
	id, err := core.ParseModuleID(it.ModuleID)
	if err != nil {
		return core.SubmissionInput{}, nil, err
	}
	m, err := s.ownModule(r, id, s.Store.ModuleToSend)
	if err != nil {
		return core.SubmissionInput{}, nil, err
	}
	if it.Data == nil {
		it.Data = shared.Data{}
	}
	c, ok := s.campaigns[m.CampaignID]
	if !ok {
		return core.SubmissionInput{}, nil, core.Errorf(core.ECLOSED, "La procedura del modulo %s (%s) non è attiva su questo server: non può essere inviato.", id, m.CampaignID)
	}
	// A module already sent: the store answers replays and conflicts, without validating
	// again (the rules may have moved on; the receipt stands).
	if m.Status != core.ModuleSent {
		now := s.now()
		if at := c.OpensAt(); !at.IsZero() && now.Before(at) {
			rome := shared.InRome(at)
			return core.SubmissionInput{}, nil, &core.Error{Code: core.ENOTOPEN, OpensAt: at, Message: fmt.Sprintf(
				"L'invio per «%s» apre il %s alle %s (ora italiana): non è ancora possibile inviare. Il modulo resta in coda e parte da solo all'apertura.",
				c.Title, rome.Format("02/01/2006"), rome.Format("15:04:05"))}
		}
		if !c.SendOpen(now) {
			return core.SubmissionInput{}, nil, core.Errorf(core.ECLOSED, "L'invio per «%s» è aperto dal %s al %s: oggi non si può inviare. Il modulo resta salvato: invialo quando l'invio è aperto.",
				c.Title, shared.ItalianDate(c.SendFrom), shared.ItalianDate(c.SendTo))
		}
		// it.Data is normalised in place: nothing reads it as typed afterwards.
		sub := shared.PrepareSubmissionInPlace(m.Kind, c, it.Data, now)
		if ps := lockedProblems(m, sub.Data); len(ps) > 0 {
			return core.SubmissionInput{}, nil, &core.Error{Code: core.ELOCKED, Message: "Alcuni dati della generazione del modulo sono stati cambiati: " + ps[0].Message, Problems: ps}
		}
		if !sub.OK() {
			return core.SubmissionInput{}, nil, &core.Error{Code: core.EINVALID, Message: "Il modulo contiene errori: " + firstError(sub.Problems), Problems: sub.Problems}
		}
		return core.NewSubmissionInput(it.SubmissionID, m, c, it.Data, sub), sub.Problems, nil
	}
	in := core.NewSubmissionInput(it.SubmissionID, m, c, it.Data, shared.IdentifySubmission(m.Kind, it.Data))
	in.ReplayOnly = true
	return in, nil, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
