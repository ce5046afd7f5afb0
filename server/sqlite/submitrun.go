package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"nullaosta/server/core"
)

// submitJob is one Submit waiting for the writer: its inputs and, once the batch is committed,
// their outcomes.
type submitJob struct {
	in  []core.SubmissionInput
	out []core.SubmissionOutcome
	// nonces are in's presigned nonces, one each, or nil (see core.Presign).
	nonces []core.Nonce
}

// runState is what submitRun keeps while it stores a run of Submit jobs: the rows decided but
// not inserted yet, and what the run has stored (inserted or pending), by the keys a later
// input of the run could collide on. Only the writer goroutine touches it.
type runState struct {
	pending []pendingRow
	// args is flushPending's arguments, kept from one flush to the next (64 rows of 20
	// columns: 20 KB a flush when made anew); emptied after each, so that it holds nothing.
	args      []any
	ids       map[string]bool // submission ids
	modules   map[string]bool // module ids
	employers map[string]bool // campaign and employer key
}

type pendingRow struct {
	in    *core.SubmissionInput
	r     *core.Receipt
	nonce *core.Nonce // nil: none
}

func employerRunKey(campaign, employer string) string { return campaign + "\x00" + employer }

func (s *runState) reset() {
	clear(s.pending)
	s.pending = s.pending[:0]
	if s.ids == nil {
		s.ids, s.modules, s.employers = map[string]bool{}, map[string]bool{}, map[string]bool{}
	}
	clear(s.ids)
	clear(s.modules)
	clear(s.employers)
}

// add records a submission decided and numbered, to be signed and inserted by flushPending.
func (s *runState) add(in *core.SubmissionInput, r *core.Receipt, nonce *core.Nonce) {
	s.pending = append(s.pending, pendingRow{in, r, nonce})
	s.ids[in.SubmissionID] = true
	s.modules[in.ModuleID] = true
	s.employers[employerRunKey(in.CampaignID, in.EmployerKey)] = true
}

// touches reports whether the run already stored something in's decision depends on: its
// submission id, its module, or (for E2 and E3) its employer's other modules.
func (s *runState) touches(in *core.SubmissionInput) bool {
	return s.ids[in.SubmissionID] || s.modules[in.ModuleID] ||
		(in.EmployerKey != "" && s.employers[employerRunKey(in.CampaignID, in.EmployerKey)])
}

// submitRun stores the inputs of consecutive Submit jobs of one batch, in their order, with
// the guarantees of submitOne: one read answers, for every input, who owns its module and
// whether its id, its module or its employer was already sent (probeRun), and the accepted
// ones are signed and inserted together (flushPending). On click day a batch holds hundreds
// of submissions: per submission the writer then makes no call into SQLite of its own, where
// it made two (each a cgo call after which the goroutine may wait for the scheduler).
//
// An input that is not the usual case (a replay, a conflict, a module not its sender's), or
// that depends on what an earlier input of the run stored, takes submitOne's way after the
// pending rows are inserted, so that its reads see them. An error is a storage failure.
func (db *DB) submitRun(tx *sql.Tx, jobs []*job, now time.Time) error {
	var ins []*core.SubmissionInput
	var outs []*core.SubmissionOutcome
	var nonces []*core.Nonce
	for _, j := range jobs {
		for i := range j.sub.in {
			ins = append(ins, &j.sub.in[i])
			outs = append(outs, &j.sub.out[i])
			var n *core.Nonce
			if i < len(j.sub.nonces) {
				n = &j.sub.nonces[i]
			}
			nonces = append(nonces, n)
		}
	}
	probes, err := probeRun(tx, ins)
	if err != nil {
		return err
	}
	db.run.reset()
	for i, in := range ins {
		p := probes[i]
		var o core.SubmissionOutcome
		if !in.ReplayOnly && !db.run.touches(in) && !p.IDUsed && !p.ModuleSent && p.Owner != nil && *p.Owner == in.UserID && p.Campaign == in.CampaignID {
			o, err = db.storeNew(tx, in, nonces[i], now, p.EmployerSent)
		} else {
			if err = db.flushPending(tx); err == nil {
				o, err = db.submitOne(tx, in, nonces[i], now)
			}
		}
		if err != nil {
			return err
		}
		*outs[i] = o
		// Every input counts against its sender's core.SubmitLimit, in the transaction
		// that stores it: the limit costs no write of its own (the API reads it before
		// the work).
		db.sums.hit(core.SubmitKey(in.UserID), core.SubmitLimit, 1, now)
	}
	return db.flushPending(tx)
}

// runProbe is what probeRun answers for one input.
type runProbe struct {
	Owner        *int64 // the module's owner; nil if there is no such module
	Campaign     string
	IDUsed       bool // a stored submission has this id
	ModuleSent   bool // the module was sent
	EmployerSent bool // the employer sent something in the campaign
}

