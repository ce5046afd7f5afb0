package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"nullaosta/server/core"
	"nullaosta/shared"
)

var _ core.SubmissionService = (*DB)(nil)

const receiptColumns = `s.protocol, s.campaign_id, s.module_id, s.submission_id, s.received_at,
	s.sportello, s.provincia, s.sha256, s.signature, s.key_id`

type nullableReceipt [10]sql.NullString

func (r *nullableReceipt) dest() []any {
	d := make([]any, len(r))
	for i := range r {
		d[i] = &r[i]
	}
	return d
}

func (r *nullableReceipt) receipt() *core.Receipt {
	if !r[0].Valid {
		return nil
	}
	rc := &core.Receipt{
		Protocol: r[0].String, CampaignID: r[1].String, ModuleID: r[2].String, SubmissionID: r[3].String,
		ReceivedAt: r[4].String, Sportello: r[5].String, Provincia: r[6].String, SHA256: r[7].String,
		Signature: r[8].String, KeyID: r[9].String,
	}
	rc.ReceivedAtRome = core.RomeTime(parseTime(rc.ReceivedAt))
	return rc
}

// ProtocolPrefix is the campaign part of a protocol number: the campaign id in upper case
// without punctuation (em2009 → EM2009, demo-em → DEMOEM).
func ProtocolPrefix(campaignID string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(campaignID) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Submit implements core.SubmissionService. All inputs go into one job, hence one commit;
// the writer stores them together with the submissions of the other requests of its batch
// (submitRun). A refused input leaves no trace; a storage error undoes the whole batch and
// every input of it gets retry. The counters a submission moves (protocol numbers,
// domande_counts, the sender's limit) are summed over the batch and written once before the
// commit (batchSums).
//
// The costly half of each receipt's signature is made here, in the caller's goroutine, before
// the job joins the writer's queue (core.Presign).
func (db *DB) Submit(ctx context.Context, in []core.SubmissionInput) []core.SubmissionOutcome {
	// Until its job is queued a send is on its way to the writer (gather): announced by the
	// API since its body was read, or from here (presigning takes a few tens of µs).
	if !core.IsAnnounced(ctx) {
		db.coming.Add(1)
	}
	sj := &submitJob{in: in, out: make([]core.SubmissionOutcome, len(in)), nonces: core.Presign(db.Signer, len(in))}
	db.coming.Add(-1)
	err := db.write1(ctx, &job{sub: sj, done: make(chan error, 1), queued: time.Now(), whole: true})
	if err != nil {
		if core.ErrorCode(err) != core.ERETRY {
			db.Logger.Error("invio", "err", err)
			err = core.Errorf(core.ERETRY, "Il server non ha potuto salvare l'invio: riprova fra qualche secondo con lo stesso identificativo di invio.")
		}
		for i := range sj.out {
			sj.out[i] = core.SubmissionOutcome{Status: core.StatusRetry, Err: err}
		}
	}
	return sj.out
}

func rejected(err error) core.SubmissionOutcome {
	return core.SubmissionOutcome{Status: core.StatusRejected, Err: err}
}

func conflict(format string, args ...any) core.SubmissionOutcome {
	return core.SubmissionOutcome{Status: core.StatusConflict, Err: core.Errorf(core.ECONFLICT, format, args...)}
}

// probeQuery is submitOne's first read; (SELECT ?2): see moduleQuery.
const probeQuery = `SELECT m.user_id, m.campaign_id,
		EXISTS (SELECT 1 FROM submissions WHERE submission_id = ?1),
		EXISTS (SELECT 1 FROM submissions WHERE module_id = ?2),
		EXISTS (SELECT 1 FROM submissions WHERE campaign_id = ?3 AND employer_key = ?4)
		FROM (SELECT 1) LEFT JOIN modules m ON m.id = (SELECT ?2)`

// submitOne decides and stores one input. Every check comes before the first write, so a
// refusal changes nothing. A returned error is a storage failure; every decision about the
// input is in the outcome.
func (db *DB) submitOne(tx *sql.Tx, in *core.SubmissionInput, nonce *core.Nonce, now time.Time) (core.SubmissionOutcome, error) {
	// The usual case, a module of its owner sent for the first time with a new id, in one
	// statement; anything else takes the way below, which says what it is.
	// It also says whether the employer sent anything in the campaign: usually not, and then
	// E2 and E3 need no read of their own.
	var probeOwner sql.NullInt64
	var probeCampaign sql.NullString
	var idUsed, moduleSent, employerSent bool
	if err := tx.QueryRow(probeQuery, in.SubmissionID, in.ModuleID, in.CampaignID, in.EmployerKey).
		Scan(&probeOwner, &probeCampaign, &idUsed, &moduleSent, &employerSent); err != nil {
		return core.SubmissionOutcome{}, err
	}
	if !in.ReplayOnly && !idUsed && !moduleSent && probeOwner.Valid && probeOwner.Int64 == in.UserID && probeCampaign.String == in.CampaignID {
		return db.storeNew(tx, in, nonce, now, employerSent)
	}

	// The same submission id again: the same receipt if it is the same thing, else a conflict.
	prev, owner, err := submissionWhere(tx, `s.submission_id = ?`, in.SubmissionID)
	if err != nil {
		return core.SubmissionOutcome{}, err
	}
	if prev != nil {
		if owner == in.UserID && prev.ModuleID == in.ModuleID && prev.SHA256 == in.SHA256 {
			return core.SubmissionOutcome{Status: core.StatusAccepted, Receipt: prev}, nil
		}
		return conflict("L'identificativo di invio %s è già stato usato per un altro invio. Non riutilizzarlo: il programma ne crea uno nuovo per ogni invio.", in.SubmissionID), nil
	}

	var modOwner int64
	var modCampaign string
	err = tx.QueryRow(`SELECT user_id, campaign_id FROM modules WHERE id = ?`, in.ModuleID).Scan(&modOwner, &modCampaign)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && modOwner != in.UserID) {
		return rejected(core.Errorf(core.ENOTFOUND, "Il modulo %s non esiste o non è tuo: controlla il codice, oppure importa di nuovo i tuoi moduli.", in.ModuleID)), nil
	}
	if err != nil {
		return core.SubmissionOutcome{}, err
	}
	if modCampaign != in.CampaignID {
		return rejected(core.Errorf(core.EINVALID, "Il modulo %s appartiene a un'altra procedura (%s): non può essere inviato in questa.", in.ModuleID, modCampaign)), nil
	}

	// The module already sent, under another submission id.
	prev, _, err = submissionWhere(tx, `s.module_id = ?`, in.ModuleID)
	if err != nil {
		return core.SubmissionOutcome{}, err
	}
	if prev != nil {
		if prev.SHA256 == in.SHA256 {
			return core.SubmissionOutcome{Status: core.StatusAccepted, Receipt: prev}, nil
		}
		return conflict("Il modulo %s è già stato inviato il %s (protocollo %s) con dati diversi: un modulo si invia una volta sola. Conserva la ricevuta già rilasciata; per correggere i dati rivolgiti allo Sportello Unico.",
			in.ModuleID, prev.ReceivedAtRome, prev.Protocol), nil
	}
	if in.ReplayOnly {
		return core.NotSentAfterAll(in), nil
	}

	return db.storeNew(tx, in, nonce, now, true)
}

