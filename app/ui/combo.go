package ui

import (
	"strconv"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/shared/places"
)

// comboLimit is how many matches the list shows.
const comboLimit = 8

// choice is one entry of a searchable list: the code travels, the name is shown.
type choice struct {
	Code string
	Name string
	Note string // e.g. "soppresso"
}

// SearchChoices finds the entries of source matching query. Sources: "comuni:<sigla>",
// "countries", "countries:noneu" (states outside the EU in 2009, Italy excluded) and
// "countries:liste:<ISO,…>" (only those, e.g. the countries with a numerica list).
func SearchChoices(source, query string, limit int) []choice {
	var out []choice
	switch {
	case strings.HasPrefix(source, "comuni:"):
		sigla := strings.TrimPrefix(source, "comuni:")
		for _, c := range places.SearchComuni(query, sigla, limit) {
			ch := choice{Code: c.Belfiore, Name: c.Name}
			if c.Soppresso {
				ch.Note = "comune non più esistente"
			}
			out = append(out, ch)
		}
	case strings.HasPrefix(source, "countries:liste:"):
		for _, iso := range strings.Split(strings.TrimPrefix(source, "countries:liste:"), ",") {
			c, ok := places.CountryByISO(iso)
			if !ok || (strings.TrimSpace(query) != "" && !strings.Contains(foldName(c.Name), foldName(query))) {
				continue
			}
			out = append(out, choice{Code: c.ISO2, Name: c.Name})
			if limit > 0 && len(out) == limit {
				break
			}
		}
	case strings.HasPrefix(source, "countries"):
		noneu := source == "countries:noneu"
		var found []places.Country
		if strings.TrimSpace(query) == "" {
			found = places.Countries()
		} else {
			found = places.SearchCountries(query, 0)
		}
		for _, c := range found {
			if noneu && (c.EU || c.ISO2 == "IT") {
				continue
			}
			out = append(out, choice{Code: c.ISO2, Name: c.Name})
			if limit > 0 && len(out) == limit {
				break
			}
		}
	}
	return out
}

// Combo is a searchable select (the ARIA 1.2 combobox pattern): a text input that filters a
// list of names; arrow keys move in the list, Enter chooses, Escape closes. The value is a code;
// people see and type names.
type Combo struct {
	goapp.Compo

	ID          string // the input's id: field-<key>
	Value       string // the chosen code
	Display     string // the chosen name
	Source      string
	Required    bool
	Invalid     bool
	DescribedBy string
	Host        FieldHost

	editing bool
	query   string
	open    bool
	active  int
	matches []choice
	note    string
}

// CompoID keeps one combo per field and list: a different field or province mounts a new one.
func (c *Combo) CompoID() string { return c.ID + "|" + c.Source }

func (c *Combo) listID() string { return c.ID + "-list" }

func (c *Combo) optionID(i int) string { return c.ID + "-opt-" + strconv.Itoa(i) }

func (c *Combo) key() string { return keyFromID(c.ID) }

func (c *Combo) search(q string) { c.matches = SearchChoices(c.Source, q, comboLimit); c.active = -1 }

func (c *Combo) shownText() string {
	if c.editing {
		return c.query
	}
	return c.Display
}

func (c *Combo) Render() goapp.UI {
	in := goapp.Input().Type("text").ID(c.ID).Class("form-control").
		Attr("role", "combobox").
		Aria("autocomplete", "list").
		Aria("expanded", strconv.FormatBool(c.open && len(c.matches) > 0)).
		Aria("controls", c.listID()).
		Attr("autocomplete", "off").
		Attr("spellcheck", "false").
		Placeholder("Scrivi per cercare…").
		Value(c.shownText()).
		OnInput(c.onInput).
		OnKeyDown(c.onKeyDown).
		OnFocus(c.onFocus).
		OnBlur(c.onBlur)
	if c.active >= 0 && c.active < len(c.matches) && c.open {
		in = in.Aria("activedescendant", c.optionID(c.active))
	}
	if c.Required {
		in = in.Aria("required", "true")
	}
	if c.DescribedBy != "" {
		in = in.Aria("describedby", c.DescribedBy)
	}
	if c.Invalid {
		in = in.Class("is-invalid").Aria("invalid", "true")
	}
	return goapp.Div().Class("combo").Body(
		in,
		goapp.Ul().ID(c.listID()).Class("combo-list").Attr("role", "listbox").
			Hidden(!(c.open && len(c.matches) > 0)).
			Body(
				goapp.Range(c.matches).Slice(func(i int) goapp.UI {
					m := c.matches[i]
					cls := "combo-option"
					if i == c.active {
						cls += " active"
					}
					return goapp.Li().ID(c.optionID(i)).Class(cls).
						Attr("role", "option").
						Aria("selected", strconv.FormatBool(i == c.active)).
						DataSet("index", i).
						OnMouseDown(c.onOptionMouseDown).
						Body(
							goapp.Text(m.Name),
							goapp.If(m.Note != "", func() goapp.UI {
								return goapp.Small().Class("text-muted ms-2").Text("(" + m.Note + ")")
							}),
						)
				}),
			),
		goapp.If(c.note != "", func() goapp.UI {
			return goapp.Div().Class("form-text text-danger").Aria("live", "polite").Text(c.note)
		}),
	)
}

