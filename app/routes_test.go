package app

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"nullaosta/app/client"
	"nullaosta/app/internal/apptest"
	"nullaosta/app/session"
	"nullaosta/app/ui"
	"nullaosta/shared/wire"
)

func TestNavigationByRole(t *testing.T) {
	RegisterRoutes()
	has := func(items []ui.NavItem, path string) bool {
		for _, it := range items {
			if it.Path == path {
				return true
			}
		}
		return false
	}
	for _, tc := range []struct {
		role           string
		want, dontWant []string
	}{
		{"", []string{"/genera", "/compila"}, []string{"/ministero", "/sportello", "/abilitazione"}},
		{wire.RolePrivato, []string{"/genera", "/account"}, []string{"/ministero", "/sportello", "/abilitazione"}},
		{wire.RoleOperatore, []string{"/genera", "/moduli"}, []string{"/ministero", "/sportello", "/abilitazione"}},
		{wire.RoleSportello, []string{"/sportello"}, []string{"/ministero", "/genera"}},
		// The console's tabs are not repeated in the menu.
		{wire.RoleAdmin, []string{"/ministero", "/sportello"}, []string{"/genera", "/ministero/statistiche", "/ministero/operatori", "/ministero/registro"}},
	} {
		items := ui.NavFor(tc.role)
		for _, p := range tc.want {
			if !has(items, p) {
				t.Errorf("role %q: no %s", tc.role, p)
			}
		}
		for _, p := range tc.dontWant {
			if has(items, p) {
				t.Errorf("role %q: %s offered", tc.role, p)
			}
		}
	}

	// The bar follows the profile of who is logged in.
	apptest.UseMemory(t, apptest.EmDay)
	ctx := context.Background()
	session.SetCurrentUser(ctx, "admin@interno.it")
	session.SetProfile("admin@interno.it", client.User{Email: "admin@interno.it", Role: wire.RoleAdmin})
	html := apptest.Render(t, &ui.TopBar{Current: "/ministero/registro"})
	// The console's tab lights the console's one entry in the menu.
	if a := regexp.MustCompile(`<a[^>]*href="/ministero"[^>]*>[^<]*`).FindString(html); !strings.Contains(a, "Console del Ministero") ||
		!strings.Contains(a, `aria-current="page"`) {
		t.Errorf("the console's entry is not marked current on its tab: %s", apptest.Between(html, "<nav", "</nav>"))
	}
	if strings.Contains(html, `href="/ministero/registro"`) {
		t.Error("the menu repeats the console's tabs")
	}
	if strings.Contains(html, `href="/genera"`) {
		t.Error("the Ministry is offered «Genera modulo»")
	}
	session.SetCurrentUser(ctx, "anna@example.it")
	html = apptest.Render(t, &ui.TopBar{Current: "/"})
	if strings.Contains(html, `href="/ministero"`) || !strings.Contains(html, `href="/genera"`) {
		t.Error("another user inherits the admin's navigation")
	}
}

// TestUnlockFirst checks where a reload goes before its first render: the unlock page, coming
// back to the page and its query, only when someone is locked and the page shows their data.
func TestUnlockFirst(t *testing.T) {
	RegisterRoutes()
	for _, tc := range []struct {
		locked       bool
		path, search string
		want         string
	}{
		{true, "/compila/EM-1234-ABCD-EF", "", "/sblocca?next=%2Fcompila%2FEM-1234-ABCD-EF"},
		{true, "/compila", "?ordine=data", "/sblocca?next=%2Fcompila%3Fordine%3Ddata"},
		{true, "/ministero/operatori", "", "/sblocca?next=%2Fministero%2Foperatori"},
		{false, "/compila/EM-1234-ABCD-EF", "", ""},
		{true, "/", "", ""},
		{true, "/accedi", "", ""},
		{true, "/sblocca", "?next=%2Fbozze", ""},
		{true, "/verifica", "", ""},
		{true, "/nessuna-pagina", "", ""},
	} {
		if got := unlockURL(tc.locked, tc.path, tc.search); got != tc.want {
			t.Errorf("locked %v, %s%s: %q, want %q", tc.locked, tc.path, tc.search, got, tc.want)
		}
	}
}