// probeRun asks, in one statement, for every input what submitOne's first read asks for one:
// the inputs go in as one JSON array and the answers come back as one (one step, one cgo
// call, whatever the number of inputs).
func probeRun(tx *sql.Tx, ins []*core.SubmissionInput) ([]runProbe, error) {
	keys := make([][4]string, len(ins))
	for i, in := range ins {
		keys[i] = [4]string{in.SubmissionID, in.ModuleID, in.CampaignID, in.EmployerKey}
	}
	arg, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	var answer string
	if err := tx.QueryRow(`SELECT json_group_array(json_array(j.key, m.user_id, m.campaign_id,
		EXISTS (SELECT 1 FROM submissions WHERE submission_id = j.value->>0),
		EXISTS (SELECT 1 FROM submissions WHERE module_id = j.value->>1),
		EXISTS (SELECT 1 FROM submissions WHERE campaign_id = j.value->>2 AND employer_key = j.value->>3)))
		FROM json_each(?1) j LEFT JOIN modules m ON m.id = j.value->>1`, string(arg)).Scan(&answer); err != nil {
		return nil, err
	}
	if out, ok := parseProbes(answer, len(ins)); ok {
		return out, nil
	}
	return parseProbesJSON(answer, len(ins))
}

// parseProbes reads probeRun's answer as SQLite writes it — [[key,owner,campaign,id,module,
// employer],…] without spaces, owner and campaign null for a module that does not exist, the
// EXISTS 0 or 1 — in one pass without allocating more than the answers. Anything else (a
// string with an escape, a key out of range or seen twice, a missing answer) is not ok, and
// parseProbesJSON reads it, or says what is wrong. The two agree on every answer
// (TestParseProbesTwins); encoding/json's reflection over a [][]json.RawMessage and a
// json.Unmarshal per cell cost a third of probeRun's CPU.
func parseProbes(answer string, n int) ([]runProbe, bool) {
	s := answer
	out := make([]runProbe, n)
	seen := make([]bool, n)
	// num reads a non-negative integer (the answer has no others) and the byte after it.
	num := func() (int64, byte, bool) {
		var v int64
		i := 0
		for ; i < len(s) && '0' <= s[i] && s[i] <= '9' && i < 18; i++ {
			v = v*10 + int64(s[i]-'0')
		}
		if i == 0 || i >= len(s) || (i > 1 && s[0] == '0') {
			return 0, 0, false
		}
		c := s[i]
		s = s[i+1:]
		return v, c, true
	}
	null := func() bool {
		if strings.HasPrefix(s, "null") {
			s = s[4:]
			return true
		}
		return false
	}
	flag := func(end byte) (bool, bool) {
		if len(s) < 2 || (s[0] != '0' && s[0] != '1') || s[1] != end {
			return false, false
		}
		v := s[0] == '1'
		s = s[2:]
		return v, true
	}
	if len(s) < 2 || s[0] != '[' {
		return nil, false
	}
	s = s[1:]
	for more := len(s) > 0 && s[0] == '['; more; {
		s = s[1:]
		key, c, ok := num()
		if !ok || c != ',' || key >= int64(n) || seen[key] {
			return nil, false
		}
		p := &out[key]
		seen[key] = true
		if !null() {
			owner, c, ok := num()
			if !ok || c != ',' {
				return nil, false
			}
			p.Owner = &owner
		} else if len(s) == 0 || s[0] != ',' {
			return nil, false
		} else {
			s = s[1:]
		}
		if !null() {
			if len(s) == 0 || s[0] != '"' {
				return nil, false
			}
			end := strings.IndexByte(s[1:], '"')
			if end < 0 || !plainJSONString(s[1:1+end]) {
				return nil, false
			}
			p.Campaign = s[1 : 1+end]
			s = s[2+end:]
		}
		if len(s) == 0 || s[0] != ',' {
			return nil, false
		}
		s = s[1:]
		if p.IDUsed, ok = flag(','); !ok {
			return nil, false
		}
		if p.ModuleSent, ok = flag(','); !ok {
			return nil, false
		}
		if p.EmployerSent, ok = flag(']'); !ok {
			return nil, false
		}
		if more = len(s) > 1 && s[0] == ',' && s[1] == '['; more {
			s = s[1:]
		}
	}
	if s != "]" {
		return nil, false
	}
	for _, ok := range seen {
		if !ok {
			return nil, false
		}
	}
	return out, true
}

// plainJSONString: s, between quotes, is a JSON string that means itself — valid UTF-8,
// no escape, no control character.
func plainJSONString(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '\\' {
			return false
		}
	}
	return utf8.ValidString(s)
}

