package app

import (
	"context"
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
		{wire.RolePrivato, []string{"/genera", "/abilitazione"}, []string{"/ministero", "/sportello"}},
		{wire.RoleOperatore, []string{"/genera", "/moduli"}, []string{"/ministero", "/sportello"}},
		{wire.RoleSportello, []string{"/sportello"}, []string{"/ministero", "/genera"}},
		{wire.RoleAdmin, []string{"/ministero", "/ministero/statistiche", "/sportello"}, []string{"/genera"}},
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
	if !strings.Contains(html, `href="/ministero/registro" aria-current="page"`) && !strings.Contains(html, `aria-current="page" class="active" href="/ministero/registro"`) {
		if !strings.Contains(apptest.Between(html, `href="/ministero/registro"`, "</a>"), "Registro") || !strings.Contains(html, `aria-current="page"`) {
			t.Errorf("current console tab not marked: %s", apptest.Between(html, "<nav", "</nav>"))
		}
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
