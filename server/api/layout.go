package api

import (
	"nullaosta/server/core"
	"nullaosta/shared"
)

// domandaJSON is the detail of an application: core.Domanda and its layout (shared.Layout),
// the sections that have a field applying, in the order of the printed module.
type domandaJSON struct {
	*core.Domanda
	Sections []shared.LaidSection `json:"sections"`
}

func newDomandaJSON(d *core.Domanda) domandaJSON {
	secs := []shared.LaidSection{}
	for _, s := range shared.Layout(d.Kind, d.Data) {
		if len(s.Fields) > 0 {
			secs = append(secs, s)
		}
	}
	return domandaJSON{Domanda: d, Sections: secs}
}
