package wire

// DayCount is one civil day in Italy of the dashboard: modules generated and applications
// sent.
type DayCount struct {
	Day       string `json:"day"` // YYYY-MM-DD, in Italy
	Generated int    `json:"generated"`
	Sent      int    `json:"sent"`
}

// Count is one bar of a chart.
type Count struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// StatsTotals are the dashboard's headline figures of the period (operators: enabled now).
type StatsTotals struct {
	Generated int `json:"generated"`
	Sent      int `json:"sent"`
	Operators int `json:"operators"`
}

// Stats are the Ministry's figures. The server's store fills keys and counts; labels are for
// the caller.
type Stats struct {
	PerDay         []DayCount  `json:"perDay"`
	PerTipologia   []Count     `json:"perTipologia"`
	PerProvincia   []Count     `json:"perProvincia"`
	PerNazionalita []Count     `json:"perNazionalita"`
	PerStato       []Count     `json:"perStato"`
	Totals         StatsTotals `json:"totals"`
}
