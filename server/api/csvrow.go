package api

import (
	"encoding/json"
	"errors"
)

// errNotFlat sends a content that is not a flat object of strings, booleans, numbers and nulls
// to encoding/json.
var errNotFlat = errors.New("not a flat object")

// fillRecord writes the values of one stored application into the cells of its CSV row: the
// cell of each key is col[key]; keys without a column are skipped. The content is the
// canonical JSON the store keeps (shared.CanonicalJSON: a flat object, keys sorted, strings
// escaped only where JSON must), so it is read in one pass without building a map; anything
// else goes through encoding/json. The export calls it once per row: it is the export's
// inner loop.
func fillRecord(content []byte, col map[string]int, numeric []bool, record []string) error {
	if err := scanFlat(content, col, numeric, record); err == nil {
		return nil
	}
	var data map[string]any
	if err := json.Unmarshal(content, &data); err != nil {
		return err
	}
	for k, v := range data {
		if i, ok := col[k]; ok {
			record[i] = csvCell(v, i < len(numeric) && numeric[i])
		}
	}
	return nil
}

func scanFlat(b []byte, col map[string]int, numeric []bool, record []string) error {
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
		raw := false // val is text or a number as written: defused below, by its column
		switch c := b[i]; {
		case c == '"':
			var str []byte
			if str, i, err = jsonString(b, i); err != nil {
				return err
			}
			val, raw = string(str), true
		case hasWord(b, i, "true"):
			val, i = "true", i+4
		case hasWord(b, i, "false"):
			val, i = "false", i+5
		case hasWord(b, i, "null"):
			val, i = "", i+4
		case c == '-' || (c >= '0' && c <= '9'):
			j := i
			for j < len(b) && (b[j] == '-' || b[j] == '+' || b[j] == '.' || b[j] == 'e' || b[j] == 'E' || (b[j] >= '0' && b[j] <= '9')) {
				j++
			}
			val, i, raw = string(b[i:j]), j, true
		default:
			return errNotFlat // an object or an array
		}
		if k, ok := col[string(key)]; ok {
			if raw {
				val = defuse(val, k < len(numeric) && numeric[k])
			}
			record[k] = val
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
