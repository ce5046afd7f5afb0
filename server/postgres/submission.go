package postgres

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"

	"nullaosta/server/core"
	"nullaosta/shared"
)

var _ core.SubmissionService = (*DB)(nil)

const receiptColumns = `s.protocol, s.campaign_id, s.module_id, s.submission_id, s.received_at,
	s.sportello, s.provincia, s.sha256, s.signature, s.key_id`

// nullableReceipt scans receiptColumns, NULL when a module has no submission.
type nullableReceipt struct {
	s          [9]*string
	receivedAt *time.Time
}

func (r *nullableReceipt) dest() []any {
	return []any{&r.s[0], &r.s[1], &r.s[2], &r.s[3], &r.receivedAt, &r.s[4], &r.s[5], &r.s[6], &r.s[7], &r.s[8]}
}

func (r *nullableReceipt) receipt() *core.Receipt {
	if r.s[0] == nil {
		return nil
	}
	at := r.receivedAt.UTC()
	return &core.Receipt{
		Protocol: *r.s[0], CampaignID: *r.s[1], ModuleID: *r.s[2], SubmissionID: *r.s[3],
		ReceivedAt: fmtTime(at), ReceivedAtRome: core.RomeTime(at), Sportello: *r.s[4], Provincia: *r.s[5],
		SHA256: *r.s[6], Signature: *r.s[7], KeyID: *r.s[8],
	}
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

// Coming implements core.SubmissionService: every Submit commits on its own here, so there is
// no group to keep open.
func (db *DB) Coming(n int) {}

// Submit implements core.SubmissionService: all the inputs in one transaction, hence one
// commit. It first locks the protocol counter of every campaign involved, in a fixed order (no
// deadlock between two instances), and holds them to the commit: from there on it sees every
// submission any instance committed to those campaigns and no other can commit one, so the
// checks by submission id, by module and by employer (E2/E3) and the numbers it assigns are
// those of one total order. submitOne decides before it writes, so a refused input leaves no
// trace; a storage error undoes everything and every input gets retry.
func (db *DB) Submit(ctx context.Context, in []core.SubmissionInput) []core.SubmissionOutcome {
	out := make([]core.SubmissionOutcome, len(in))
	if db.Signer == nil {
		err := core.Errorf(core.ERETRY, "Il server non ha una chiave di firma delle ricevute: riprova più tardi.")
		for i := range out {
			out[i] = core.SubmissionOutcome{Status: core.StatusRetry, Err: err}
		}
		return out
	}
	// The costly half of each signature, made before the counters are locked: the lock is
	// held from here to the commit, by every submission of the campaign on every instance.
	nonces := core.Presign(db.Signer, len(in))
	err := db.tx(ctx, func(tx pgx.Tx) error {
		now := db.now()
		counters, err := lockCounters(ctx, tx, in)
		if err != nil {
			return err
		}
		for i := range in {
			var nonce *core.Nonce
			if i < len(nonces) {
				nonce = &nonces[i]
			}
			o, err := db.submitOne(ctx, tx, &in[i], nonce, now, counters)
			if err != nil {
				return err
			}
			out[i] = o
		}
		for c, n := range counters {
			if n.next != n.locked {
				if _, err := tx.Exec(ctx, `UPDATE protocol_counters SET last = $1 WHERE campaign_id = $2`, n.next, c); err != nil {
					return err
				}
			}
		}
		return countSubmitted(ctx, tx, in, now)
	})
	if err != nil {
		if core.ErrorCode(err) != core.ERETRY {
			db.Logger.Error("invio", "err", err)
			err = core.Errorf(core.ERETRY, "Il server non ha potuto salvare l'invio: riprova fra qualche secondo con lo stesso identificativo di invio.")
		}
		for i := range out {
			out[i] = core.SubmissionOutcome{Status: core.StatusRetry, Err: err}
		}
	}
	return out
}

// counter is a campaign's protocol counter as locked (the last number stored) and as this
// transaction advanced it.
type counter struct{ locked, next int64 }

// lockCounters locks, in campaign order, the counter rows of the campaigns of in, creating
// the missing ones.
func lockCounters(ctx context.Context, tx pgx.Tx, in []core.SubmissionInput) (map[string]*counter, error) {
	var ids []string
	seen := map[string]bool{}
	for _, s := range in {
		if !seen[s.CampaignID] {
			seen[s.CampaignID] = true
			ids = append(ids, s.CampaignID)
		}
	}
	sort.Strings(ids)
	counters := map[string]*counter{}
	for _, id := range ids {
		var last int64
		err := tx.QueryRow(ctx, `SELECT last FROM protocol_counters WHERE campaign_id = $1 FOR UPDATE`, id).Scan(&last)
		if errors.Is(err, pgx.ErrNoRows) {
			// The campaign's first submission: create the row (two instances doing it at once:
			// one inserts, the other waits and inserts nothing), then lock it.
			if _, err := tx.Exec(ctx, `INSERT INTO protocol_counters (campaign_id, last) VALUES ($1, 0) ON CONFLICT DO NOTHING`, id); err != nil {
				return nil, err
			}
			err = tx.QueryRow(ctx, `SELECT last FROM protocol_counters WHERE campaign_id = $1 FOR UPDATE`, id).Scan(&last)
		}
		if err != nil {
			return nil, err
		}
		counters[id] = &counter{locked: last, next: last}
	}
	return counters, nil
}

func rejected(err error) core.SubmissionOutcome {
	return core.SubmissionOutcome{Status: core.StatusRejected, Err: err}
}

func conflict(format string, args ...any) core.SubmissionOutcome {
	return core.SubmissionOutcome{Status: core.StatusConflict, Err: core.Errorf(core.ECONFLICT, format, args...)}
}

// submitOne decides and stores one input. Every check comes before the first write, so a
// refusal changes nothing. A returned error is a storage failure; every decision about the
// input is in the outcome.
func (db *DB) submitOne(ctx context.Context, tx pgx.Tx, in *core.SubmissionInput, nonce *core.Nonce, now time.Time, counters map[string]*counter) (core.SubmissionOutcome, error) {
	// The same submission id again: the same receipt if it is the same thing, else a conflict.
	prev, owner, err := submissionWhere(ctx, tx, `s.submission_id = $1`, in.SubmissionID)
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
	err = tx.QueryRow(ctx, `SELECT user_id, campaign_id FROM modules WHERE id = $1`, in.ModuleID).Scan(&modOwner, &modCampaign)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && modOwner != in.UserID) {
		return rejected(core.Errorf(core.ENOTFOUND, "Il modulo %s non esiste o non è tuo: controlla il codice, oppure importa di nuovo i tuoi moduli.", in.ModuleID)), nil
	}
	if err != nil {
		return core.SubmissionOutcome{}, err
	}
	if modCampaign != in.CampaignID {
		return rejected(core.Errorf(core.EINVALID, "Il modulo %s appartiene a un'altra procedura (%s): non può essere inviato in questa.", in.ModuleID, modCampaign)), nil
	}

	// The module already sent, under another submission id.
	prev, _, err = submissionWhere(ctx, tx, `s.module_id = $1`, in.ModuleID)
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

	if in.CheckSent != nil && in.EmployerKey != "" {
		sent, err := sentBy(ctx, tx, in.CampaignID, in.EmployerKey)
		if err != nil {
			return core.SubmissionOutcome{}, err
		}
		if ps := in.CheckSent(sent); shared.HasErrors(ps) {
			return rejected(&core.Error{Code: core.EINVALID, Message: firstError(ps), Problems: ps}), nil
		}
	}

	c := counters[in.CampaignID]
	c.next++
	r := &core.Receipt{
		Protocol:       fmt.Sprintf("%s-%07d", ProtocolPrefix(in.CampaignID), c.next),
		CampaignID:     in.CampaignID,
		ModuleID:       in.ModuleID,
		SubmissionID:   in.SubmissionID,
		ReceivedAt:     fmtTime(now),
		ReceivedAtRome: core.RomeTime(now),
		Sportello:      in.Sportello,
		Provincia:      in.Provincia,
		SHA256:         in.SHA256,
	}
	if err := core.Sign(db.Signer, r, nonce); err != nil {
		return core.SubmissionOutcome{}, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO submissions (submission_id, module_id, user_id, campaign_id, protocol, content, sha256,
		employer_key, tipologia, sportello, provincia, received_at, signature, key_id,
		kind, cittadinanza, employer_name, worker_name, employer_search, worker_search)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
		in.SubmissionID, in.ModuleID, in.UserID, in.CampaignID, r.Protocol, in.Content, in.SHA256,
		in.EmployerKey, in.Tipologia, in.Sportello, in.Provincia, now, r.Signature, r.KeyID,
		string(in.Kind), in.Cittadinanza, in.EmployerName, in.WorkerName, in.EmployerSearch, in.WorkerSearch); err != nil {
		if isUnique(err) {
			// The same submission id committed meanwhile under another campaign's lock: run
			// again, the transaction finds that submission and gives its answer.
			return core.SubmissionOutcome{}, errRace
		}
		return core.SubmissionOutcome{}, err
	}
	if err := addDomandaCount(ctx, tx, in.Provincia, core.RomeDay(now), string(in.Kind), in.Tipologia, in.Cittadinanza, core.DomandaRicevuta, 1); err != nil {
		return core.SubmissionOutcome{}, err
	}
	return core.SubmissionOutcome{Status: core.StatusAccepted, Receipt: r}, nil
}

