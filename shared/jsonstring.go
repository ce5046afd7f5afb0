package shared

// AppendJSONString appends s as a JSON string, quoted exactly as encoding/json quotes it with
// SetEscapeHTML(false) (see appendJSONString): for the server's hand-written answers, which
// must read as encoding/json wrote them.
func AppendJSONString(dst []byte, s string) []byte { return appendJSONString(dst, s) }
