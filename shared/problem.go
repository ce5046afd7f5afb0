package shared

// Severity tells whether a problem blocks sending.
type Severity string

const (
	SeverityError   Severity = "error"   // blocks sending
	SeverityWarning Severity = "warning" // shown, does not block
)

// Problem is one finding of validation, tied to the field the person should change.
type Problem struct {
	Field    string   `json:"field"`
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
}

// Result is what the validate command and POST /api/v1/validate answer.
type Result struct {
	Valid    bool      `json:"valid"`
	Problems []Problem `json:"problems"`
}

// NewResult builds a Result: valid when no problem is an error. Problems is never nil, so it
// encodes as [] rather than null.
func NewResult(ps []Problem) Result {
	if ps == nil {
		ps = []Problem{}
	}
	return Result{Valid: !HasErrors(ps), Problems: ps}
}

// HasErrors reports whether any problem is an error.
func HasErrors(ps []Problem) bool {
	for _, p := range ps {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}
