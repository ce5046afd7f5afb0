package sqlite

import (
	"database/sql"
	"time"

	"nullaosta/server/core"
)

// batchSums is what the submissions of one group commit add to shared counters: the protocol
// numbers of each campaign, the applications counted by domande_counts, the modules counted
// against each sender's limit. The writer's functions add here instead of updating the rows one
// submission at a time, and flush writes each touched row once, in the same transaction,
// before the commit: on click day hundreds of submissions share one commit and a handful of
// counter rows, and three statements per submission become a few per commit. Only the writer
// goroutine touches it, between reset and flush, so it needs no lock; only functions run by
// writeWhole may use it (a savepoint rolled back would not undo what they added here), and a
// failing batch rolls back whole, what was added here with it.
type batchSums struct {
	protocols map[string]*protocolRun // by campaign
	domande   map[domandaKey]int
	hits      map[hitKey]int
	swept     time.Time // when flush last swept expired limit counters (kept across batches)
}

// sweepEvery is how often the writer's batches sweep expired limit counters, sweepBatchRows at
// a time (up to 2,560 a second, more than one counter per sender and window on click day).
// Sweeping in every commit cost 145 µs a commit at C=50 (3% of the server's CPU), for a table
// that only needs to stay the size of the live windows.
const (
	sweepEvery     = 100 * time.Millisecond
	sweepBatchRows = 256
)

type protocolRun struct {
	last  int64 // the last number given out, in this batch or before
	dirty bool
}

type domandaKey struct{ provincia, day, kind, tipologia, cittadinanza, stato string }

type hitKey struct {
	key                string
	windowStart, until int64
}

func (b *batchSums) reset() {
	clear(b.protocols)
	clear(b.domande)
	clear(b.hits)
}

// nextProtocol gives out the next protocol number of campaign: the stored counter is read
// once per batch, and written back by flush.
func (b *batchSums) nextProtocol(tx *sql.Tx, campaign string) (int64, error) {
	run := b.protocols[campaign]
	if run == nil {
		run = &protocolRun{}
		err := tx.QueryRow(`SELECT last FROM protocol_counters WHERE campaign_id = ?`, campaign).Scan(&run.last)
		if err != nil && err != sql.ErrNoRows {
			return 0, err
		}
		if b.protocols == nil {
			b.protocols = map[string]*protocolRun{}
		}
		b.protocols[campaign] = run
	}
	run.last++
	run.dirty = true
	return run.last, nil
}

// addDomanda counts one stored application, as addDomandaCount does, at flush.
func (b *batchSums) addDomanda(k domandaKey, delta int) {
	if b.domande == nil {
		b.domande = map[domandaKey]int{}
	}
	b.domande[k] += delta
}

// hit counts n attempts against key in lim's window of now, as hit does, at flush.
func (b *batchSums) hit(key string, lim core.Limit, n int, now time.Time) {
	if b.hits == nil {
		b.hits = map[hitKey]int{}
	}
	start := lim.WindowStart(now)
	b.hits[hitKey{key, start, start + int64(lim.Window.Seconds())}] += n
}

// flush writes every counter the batch touched, once, and sweeps expired limit counters at
// most every sweepEvery.
func (b *batchSums) flush(tx *sql.Tx, now time.Time) error {
	for campaign, run := range b.protocols {
		if !run.dirty {
			continue
		}
		if _, err := tx.Exec(`INSERT INTO protocol_counters (campaign_id, last) VALUES (?, ?)
			ON CONFLICT (campaign_id) DO UPDATE SET last = excluded.last`, campaign, run.last); err != nil {
			return err
		}
	}
	for k, n := range b.domande {
		if err := addDomandaCount(tx, k.provincia, k.day, k.kind, k.tipologia, k.cittadinanza, k.stato, n); err != nil {
			return err
		}
	}
	if len(b.hits) == 0 {
		return nil
	}
	for k, n := range b.hits {
		if _, err := tx.Exec(`INSERT INTO limit_counters (key, window_start, n, expires_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (key, window_start) DO UPDATE SET n = n + excluded.n`, k.key, k.windowStart, n, k.until); err != nil {
			return err
		}
	}
	if now.Sub(b.swept) < sweepEvery && !now.Before(b.swept) {
		return nil
	}
	b.swept = now
	return sweepLimits(tx, now.Unix(), sweepBatchRows)
}
