package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// serverLog keeps the server's log and passes on the time in the server (ms=) of each request.
type serverLog struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	timings chan float64
}

var msField = regexp.MustCompile(`msg=richiesta .* ms=([0-9.]+)`)

func (l *serverLog) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		l.mu.Lock()
		if l.buf.Len() < 1<<20 {
			l.buf.WriteString(line + "\n")
		}
		l.mu.Unlock()
		if m := msField.FindStringSubmatch(line); m != nil {
			ms, _ := strconv.ParseFloat(m[1], 64)
			select {
			case l.timings <- ms:
			default:
			}
		}
	}
}

func (l *serverLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// drain forgets the timings of earlier requests.
func (l *serverLog) drain() {
	for {
		select {
		case <-l.timings:
		default:
			return
		}
	}
}

// next waits for the timing of the request just answered.
func (l *serverLog) next() float64 {
	select {
	case ms := <-l.timings:
		return ms
	case <-time.After(2 * time.Second):
		return -1
	}
}

func login(addr, email string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: &http.Transport{DisableCompression: true}, Timeout: time.Minute}
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	res, err := c.Post("http://"+addr+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("login %s: %s", email, res.Status)
	}
	return c, nil
}

// consoleQueries times, in the server, every query of the Ministry's and the Sportello's
// consoles at this size: list pages (first, by cursor in the middle and at the end, and by
// offset as before), each filter, the text search, the statistics, the audit log. Each is
// asked three times and the slowest of the three is reported.
func consoleQueries(addr, dir string, logs *serverLog) error {
	admin, err := login(addr, "admin@bench.example.it")
	if err != nil {
		return err
	}
	cn, err := login(addr, "sportello.cn@bench.example.it")
	if err != nil {
		return err
	}
	// Cursors deep in the list, read from the database itself (as the next of page N).
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "nullaosta.db")+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var total int
	if err := db.QueryRow(`SELECT count(*) FROM submissions`).Scan(&total); err != nil {
		return err
	}
	cursorAt := func(where string, pos int) string {
		var at, p string
		q := `SELECT received_at, protocol FROM submissions ` + where + ` ORDER BY received_at DESC, protocol DESC LIMIT 1 OFFSET ?`
		if err := db.QueryRow(q, pos).Scan(&at, &p); err != nil {
			return ""
		}
		return url.QueryEscape(at + "_" + p)
	}
	var cnTotal int
	db.QueryRow(`SELECT count(*) FROM submissions WHERE provincia = 'CN'`).Scan(&cnTotal)
	var protocol, surname, cnProtocol string
	db.QueryRow(`SELECT protocol, substr(employer_search, 1, 3) FROM submissions LIMIT 1 OFFSET ?`, total/3).Scan(&protocol, &surname)
	db.QueryRow(`SELECT protocol FROM submissions WHERE provincia = 'CN' LIMIT 1 OFFSET ?`, cnTotal/3).Scan(&cnProtocol)
	days := []string{}
	rows, err := db.Query(`SELECT DISTINCT day FROM domande_counts ORDER BY day`)
	if err == nil {
		for rows.Next() {
			var d string
			rows.Scan(&d)
			days = append(days, d)
		}
		rows.Close()
	}
	day := ""
	if len(days) > 0 {
		day = days[len(days)/2]
	}

	type query struct {
		who  string
		c    *http.Client
		path string
	}
	qs := []query{
		{"Ministero", admin, "/admin/stats"},
		{"Ministero", admin, "/admin/stats?dal=" + day + "&al=" + day},
		{"Ministero", admin, "/sportello/domande"},
		{"Ministero", admin, "/sportello/domande?after=" + cursorAt("", total/2-1)},
		{"Ministero", admin, "/sportello/domande?after=" + cursorAt("", total-51)},
		{"Ministero", admin, "/sportello/domande?offset=20000"},
		{"Ministero", admin, "/sportello/domande?offset=" + strconv.Itoa(total-50)},
		{"Ministero", admin, "/sportello/domande?stato=accolta"},
		{"Ministero", admin, "/sportello/domande?stato=in_istruttoria&after=" + cursorAt("WHERE stato = 'in_istruttoria'", 1000)},
		{"Ministero", admin, "/sportello/domande?stato=ricevuta"},
		{"Ministero", admin, "/sportello/domande?tipologia=badante"},
		{"Ministero", admin, "/sportello/domande?cittadinanza=UA"},
		{"Ministero", admin, "/sportello/domande?kind=EM"},
		{"Ministero", admin, "/sportello/domande?dal=" + day + "&al=" + day},
		{"Ministero", admin, "/sportello/domande?provincia=CN"},
		{"Ministero", admin, "/sportello/domande?provincia=CN&stato=accolta&tipologia=colf"},
		{"Ministero", admin, "/sportello/domande?q=" + url.QueryEscape(surname)},
		{"Ministero", admin, "/sportello/domande?q=" + protocol},
		{"Ministero", admin, "/admin/audit"},
		{"Ministero", admin, "/admin/audit?action=stato&before=1000"},
		{"Ministero", admin, "/admin/richieste"},
		{"Ministero", admin, "/admin/operatori"},
		{"Sportello CN", cn, "/sportello/domande"},
		{"Sportello CN", cn, "/sportello/domande?after=" + cursorAt("WHERE provincia = 'CN'", cnTotal-51)},
		{"Sportello CN", cn, "/sportello/domande?stato=accolta"},
		{"Sportello CN", cn, "/sportello/domande?stato=convocato&cittadinanza=UA"},
		{"Sportello CN", cn, "/sportello/domande?tipologia=badante&dal=" + day + "&al=" + day},
		{"Sportello CN", cn, "/sportello/domande?q=" + url.QueryEscape(surname)},
		{"Sportello CN", cn, "/sportello/domande/" + cnProtocol},
	}
	fmt.Printf("\nconsole at %d applications (%d in CN): time in the server, slowest of 3, and the answer\n", total, cnTotal)
	worst := 0.0
	for _, q := range qs {
		slowest, client := 0.0, time.Duration(0)
		var info string
		for range 3 {
			logs.drain()
			start := time.Now()
			res, err := q.c.Get("http://" + addr + "/api/v1" + q.path)
			if err != nil {
				return err
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			client = max(client, time.Since(start))
			if res.StatusCode != http.StatusOK {
				return fmt.Errorf("%s: %s: %s", q.path, res.Status, b)
			}
			slowest = max(slowest, logs.next())
			var page struct {
				Total int               `json:"total"`
				Items []json.RawMessage `json:"items"`
			}
			if json.Unmarshal(b, &page) == nil && page.Items != nil {
				info = fmt.Sprintf("%d of %d", len(page.Items), page.Total)
			} else {
				info = fmt.Sprintf("%d bytes", len(b))
			}
		}
		if !strings.Contains(q.path, "offset=") {
			worst = max(worst, slowest)
		}
		fmt.Printf("  %7.1f ms  %-12s GET %s  (%s; %.1f ms at the client)\n", slowest, q.who, clipPath(q.path), info,
			float64(client.Microseconds())/1000)
	}
	fmt.Printf("slowest console query (offset pages aside): %.1f ms\n", worst)
	return nil
}

func clipPath(p string) string {
	if len(p) > 90 {
		return p[:90] + "…"
	}
	return p
}