func (c *Combo) onFocus(ctx goapp.Context, e goapp.Event) {
	if !c.editing {
		c.editing = true
		c.query = c.Display
		c.search(c.query)
	}
	c.open = true
}

func (c *Combo) onInput(ctx goapp.Context, e goapp.Event) {
	c.typed(ctx.JSSrc().Get("value").String())
}

// typed is what typing does: filter the list and open it.
func (c *Combo) typed(q string) {
	c.editing = true
	c.query = q
	c.note = ""
	c.search(q)
	c.open = true
	if len(c.matches) > 0 {
		c.active = 0
	}
}

func (c *Combo) onKeyDown(ctx goapp.Context, e goapp.Event) {
	switch e.Get("key").String() {
	case "ArrowDown":
		e.PreventDefault()
		c.move(1)
	case "ArrowUp":
		e.PreventDefault()
		c.move(-1)
	case "Enter":
		if c.open && c.active >= 0 && c.active < len(c.matches) {
			e.PreventDefault()
			c.choose(ctx, c.matches[c.active])
		}
	case "Escape":
		if c.open {
			e.PreventDefault()
			c.open = false
		} else if c.editing {
			c.editing = false
			c.note = ""
			ctx.JSSrc().Set("value", c.Display)
		}
	}
}

// move shifts the highlighted entry, opening the list if it was closed.
func (c *Combo) move(d int) {
	if !c.open || len(c.matches) == 0 {
		c.open = true
		if len(c.matches) == 0 {
			c.search(c.query)
		}
		c.active = 0
		return
	}
	c.active = (c.active + d + len(c.matches)) % len(c.matches)
}

func (c *Combo) onOptionMouseDown(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault() // keep the focus in the input
	i, err := strconv.Atoi(ctx.JSSrc().Get("dataset").Get("index").String())
	if err != nil || i < 0 || i >= len(c.matches) {
		return
	}
	c.choose(ctx, c.matches[i])
}

func (c *Combo) choose(ctx goapp.Context, ch choice) {
	c.editing = false
	c.open = false
	c.note = ""
	c.query = ""
	c.Display = ch.Name
	c.Value = ch.Code
	if el := goapp.Window().GetElementByID(c.ID); el.Truthy() {
		el.Set("value", ch.Name)
	}
	if c.Host != nil {
		c.Host.OnComboSelect(ctx, c.key(), ch.Code)
	}
}

// onBlur settles what was typed: an empty text clears the value, a text that names exactly one
// entry chooses it, anything else is kept on screen with a note and changes nothing.
func (c *Combo) onBlur(ctx goapp.Context, e goapp.Event) {
	c.open = false
	if !c.editing {
		return
	}
	q := strings.TrimSpace(c.query)
	switch ch, ok := c.resolve(q); {
	case q == "":
		c.editing = false
		c.Display, c.Value = "", ""
		ctx.JSSrc().Set("value", "")
		if c.Host != nil {
			c.Host.OnComboSelect(ctx, c.key(), "")
		}
	case ok:
		c.choose(ctx, ch)
	case q == c.Display:
		c.editing = false
	default:
		c.note = "«" + q + "» non è nell'elenco: scegli una voce tra quelle proposte."
	}
}

// resolve finds the one entry a typed text names: an exact name (ignoring case and accents),
// or the only match.
func (c *Combo) resolve(q string) (choice, bool) {
	if q == "" {
		return choice{}, false
	}
	found := SearchChoices(c.Source, q, 2)
	if len(found) == 1 {
		return found[0], true
	}
	if len(found) > 1 && foldName(found[0].Name) == foldName(q) && foldName(found[1].Name) != foldName(q) {
		return found[0], true
	}
	return choice{}, false
}

// ComboFocused reports whether the keyboard focus is in a searchable list.
func ComboFocused() bool {
	el := goapp.Window().Get("document").Get("activeElement")
	return el.Truthy() && el.Call("getAttribute", "role").String() == "combobox"
}

func foldName(s string) string {
	r := strings.NewReplacer("à", "a", "á", "a", "è", "e", "é", "e", "ì", "i", "í", "i", "ò", "o", "ó", "o", "ù", "u", "ú", "u", "'", "", "’", "", "-", " ")
	return strings.Join(strings.Fields(r.Replace(strings.ToLower(s))), " ")
}
