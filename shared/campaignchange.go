package shared

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ParamsVersion names the parameters a campaign's rules judge an application with: the first
// 6 bytes of the SHA-256 of their JSON, in hex. Any change to a reference date, an amount or a
// table gives a new version. The title and the send window are not parameters of the data: a
// window that moves changes when a module may go, not what it must say (see SendState).
func (c Campaign) ParamsVersion() string {
	c.Title, c.SendFrom, c.SendTo, c.SendOpensAt, c.ModuleLimit = "", "", "", "", 0
	b, _ := json.Marshal(c)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}

// CampaignChange is one parameter that differs between the campaign a draft was filled under
// and the campaign in force: what changed, in words, and what in the module to check again.
type CampaignChange struct {
	What    string // «Assegno sociale: ora € 420,00 al mese (era € 409,05)»
	Recheck string // «la retribuzione del lavoratore»
}

// CampaignChanges lists, in Italian, how the parameters of now differ from those of was, in
// the order of the module; nil when they do not (same ParamsVersion).
func CampaignChanges(was, now Campaign) []CampaignChange {
	if was.ParamsVersion() == now.ParamsVersion() {
		return nil
	}
	var out []CampaignChange
	date := func(label, a, b, recheck string) {
		if a != b {
			out = append(out, CampaignChange{label + ": ora " + dateOrNone(b) + " (era " + dateOrNone(a) + ")", recheck})
		}
	}
	money := func(label string, a, b int64, unit, recheck string) {
		if a != b {
			out = append(out, CampaignChange{label + ": ora " + euro(b) + unit + " (era " + euro(a) + unit + ")", recheck})
		}
	}
	other := func(changed bool, what, recheck string) {
		if changed {
			out = append(out, CampaignChange{what, recheck})
		}
	}
	date("Data di riferimento", was.ReferenceDate, now.ReferenceDate, "le date del rapporto di lavoro")
	date("Inizio del rapporto di lavoro entro il", was.StartCutoff, now.StartCutoff, "la data di inizio del rapporto di lavoro")
	date("Versamento del contributo a partire dal", was.PaymentFrom, now.PaymentFrom, "la data del versamento F24")
	money("Contributo forfettario", was.Contribution, now.Contribution, "", "l'importo e la data del versamento F24")
	money("Marca da bollo", was.MarcaBollo, now.MarcaBollo, "", "la marca da bollo")
	money("Assegno sociale", was.AssegnoSociale, now.AssegnoSociale, " al mese", "la retribuzione del lavoratore")
	money("Minimo orario per i non conviventi", was.HourlyFloor, now.HourlyFloor, " l'ora", "la retribuzione e l'orario del lavoratore")
	money("Minimo del livello CS", was.CSMinimum, now.CSMinimum, " al mese", "la retribuzione del lavoratore")
	other(!reflect.DeepEqual(was.CCNL, now.CCNL), "Minimi retributivi del CCNL del lavoro domestico: tabella aggiornata",
		"il livello, l'orario e la retribuzione del lavoratore")
	money("Reddito minimo del datore (un solo percettore)", was.IncomeOneEarner, now.IncomeOneEarner, " l'anno", "il reddito del datore di lavoro e del nucleo familiare")
	money("Reddito minimo del nucleo (più percettori)", was.IncomeSeveral, now.IncomeSeveral, " l'anno", "il reddito del datore di lavoro e del nucleo familiare")
	other(was.IncomeFactor != now.IncomeFactor || was.SalaryMonths != now.SalaryMonths || !reflect.DeepEqual(was.Contributions, now.Contributions),
		"Calcolo del reddito minimo del datore (retribuzione e contributi INPS): parametri aggiornati", "il reddito del datore di lavoro")
	other(!slices.Equal(was.NumericaCountries, now.NumericaCountries),
		"Paesi con liste per la richiesta numerica: ora "+countryList(now.NumericaCountries), "il tipo di richiesta e la cittadinanza del lavoratore")
	other(was.MaxColf != now.MaxColf || was.MaxBadanti != now.MaxBadanti,
		"Domande per datore di lavoro: ora al massimo "+strconv.Itoa(now.MaxColf)+" per colf e "+strconv.Itoa(now.MaxBadanti)+" per badanti",
		"quante domande invia lo stesso datore di lavoro")
	if len(out) == 0 { // a parameter without words of its own (a new one): say so anyway
		out = append(out, CampaignChange{"Parametri della campagna aggiornati", "tutti i capitoli"})
	}
	return out
}

// SendState says where an instant stands in the campaign's send window (E1), by civil days in
// Italy: before it opens, open, or closed.
type SendState int

const (
	SendBefore SendState = iota - 1
	SendOpenNow
	SendClosed
)

// SendStateAt is SendOpen with the side: before the window or after it.
func (c *Campaign) SendStateAt(t time.Time) SendState {
	d := isoDate(RomeDay(t))
	switch {
	case c.SendFrom != "" && t.Before(c.OpensAt()):
		return SendBefore
	case c.SendTo != "" && d > c.SendTo:
		return SendClosed
	}
	return SendOpenNow
}

func dateOrNone(iso string) string {
	if iso == "" {
		return "nessuna"
	}
	return isoToItalian(iso)
}

func countryList(isos []string) string {
	if len(isos) == 0 {
		return "nessuno"
	}
	names := make([]string, len(isos))
	for i, iso := range isos {
		names[i] = CountryName(iso)
	}
	return strings.Join(names, ", ")
}
