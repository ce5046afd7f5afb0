package shared

import (
	"strconv"
	"strings"
	"time"
)

// Campaign is one instance of a procedure: its window, reference dates and the amounts rules
// compare with. The server serves it with every module so that client and server validate with
// the same numbers. Dates are YYYY-MM-DD; money is in euro cents.
type Campaign struct {
	ID    string `json:"id"` // "em2009", "a2007", "demo-em", "demo-a"
	Kind  Kind   `json:"kind"`
	Title string `json:"title"`
	Year  int    `json:"year"`

	SendFrom string `json:"sendFrom"` // first day sending is open (E1; A: the click day)
	SendTo   string `json:"sendTo"`   // last day sending is open
	// SendOpensAt is the instant sending opens (RFC 3339), for a window that opens at an hour
	// (a click day) rather than at midnight in Rome of SendFrom; "" for midnight.
	SendOpensAt string `json:"sendOpensAt,omitempty"`

	ReferenceDate string `json:"referenceDate,omitempty"` // EM: 2009-06-30
	StartCutoff   string `json:"startCutoff,omitempty"`   // EM: employment began on or before (E5)
	PaymentFrom   string `json:"paymentFrom,omitempty"`   // EM: F24 payable from (E8)

	AssegnoSociale int64       `json:"assegnoSociale"`        // €/month, cents
	HourlyFloor    int64       `json:"hourlyFloor,omitempty"` // A: 4,87 for A/AS non conviventi
	CSMinimum      int64       `json:"csMinimum,omitempty"`   // EM: level CS whatever the hours (880,17)
	CCNL           []CCNLLevel `json:"ccnl"`

	IncomeOneEarner int64 `json:"incomeOneEarner,omitempty"` // EM colf (E4)
	IncomeSeveral   int64 `json:"incomeSeveral,omitempty"`

	Contribution int64 `json:"contribution,omitempty"` // EM: F24 € 500
	MarcaBollo   int64 `json:"marcaBollo"`             // € 14,62

	// NumericaCountries are the ISO codes of countries with a published list (A1).
	NumericaCountries []string `json:"numericaCountries,omitempty"`
	// ModuleLimit is how many modules a private user may generate.
	ModuleLimit int `json:"moduleLimit"`

	// A2: the employer's income must be at least IncomeFactor × (monthly salary × SalaryMonths
	// + annual contributions), the contributions coming from the Contributions table.
	IncomeFactor  int                `json:"incomeFactor,omitempty"`
	SalaryMonths  int                `json:"salaryMonths,omitempty"`
	Contributions []ContributionBand `json:"contributions,omitempty"`

	// MaxColf and MaxBadanti bound the modules one employer may send (E3).
	MaxColf    int `json:"maxColf,omitempty"`
	MaxBadanti int `json:"maxBadanti,omitempty"`
}

// CCNLLevel is one row of the CCNL minimum wage table.
type CCNLLevel struct {
	Level      string `json:"level"`      // A, AS, B, BS, C, CS, D, DS
	Monthly    int64  `json:"monthly"`    // conviventi, €/month, cents
	Indemnity  int64  `json:"indemnity"`  // D, DS: extra €/month, cents
	Hourly     int64  `json:"hourly"`     // non conviventi, €/hour, cents
	Monthly30h int64  `json:"monthly30h"` // conviventi 30 h/week (B, BS, C), cents; 0 if none
}

// ContributionBand is one row of the INPS hourly contribution table used by rule A2: it applies
// when the weekly hours are at most MaxHours and the hourly pay at most MaxHourlyPay (0 means no
// upper bound). Bands are tried in order; the first that fits wins.
type ContributionBand struct {
	MaxHours     int   `json:"maxHours"`
	MaxHourlyPay int64 `json:"maxHourlyPay"` // cents
	Hourly       int64 `json:"hourly"`       // cents per hour worked
}

// ccnl2007 is the minimum wage table of the CCNL for domestic work in force from 1 March 2007
// (seed 001): monthly for conviventi, hourly for non conviventi, the 30-hour monthly amounts for
// conviventi part-time, and the €150 indemnity of levels D and DS.
func ccnl2007() []CCNLLevel {
	return []CCNLLevel{
		{Level: "A", Monthly: 55000, Hourly: 400},
		{Level: "AS", Monthly: 65000, Hourly: 470},
		{Level: "B", Monthly: 70000, Hourly: 500, Monthly30h: 50000},
		{Level: "BS", Monthly: 75000, Hourly: 530, Monthly30h: 52500},
		{Level: "C", Monthly: 80000, Hourly: 560, Monthly30h: 58000},
		{Level: "CS", Monthly: 85000, Hourly: 590},
		{Level: "D", Monthly: 100000, Indemnity: 15000, Hourly: 680},
		{Level: "DS", Monthly: 105000, Indemnity: 15000, Hourly: 710},
	}
}

