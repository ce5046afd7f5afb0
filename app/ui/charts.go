package ui

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/shared"
)

const svgNS = "http://www.w3.org/2000/svg"

// svgEl creates an SVG element (go-app creates it in the SVG namespace).
func svgEl(tag string) goapp.HTMLElem { return goapp.Elem(tag).XMLNS(svgNS) }

// ChartBar is one bar: what is on the axis, its value, and a longer name for the tooltip.
type ChartBar struct {
	Label string
	Value int
	Title string
}

// niceStep rounds a step up to 1, 2, 2.5 or 5 × 10ⁿ, so the grid lines fall on round numbers.
func niceStep(v float64) int {
	p := 1
	for float64(p*10) < v {
		p *= 10
	}
	for _, m := range []int{10, 20, 25, 50, 100} { // tenths: 1, 2, 2.5, 5, 10
		if (m*p)%10 == 0 && float64(m*p/10) >= v {
			return m * p / 10
		}
	}
	return 10 * p
}

// AxisOf returns the grid step and the top of the values' axis for a maximum: about four
// round steps.
func AxisOf(hi int) (step, top int) {
	step = niceStep(float64(hi) / 4)
	n := max(1, (hi+step-1)/step)
	return step, step * n
}

// FormatCount writes 12345 as 12.345, as the Ministry's figures did.
func FormatCount(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// ColumnChart draws one vertical bar per entry (the days of the campaign): bars of class
// "bar", the grid, the values' axis and, under the bars, a label every few bars so they never
// overlap.
func ColumnChart(id, title, unit string, bars []ChartBar, color string) goapp.UI {
	const (
		width, height = 760.0, 280.0
		left, right   = 56.0, 12.0
		top, bottom   = 14.0, 46.0
	)
	hi := 0
	for _, b := range bars {
		hi = max(hi, b.Value)
	}
	step, top0 := AxisOf(hi)
	plotW, plotH := width-left-right, height-top-bottom
	y := func(v int) float64 { return top + plotH - float64(v)/float64(top0)*plotH }

	var kids []goapp.UI
	kids = append(kids, svgEl("title").ID(id+"-title").Text(title))
	for v := 0; v <= top0; v += step {
		yy := ftoa(y(v))
		kids = append(kids,
			svgEl("line").Class("chart-grid").Attr("x1", ftoa(left)).Attr("x2", ftoa(width-right)).Attr("y1", yy).Attr("y2", yy),
			svgEl("text").Class("chart-axis").Attr("x", ftoa(left-6)).Attr("y", ftoa(y(v)+4)).Attr("text-anchor", "end").Text(FormatCount(v)),
		)
	}
	n := len(bars)
	if n > 0 {
		slot := plotW / float64(n)
		bw := min(slot*0.72, 48)
		every := 1
		for float64(every)*slot < 34 {
			every++
		}
		for i, b := range bars {
			x := left + float64(i)*slot + (slot-bw)/2
			h := float64(b.Value) / float64(top0) * plotH
			tip := b.Title
			if tip == "" {
				tip = b.Label
			}
			kids = append(kids, svgEl("rect").Class("bar").
				Attr("x", ftoa(x)).Attr("y", ftoa(top+plotH-h)).Attr("width", ftoa(bw)).Attr("height", ftoa(h)).
				Attr("fill", color).DataSet("value", b.Value).
				Body(svgEl("title").Text(fmt.Sprintf("%s: %s %s", tip, FormatCount(b.Value), unit))))
			if i%every == 0 {
				kids = append(kids, svgEl("text").Class("chart-label").
					Attr("x", ftoa(x+bw/2)).Attr("y", ftoa(height-bottom+16)).Attr("text-anchor", "middle").Text(b.Label))
			}
		}
	}
	kids = append(kids, svgEl("line").Class("chart-axis-line").
		Attr("x1", ftoa(left)).Attr("x2", ftoa(width-right)).Attr("y1", ftoa(top+plotH)).Attr("y2", ftoa(top+plotH)))
	return chartFigure(id, title, unit, bars, svgEl("svg").ID(id).Class("chart").
		Attr("viewBox", fmt.Sprintf("0 0 %d %d", int(width), int(height))).
		Attr("role", "img").Aria("labelledby", id+"-title").
		Attr("preserveAspectRatio", "xMidYMid meet").Body(kids...))
}

// BarChart draws horizontal bars, largest first (tipologia, province, nationalities), with the
// name at the left and the figure at the end of each bar.
func BarChart(id, title, unit string, bars []ChartBar, color string) goapp.UI {
	const (
		width       = 560.0 // half a desktop page: drawn about 1:1
		labelW      = 190.0
		valueW      = 56.0
		rowH, gap   = 22.0, 6.0
		top, bottom = 6.0, 6.0
	)
	hi := 0
	for _, b := range bars {
		hi = max(hi, b.Value)
	}
	if hi == 0 {
		hi = 1
	}
	height := top + bottom + float64(len(bars))*(rowH+gap)
	plotW := width - labelW - valueW
	kids := []goapp.UI{svgEl("title").ID(id + "-title").Text(title)}
	for i, b := range bars {
		y := top + float64(i)*(rowH+gap)
		w := float64(b.Value) / float64(hi) * plotW
		tip := b.Title
		if tip == "" {
			tip = b.Label
		}
		kids = append(kids,
			svgEl("text").Class("chart-label").Attr("x", ftoa(labelW-8)).Attr("y", ftoa(y+rowH/2+5)).Attr("text-anchor", "end").Text(shorten(b.Label, 32)),
			svgEl("rect").Class("bar").Attr("x", ftoa(labelW)).Attr("y", ftoa(y)).Attr("width", ftoa(w)).Attr("height", ftoa(rowH)).
				Attr("fill", color).DataSet("value", b.Value).
				Body(svgEl("title").Text(fmt.Sprintf("%s: %s %s", tip, FormatCount(b.Value), unit))),
			svgEl("text").Class("chart-value").Attr("x", ftoa(labelW+w+6)).Attr("y", ftoa(y+rowH/2+5)).Text(FormatCount(b.Value)),
		)
	}
	return chartFigure(id, title, unit, bars, svgEl("svg").ID(id).Class("chart").
		Attr("viewBox", fmt.Sprintf("0 0 %d %d", int(width), int(height))).
		Attr("role", "img").Aria("labelledby", id+"-title").Body(kids...))
}

// chartFigure frames a chart with its caption and the same figures as a table.
func chartFigure(id, title, unit string, bars []ChartBar, svg goapp.UI) goapp.UI {
	total := 0
	for _, b := range bars {
		total += b.Value
	}
	return goapp.Figure().Class("chart-figure").Body(
		goapp.FigCaption().Class("h5").Text(title),
		goapp.If(len(bars) == 0, func() goapp.UI {
			return goapp.P().Class("text-muted").Text("Nessun dato nel periodo scelto.")
		}).Else(func() goapp.UI { return svg }),
		goapp.Details().Class("chart-data").Body(
			goapp.Summary().Text("Dati in tabella"),
			goapp.Div().Class("table-responsive").Body(goapp.Table().Class("table table-sm").Body(
				goapp.THead().Body(goapp.Tr().Body(
					goapp.Th().Scope("col").Text("Voce"),
					goapp.Th().Scope("col").Class("text-end").Text(strings.ToUpper(unit[:1])+unit[1:]),
				)),
				goapp.TBody().Body(goapp.Range(bars).Slice(func(i int) goapp.UI {
					label := bars[i].Title
					if label == "" {
						label = bars[i].Label
					}
					return goapp.Tr().Body(goapp.Td().Text(label), goapp.Td().Class("text-end").Text(FormatCount(bars[i].Value)))
				})),
				goapp.TFoot().Body(goapp.Tr().Body(goapp.Th().Scope("row").Text("Totale"), goapp.Td().Class("text-end fw-semibold").Text(FormatCount(total)))),
			)),
		),
	)
}

// TopN keeps the n largest, in descending order, and sums the rest into "Altre".
func TopN(bars []ChartBar, n int, other string) []ChartBar {
	out := append([]ChartBar(nil), bars...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Value > out[j].Value })
	if n <= 0 || len(out) <= n {
		return out
	}
	rest := 0
	for _, b := range out[n:] {
		rest += b.Value
	}
	out = append(out[:n:n], ChartBar{Label: other, Value: rest, Title: fmt.Sprintf("%s (%d voci)", other, len(bars)-n)})
	return out
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Count writes a count for a person, with the thousands separated and the noun that agrees
// with it (shared.Plural's rule): Count(1, "domanda", "domande") is «1 domanda»,
// Count(12000, …) «12.000 domande».
func Count(n int, one, many string) string {
	return FormatCount(n) + " " + strings.TrimPrefix(shared.Plural(n, one, many), strconv.Itoa(n)+" ")
}
