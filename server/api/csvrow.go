package api

import (
	"encoding/json"
	"errors"
	"strconv"

	"nullaosta/shared"
)

// errNotFlat sends a content that is not a flat object of strings, booleans, numbers and nulls
// to encoding/json.
var errNotFlat = errors.New("not a flat object")

// csvColumns says where each key of the stored content goes in a CSV row and how it is
// written.
type csvColumns struct {
	col     map[string]int // the cell of each key; keys without a cell are skipped
	numeric []bool         // by cell: the field is a number (a plain number is not defused)
	// show, by cell, is the field whose value is written as a person reads it
	// (shared.DisplayString, as the detail, the summary and the PDF show it); nil writes the
	// values as stored.
	show []*shared.Field
	// memo, by cell, keeps what a person reads of the values already seen in columns where it
	// takes work (names of codes, dates, amounts): they repeat from row to row. Only the
	// export's writer goroutine uses it.
	memo []map[string]string
}

// memoMax bounds the values remembered per column: the columns worth it hold a few
// thousand distinct values at most (comuni, dates), and memory stays flat whatever the rows.
const memoMax = 1 << 13

// cell is the text of the value v of a cell i, as the columns write it, defused.
func (c *csvColumns) cell(i int, v string) string {
	numeric := i < len(c.numeric) && c.numeric[i]
	if c.show != nil && c.show[i] != nil {
		if m := c.memo[i]; m != nil {
			shown, ok := m[v]
			if !ok {
				shown = shared.DisplayString(c.show[i], v)
				if len(m) < memoMax {
					m[v] = shown
				}
			}
			v = shown
		} else {
			v = shared.DisplayString(c.show[i], v)
		}
	}
	return defuse(v, numeric)
}

// fillRecord writes the values of one stored application into the cells of its CSV row. The
// content is the canonical JSON the store keeps (shared.CanonicalJSON: a flat object, keys
// sorted, strings escaped only where JSON must), so it is read in one pass without building a
// map; anything else goes through encoding/json. The export calls it once per row: it is the
// export's inner loop.
func fillRecord(content []byte, c *csvColumns, record []string) error {
	if err := scanFlat(content, c, record); err == nil {
		return nil
	}
	var data map[string]any
	if err := json.Unmarshal(content, &data); err != nil {
		return err
	}
	for k, v := range data {
		if i, ok := c.col[k]; ok {
			record[i] = c.cell(i, storedText(v))
		}
	}
	return nil
}

// storedText is a value of the content as text: strings as stored (normalised), true and
// false, anything else (numbers) as JSON writes it.
func storedText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func scanFlat(b []byte, c *csvColumns, record []string) error {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return errNotFlat
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return nil
	}
	for {
		key, next, err := jsonString(b, i)
		if err != nil {
			return err
		}
		i = skipSpace(b, next)
		if i >= len(b) || b[i] != ':' {
			return errNotFlat
		}
		i = skipSpace(b, i+1)
		if i >= len(b) {
			return errNotFlat
		}
		var val string
		switch ch := b[i]; {
		case ch == '"':
			var str []byte
			if str, i, err = jsonString(b, i); err != nil {
				return err
			}
			val = string(str)
		case hasWord(b, i, "true"):
			val, i = "true", i+4
		case hasWord(b, i, "false"):
			val, i = "false", i+5
		case hasWord(b, i, "null"):
			val, i = "", i+4
		case ch == '-' || (ch >= '0' && ch <= '9'):
			j := i
			for j < len(b) && (b[j] == '-' || b[j] == '+' || b[j] == '.' || b[j] == 'e' || b[j] == 'E' || (b[j] >= '0' && b[j] <= '9')) {
				j++
			}
			val, i = string(b[i:j]), j
		default:
			return errNotFlat // an object or an array
		}
		if k, ok := c.col[string(key)]; ok {
			record[k] = c.cell(k, val)
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return errNotFlat
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return nil
		default:
			return errNotFlat
		}
	}
}

// jsonString reads the string at b[i] (an opening quote) and returns its value and the index
// after the closing quote. Without escapes the value is a slice of b.
func jsonString(b []byte, i int) ([]byte, int, error) {
	if i >= len(b) || b[i] != '"' {
		return nil, 0, errNotFlat
	}
	escaped := false
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			escaped = true
			j++
		case '"':
			if !escaped {
				return b[i+1 : j], j + 1, nil
			}
			var s string
			if err := json.Unmarshal(b[i:j+1], &s); err != nil {
				return nil, 0, err
			}
			return []byte(s), j + 1, nil
		}
	}
	return nil, 0, errNotFlat
}

func hasWord(b []byte, i int, w string) bool {
	return len(b)-i >= len(w) && string(b[i:i+len(w)]) == w
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}