// storeNew applies the rules across modules (E2, E3) to a module not sent yet and, if they
// pass, stores it with its protocol number and signed receipt. employerSent false says the
// employer sent nothing yet in the campaign (the rules then judge an empty history). nonce,
// if not nil, is in's presigned nonce (see core.Presign).
func (db *DB) storeNew(tx *sql.Tx, in *core.SubmissionInput, nonce *core.Nonce, now time.Time, employerSent bool) (core.SubmissionOutcome, error) {
	if in.CheckSent != nil && in.EmployerKey != "" {
		var sent []shared.Data
		if employerSent {
			var err error
			if sent, err = sentBy(tx, in.CampaignID, in.EmployerKey); err != nil {
				return core.SubmissionOutcome{}, err
			}
		}
		if ps := in.CheckSent(sent); shared.HasErrors(ps) {
			return rejected(&core.Error{Code: core.EINVALID, Message: firstError(ps), Problems: ps}), nil
		}
	}

	seq, err := db.sums.nextProtocol(tx, in.CampaignID)
	if err != nil {
		return core.SubmissionOutcome{}, err
	}
	r := &core.Receipt{
		Protocol:       fmt.Sprintf("%s-%07d", ProtocolPrefix(in.CampaignID), seq),
		CampaignID:     in.CampaignID,
		ModuleID:       in.ModuleID,
		SubmissionID:   in.SubmissionID,
		ReceivedAt:     fmtTime(now),
		ReceivedAtRome: core.RomeTime(now),
		Sportello:      in.Sportello,
		Provincia:      in.Provincia,
		SHA256:         in.SHA256,
	}
	if db.Signer == nil {
		return core.SubmissionOutcome{}, errors.New("sqlite: no receipt signer")
	}
	// Signed and inserted with the other submissions of the run, before the commit
	// (flushPending); the outcome reaches the caller only after the commit.
	db.run.add(in, r, nonce)
	db.sums.addDomanda(domandaKey{in.Provincia, romeDay(now), string(in.Kind), in.Tipologia, in.Cittadinanza, core.DomandaRicevuta}, 1)
	return core.SubmissionOutcome{Status: core.StatusAccepted, Receipt: r}, nil
}

