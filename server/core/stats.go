package core

import (
	"context"
	"time"

	"nullaosta/shared/wire"
)

// StatsFilter bounds the statistics: instants at From or later and before To (zero: open).
type StatsFilter struct {
	From, To time.Time
}

// DayCount is one civil day in Italy: modules generated and applications sent.
type DayCount = wire.DayCount

// Count is one bar of a chart.
type Count = wire.Count

// StatsTotals are the headline figures of the period (operators: enabled now).
type StatsTotals = wire.StatsTotals

// Stats are the Ministry's figures. The store fills keys and counts; labels are for the caller.
type Stats = wire.Stats

// StatsService counts what was generated and sent.
type StatsService interface {
	Dashboard(ctx context.Context, f StatsFilter) (*Stats, error)
}
