package ui

import ()

// OptionPair is one choice of a select.
type OptionPair struct{ Value, Label string }