// sentBy returns the content of every module the employer already sent in the campaign.
func sentBy(ctx context.Context, tx pgx.Tx, campaignID, employerKey string) ([]shared.Data, error) {
	rows, err := tx.Query(ctx, `SELECT content FROM submissions WHERE campaign_id = $1 AND employer_key = $2`, campaignID, employerKey)
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
func submissionWhere(ctx context.Context, tx pgx.Tx, cond string, arg any) (*core.Receipt, int64, error) {
	var r nullableReceipt
	var owner int64
	err := tx.QueryRow(ctx, `SELECT s.user_id, `+receiptColumns+` FROM submissions s WHERE `+cond, arg).Scan(append([]any{&owner}, r.dest()...)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	return r.receipt(), owner, nil
}

// Receipts implements core.SubmissionService.
func (db *DB) Receipts(ctx context.Context, userID int64) ([]core.Receipt, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+receiptColumns+` FROM submissions s WHERE s.user_id = $1
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
	err := db.pool.QueryRow(ctx, `SELECT s.user_id, s.content, `+receiptColumns+` FROM submissions s WHERE s.protocol = $1`,
		protocol).Scan(append([]any{&owner, &content}, r.dest()...)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, nil, core.Errorf(core.ENOTFOUND, "Nessuna ricevuta con protocollo %s fra le tue.", protocol)
	}
	if err != nil {
		return nil, 0, nil, err
	}
	return r.receipt(), owner, []byte(content), nil
}
