package shared

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Kind names one of the two modules.
type Kind string

const (
	KindEM Kind = "EM" // dichiarazione di emersione 2009
	KindA  Kind = "A"  // Modulo A, richiesta di nulla osta al lavoro domestico
)

// ParseKind accepts "EM" or "A" in any case.
func ParseKind(s string) (Kind, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "EM":
		return KindEM, nil
	case "A":
		return KindA, nil
	}
	return "", fmt.Errorf("modulo %q sconosciuto: scegli EM oppure A", s)
}

// Data is an application as it travels: a flat object from field key to the value exactly as a
// person typed it (a string), or a bool for checkboxes. A missing key and "" both mean "not
// filled in".
type Data map[string]any

// Str returns the value of key as trimmed text; a bool or a missing key gives "".
func (d Data) Str(key string) string {
	if s, ok := d[key].(string); ok {
		return strings.TrimSpace(s)
	}
	return ""
}

// Bool reports whether key holds true. The strings "true" and "on" count too, because HTML
// forms and hand-written files send them.
func (d Data) Bool(key string) bool {
	switch v := d[key].(type) {
	case bool:
		return v
	case string:
		s := strings.ToLower(strings.TrimSpace(v))
		return s == "true" || s == "on"
	}
	return false
}

// Filled reports whether key holds something: non-blank text or true.
func (d Data) Filled(key string) bool {
	switch v := d[key].(type) {
	case bool:
		return v
	case string:
		return strings.TrimSpace(v) != ""
	}
	return false
}

// Clone returns a shallow copy (values are strings and bools, so it is a full copy).
func (d Data) Clone() Data {
	c := make(Data, len(d))
	for k, v := range d {
		c[k] = v
	}
	return c
}

// ParseData decodes a JSON object into Data. It refuses anything that is not an object; values
// that are neither strings nor booleans are kept as they are and reported by Validate as a
// format problem on their key, so nothing a person sent is silently dropped.
func ParseData(b []byte) (Data, error) {
	var raw any
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("il file non è JSON valido: %v", err)
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("il file deve contenere un oggetto JSON {\"chiave\": \"valore\", …}, non %s", jsonKind(raw))
	}
	return Data(obj), nil
}

// jsonShown is a number's value in parentheses, as a person would write it (" (15)", " (2,5)"),
// and "" for anything else.
func jsonShown(v any) string {
	n, ok := v.(float64)
	if !ok {
		return ""
	}
	return " (" + strings.Replace(strconv.FormatFloat(n, 'f', -1, 64), ".", ",", 1) + ")"
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "un elenco"
	case string:
		return "un testo"
	case float64:
		return "un numero"
	case bool:
		return "un valore vero/falso"
	}
	return "un valore di altro tipo"
}
