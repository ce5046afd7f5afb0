package api

import (
	"nullaosta/server/core"
	"nullaosta/shared"
)

// laidOut is the detail of an application as the API sends it: with its layout
// (shared.Layout), the sections that have a field applying, in the order of the printed module.
func laidOut(d *core.Domanda) *core.Domanda {
	d.Sections = []shared.LaidSection{}
	for _, s := range shared.Layout(d.Kind, d.Data) {
		if len(s.Fields) > 0 {
			d.Sections = append(d.Sections, s)
		}
	}
	return d
}
