package core

import (
	"context"
	"time"
)

// StatsFilter bounds the statistics: instants at From or later and before To (zero: open).
type StatsFilter struct {
	From, To time.Time
}

// DayCount is one civil day in Italy: modules generated and applications sent.
type DayCount struct {
	Day       string `json:"day"` // YYYY-MM-DD
	Generated int    `json:"generated"`
	Sent      int    `json:"sent"`
}

// Count is one bar of a chart.
type Count struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// StatsTotals are the headline figures of the period (operators: enabled now).
type StatsTotals struct {
	Generated int `json:"generated"`
	Sent      int `json:"sent"`
	Operators int `json:"operators"`
}

// Stats are the Ministry's figures. The store fills keys and counts; labels are for the caller.
type Stats struct {
	PerDay         []DayCount  `json:"perDay"`
	PerTipologia   []Count     `json:"perTipologia"`
	PerProvincia   []Count     `json:"perProvincia"`
	PerNazionalita []Count     `json:"perNazionalita"`
	PerStato       []Count     `json:"perStato"`
	Totals         StatsTotals `json:"totals"`
}

// StatsService counts what was generated and sent.
type StatsService interface {
	Dashboard(ctx context.Context, f StatsFilter) (*Stats, error)
}