// parseProbesJSON is parseProbes by encoding/json, for any answer parseProbes does not read.
func parseProbesJSON(answer string, n int) ([]runProbe, error) {
	var raw [][]json.RawMessage
	if err := json.Unmarshal([]byte(answer), &raw); err != nil {
		return nil, fmt.Errorf("probeRun: %w", err)
	}
	out := make([]runProbe, n)
	seen := 0
	for _, r := range raw {
		if len(r) != 6 {
			return nil, fmt.Errorf("probeRun: %d columns", len(r))
		}
		var row struct {
			key                int
			owner              *int64
			campaign           *string
			id, module, emplyr int
		}
		for c, dst := range []any{&row.key, &row.owner, &row.campaign, &row.id, &row.module, &row.emplyr} {
			if err := json.Unmarshal(r[c], dst); err != nil {
				return nil, fmt.Errorf("probeRun: %w", err)
			}
		}
		if row.key < 0 || row.key >= len(out) {
			return nil, fmt.Errorf("probeRun: key %d", row.key)
		}
		p := &out[row.key]
		p.Owner, p.IDUsed, p.ModuleSent, p.EmployerSent = row.owner, row.id != 0, row.module != 0, row.emplyr != 0
		if row.campaign != nil {
			p.Campaign = *row.campaign
		}
		seen++
	}
	if seen != n {
		return nil, fmt.Errorf("probeRun: %d answers for %d inputs", seen, n)
	}
	return out, nil
}

// submissionColumns are the columns flushPending inserts, in the order of submissionArgs.
const submissionColumns = `submission_id, module_id, user_id, campaign_id, protocol, content, sha256,
	employer_key, tipologia, sportello, provincia, received_at, signature, key_id,
	kind, cittadinanza, employer_name, worker_name, employer_search, worker_search`

const nSubmissionColumns = 20

func submissionArgs(args []any, in *core.SubmissionInput, r *core.Receipt) []any {
	return append(args, in.SubmissionID, in.ModuleID, in.UserID, in.CampaignID, r.Protocol, in.Content, in.SHA256,
		in.EmployerKey, in.Tipologia, in.Sportello, in.Provincia, r.ReceivedAt, r.Signature, r.KeyID,
		in.Kind, in.Cittadinanza, in.EmployerName, in.WorkerName, in.EmployerSearch, in.WorkerSearch)
}

// insertChunks are the numbers of rows one INSERT statement takes: a few fixed sizes, so that
// the statements stay in the connection's cache, largest first.
var insertChunks = [...]int{64, 16, 4, 1}

// insertStatements are flushPending's INSERTs by number of rows. OR FAIL: a constraint that
// fails stops the statement where it is instead of undoing its rows (ABORT), so that, with the
// deferred foreign keys of migration 0009, SQLite keeps no statement journal for it — a copy of
// every page the statement changes, a fifth of the writer's CPU on click day. Its rows need no
// undoing of their own: an error from flushPending fails the batch, whose transaction rolls
// back whole (TestInsertKeepsNoStatementJournal).
var insertStatements = func() map[int]string {
	m := map[int]string{}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", nSubmissionColumns), ", ") + ")"
	for _, n := range insertChunks {
		m[n] = `INSERT OR FAIL INTO submissions (` + submissionColumns + `) VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
	}
	return m
}()

// flushPending signs the pending receipts and inserts their rows, in the order they were
// decided (rowids follow the protocol numbers).
func (db *DB) flushPending(tx *sql.Tx) error {
	rows := db.run.pending
	if len(rows) == 0 {
		return nil
	}
	if err := signAll(db.Signer, rows); err != nil {
		return err
	}
	if db.run.args == nil {
		db.run.args = make([]any, 0, insertChunks[0]*nSubmissionColumns)
	}
	args := db.run.args
	defer clear(args[:cap(args)])
	for len(rows) > 0 {
		n := insertChunks[len(insertChunks)-1]
		for _, c := range insertChunks {
			if c <= len(rows) {
				n = c
				break
			}
		}
		args = args[:0]
		for _, p := range rows[:n] {
			args = submissionArgs(args, p.in, p.r)
		}
		if _, err := tx.Exec(insertStatements[n], args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	db.run.pending = db.run.pending[:0]
	return nil
}

// signAll signs the receipts of rows, each with its presigned nonce if it has one. (Signing
// them in full on every core was tried: with the other core busy with the requests, it gained
// nothing measurable; presigning takes the scalar multiplication out of the writer.)
func signAll(s core.Signer, rows []pendingRow) error {
	for _, p := range rows {
		if err := core.Sign(s, p.r, p.nonce); err != nil {
			return err
		}
	}
	return nil
}