// sentBy returns the content of every module the employer already sent in the campaign.
func sentBy(tx *sql.Tx, campaignID, employerKey string) ([]shared.Data, error) {
	rows, err := tx.Query(`SELECT content FROM submissions WHERE campaign_id = ? AND employer_key = ?`, campaignID, employerKey)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var sent []shared.Data
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		d, err := shared.ParseData([]byte(c))
		if err != nil {
			return nil, fmt.Errorf("contenuto salvato illeggibile: %w", err)
		}
		sent = append(sent, d)
	}
	return sent, rows.Err()
}

// firstError is the message of the first blocking problem.
func firstError(ps []shared.Problem) string {
	for _, p := range ps {
		if p.Severity == shared.SeverityError {
			return p.Message
		}
	}
	return "Il modulo non può essere inviato."
}

// submissionWhere returns the receipt and owner of the submission matching cond, or nil.
func submissionWhere(tx *sql.Tx, cond string, arg any) (*core.Receipt, int64, error) {
	var r nullableReceipt
	var owner int64
	err := tx.QueryRow(`SELECT s.user_id, `+receiptColumns+` FROM submissions s WHERE `+cond, arg).Scan(append([]any{&owner}, r.dest()...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	return r.receipt(), owner, nil
}

// Receipts implements core.SubmissionService.
func (db *DB) Receipts(ctx context.Context, userID int64) ([]core.Receipt, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+receiptColumns+` FROM submissions s WHERE s.user_id = ?
		ORDER BY s.received_at DESC, s.protocol DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	rs := []core.Receipt{}
	for rows.Next() {
		var r nullableReceipt
		if err := rows.Scan(r.dest()...); err != nil {
			return nil, err
		}
		rs = append(rs, *r.receipt())
	}
	return rs, rows.Err()
}

// Receipt implements core.SubmissionService.
func (db *DB) Receipt(ctx context.Context, protocol string) (*core.Receipt, int64, []byte, error) {
	var r nullableReceipt
	var owner int64
	var content string
	err := db.read.QueryRowContext(ctx, `SELECT s.user_id, s.content, `+receiptColumns+` FROM submissions s WHERE s.protocol = ?`,
		protocol).Scan(append([]any{&owner, &content}, r.dest()...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil, core.Errorf(core.ENOTFOUND, "Nessuna ricevuta con protocollo %s fra le tue.", protocol)
	}
	if err != nil {
		return nil, 0, nil, err
	}
	return r.receipt(), owner, []byte(content), nil
}