// inps2007 is the INPS hourly contribution table for domestic work in 2007, CUAF included
// (outside the seeds): up to 24 hours a week by hourly pay, a single rate above.
func inps2007() []ContributionBand {
	return []ContributionBand{
		{MaxHours: 24, MaxHourlyPay: 683, Hourly: 127},
		{MaxHours: 24, MaxHourlyPay: 834, Hourly: 143},
		{MaxHours: 24, Hourly: 175},
		{Hourly: 92},
	}
}

// numerica2007 lists the countries whose workers could be asked for by number in the 2007
// flussi decree, i.e. those with a published list under a bilateral agreement. It is a
// parameter chosen outside the seeds (the seed says only that the lists exist, per country);
// the campaign's configuration is where it is corrected.
var numerica2007 = []string{"AL", "BD", "DZ", "EG", "GH", "LK", "MA", "MD", "NG", "PH", "PK", "SN", "TN"}

func em2009() Campaign {
	return Campaign{
		ID:    "em2009",
		Kind:  KindEM,
		Title: "Dichiarazione di emersione 2009 (colf e badanti)",
		Year:  2009,

		SendFrom: "2009-09-01",
		SendTo:   "2009-09-30",

		ReferenceDate: "2009-06-30",
		StartCutoff:   "2009-04-01",
		PaymentFrom:   "2009-08-21",

		AssegnoSociale: 40905,
		CSMinimum:      88017,
		CCNL:           ccnl2007(),

		IncomeOneEarner: 2000000,
		IncomeSeveral:   2500000,

		Contribution: 50000,
		MarcaBollo:   1462,

		ModuleLimit: 5,
		MaxColf:     1,
		MaxBadanti:  2,
	}
}

func a2007() Campaign {
	return Campaign{
		ID:    "a2007",
		Kind:  KindA,
		Title: "Modulo A – nulla osta al lavoro domestico (decreto flussi 2007)",
		Year:  2007,

		SendFrom: "2007-12-15",
		SendTo:   "2007-12-15",

		AssegnoSociale: 38936,
		HourlyFloor:    487,
		CCNL:           ccnl2007(),

		MarcaBollo: 1462,

		NumericaCountries: append([]string(nil), numerica2007...),
		ModuleLimit:       5,

		IncomeFactor:  2,
		SalaryMonths:  13,
		Contributions: inps2007(),
	}
}

// Campaigns lists the official campaigns (em2009, a2007). Each call returns fresh copies, so a
// caller may change its copy (a configured click day, say) without touching anyone else's.
func Campaigns() []Campaign { return []Campaign{em2009(), a2007()} }

// CampaignByID finds an official campaign.
func CampaignByID(id string) (Campaign, bool) {
	for _, c := range Campaigns() {
		if c.ID == id {
			return c, true
		}
	}
	return Campaign{}, false
}

// OfficialCampaign returns the official campaign of kind k (em2009 or a2007).
func OfficialCampaign(k Kind) (Campaign, bool) {
	switch k {
	case KindEM:
		return em2009(), true
	case KindA:
		return a2007(), true
	}
	return Campaign{}, false
}

// DemoCampaign keeps every rule of the official campaign of kind k but opens the send window
// around today (from 30 days before to 60 days after, civil days in Italy). Its ID is "demo-em"
// or "demo-a". For an unknown kind it returns the zero Campaign.
func DemoCampaign(k Kind, today time.Time) Campaign {
	c, ok := OfficialCampaign(k)
	if !ok {
		return Campaign{}
	}
	day := RomeDay(today)
	c.ID = "demo-" + strings.ToLower(string(k))
	c.Title += " – dimostrazione"
	c.SendFrom = isoDate(day.AddDate(0, 0, -30))
	c.SendTo = isoDate(day.AddDate(0, 0, 60))
	return c
}

// SendOpen reports whether the campaign accepts submissions at instant day (E1), comparing
// civil days in Europe/Rome: sending on 30 September at 23:59 in Rome is in time even though it
// is already 1 October nowhere that matters. An empty SendFrom or SendTo leaves that side open.
func (c *Campaign) SendOpen(day time.Time) bool {
	if at := c.OpensAt(); !at.IsZero() && day.Before(at) {
		return false
	}
	d := isoDate(RomeDay(day))
	return (c.SendFrom == "" || d >= c.SendFrom) && (c.SendTo == "" || d <= c.SendTo)
}

// OpensAt is the instant sending opens: SendOpensAt, else midnight in Rome of SendFrom; the
// zero time when the window has no start.
func (c *Campaign) OpensAt() time.Time {
	if c.SendOpensAt != "" {
		if t, err := time.Parse(time.RFC3339, c.SendOpensAt); err == nil {
			return t
		}
	}
	day, err := time.Parse("2006-01-02", c.SendFrom)
	if err != nil {
		return time.Time{}
	}
	_, off := InRome(day).Zone()
	return day.Add(-time.Duration(off) * time.Second)
}

// Level returns the CCNL row of a level code.
func (c *Campaign) Level(code string) (CCNLLevel, bool) {
	for _, l := range c.CCNL {
		if l.Level == code {
			return l, true
		}
	}
	return CCNLLevel{}, false
}

// MinimumMonthly returns the CCNL minimum monthly salary, in cents, for a level, convivenza and
// weekly hours (a whole number or "TP"), as rule C10 reads the table:
//
//   - conviventi: the monthly amount plus the D/DS indemnity; up to 30 hours a week, the
//     30-hour amount where the table has one (B, BS, C);
//   - non conviventi: hourly amount × weekly hours × 52 / 12, rounded up to the cent, TP
//     counting as FullTimeHours; where the campaign has an hourly floor (Modulo A 2007: € 4,87
//     for levels A and AS) the floor replaces a lower hourly amount;
//   - where the campaign has a CS amount (EM 2009: € 880,17), level CS takes it whatever the
//     hours and the convivenza (seed 003: "indipendentemente dall'orario di lavoro").
//
// It returns 0 when the level is unknown, or when a non-convivente's hours cannot be read.
// The assegno sociale is a separate floor: see SalaryFloor.
func (c *Campaign) MinimumMonthly(level string, convivente bool, hours string) int64 {
	row, ok := c.Level(level)
	if !ok {
		return 0
	}
	if level == "CS" && c.CSMinimum > 0 {
		return c.CSMinimum
	}
	h, tp, err := ParseHours(hours)
	if convivente {
		if err == nil && !tp && h <= 30 && row.Monthly30h > 0 {
			return row.Monthly30h
		}
		return row.Monthly + row.Indemnity
	}
	if err != nil {
		return 0
	}
	hourly := row.Hourly
	if c.HourlyFloor > hourly && (level == "A" || level == "AS") {
		hourly = c.HourlyFloor
	}
	return ceilDiv(hourly*int64(h)*52, 12)
}

// SalaryFloor is the lowest monthly salary rule C10 accepts: the CCNL minimum or the campaign's
// assegno sociale, whichever is higher. byAssegno tells which one decided.
func (c *Campaign) SalaryFloor(level string, convivente bool, hours string) (floor int64, byAssegno bool) {
	m := c.MinimumMonthly(level, convivente, hours)
	if c.AssegnoSociale > m {
		return c.AssegnoSociale, true
	}
	return m, false
}

// AnnualCost is what rule A2 doubles: the monthly salary × SalaryMonths plus the INPS
// contributions for the weekly hours × 52. The contribution band is chosen by the weekly hours
// and the hourly pay (monthly × 12 / 52 / weekly hours), compared exactly in cents.
func (c *Campaign) AnnualCost(monthly int64, weeklyHours int) int64 {
	months := int64(c.SalaryMonths)
	if months == 0 {
		months = 13
	}
	cost := monthly * months
	if weeklyHours <= 0 {
		return cost
	}
	h := int64(weeklyHours)
	for _, b := range c.Contributions {
		if b.MaxHours > 0 && weeklyHours > b.MaxHours {
			continue
		}
		// hourly pay ≤ MaxHourlyPay  ⇔  monthly × 12 ≤ MaxHourlyPay × 52 × hours
		if b.MaxHourlyPay > 0 && monthly*12 > b.MaxHourlyPay*52*h {
			continue
		}
		return cost + b.Hourly*h*52
	}
	return cost
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

// placesDay is the day whose comuni are current for the campaign's addresses: the reference
// date, or the first of January of the campaign's year (YYYY-MM-DD).
func (c *Campaign) placesDay() string {
	if c.ReferenceDate != "" {
		return c.ReferenceDate
	}
	if c.Year > 0 {
		return strconv.Itoa(c.Year) + "-01-01"
	}
	return ""
}

// yearPhrase names the time of the campaign for a person: "nel 2009", or "al tempo della
// procedura" when the campaign has no year.
func (c *Campaign) yearPhrase() string {
	if c != nil && c.Year > 0 {
		return "nel " + strconv.Itoa(c.Year)
	}
	return "al tempo della procedura"
}

// SectionHelp is the help of a section as a person reads it in this campaign: the schema's
// text, which names no date that changes from one campaign to another, and for the last step
// (confirm and send) the campaign's own send window, e.g. «Per questa procedura le domande si
// inviano dal 29/10/2026 al 27/01/2027.».
func (c *Campaign) SectionHelp(sec Section) string {
	if !sec.Confirm || c == nil {
		return sec.Help
	}
	w := c.SendWindowText()
	if w == "" {
		return sec.Help
	}
	return strings.TrimSpace(sec.Help + " Per questa procedura le domande si inviano " + w + ".")
}

// SendWindowText is the campaign's send window for a sentence: «dal 01/09/2009 al 30/09/2009»,
// «dal 01/09/2009», «fino al 30/09/2009», or "" when the campaign has neither date.
func (c *Campaign) SendWindowText() string {
	from, to := isoToItalian(c.SendFrom), isoToItalian(c.SendTo)
	switch {
	case c.SendFrom != "" && c.SendTo != "":
		return "dal " + from + " al " + to
	case c.SendFrom != "":
		return "dal " + from
	case c.SendTo != "":
		return "fino al " + to
	}
	return ""
}
