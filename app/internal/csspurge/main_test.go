package main

import (
	"os"
	"strings"
	"testing"
)

func TestPurgeKeepsWhatTheAppCanUse(t *testing.T) {
	var used words
	used.exact = map[string]bool{}
	used.add("btn btn-primary form-control visually-hidden")
	used.add("alert-") // "alert-" + kind
	used.add("col-%d") // fmt.Sprintf("col-%d", n)
	css := "\ufeff/*! licence */\n" +
		`:root{--x:1}body{margin:0}` +
		`.btn{a:1}.btn.btn-primary:hover,.btn-unused{b:2}` +
		`.nav .nav-link{c:3}` +
		`.alert-warning{d:4}.col-6{e:5}` +
		`.form-control:not(.is-valid){f:6}` +
		`a[href^=".x"]{g:7}` +
		`@media (min-width:576px){.btn{h:8}.navbar{i:9}}` +
		`@media print{.navbar{j:10}}` +
		`@font-face{font-family:"T";src:url(t.woff2)}` +
		`.visually-hidden{animation:spin 1s}@keyframes spin{to{transform:rotate(1turn)}}@keyframes fade{to{opacity:0}}` +
		`/* a comment .nav */.btn::after{content:"}"}`
	got := purge(css, used)
	for _, want := range []string{
		"/*! licence */", ":root{--x:1}", "body{margin:0}", ".btn{a:1}", ".btn.btn-primary:hover{b:2}",
		".alert-warning{d:4}", ".col-6{e:5}", ".form-control:not(.is-valid){f:6}", `a[href^=".x"]{g:7}`,
		"@media (min-width:576px){.btn{h:8}}", `@font-face{font-family:"T";src:url(t.woff2)}`,
		"@keyframes spin{to{transform:rotate(1turn)}}", `.btn::after{content:"}"}`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("purged CSS lacks %s:\n%s", want, got)
		}
	}
	for _, gone := range []string{"btn-unused", "nav-link", "navbar", "@media print", "fade", "a comment", "\ufeff"} {
		if strings.Contains(got, gone) {
			t.Errorf("purged CSS keeps %s:\n%s", gone, got)
		}
	}
}

// TestPurgeBootstrapItalia runs on the real stylesheet and the app's sources: what the app
// uses is there (a sample of the classes the pages rely on), most of the rest is not.
func TestPurgeBootstrapItalia(t *testing.T) {
	full, err := os.ReadFile("../../../web/css/bootstrap-italia.min.css")
	if err != nil {
		t.Fatal(err)
	}
	used, err := usedWords([]string{"../.."})
	if err != nil {
		t.Fatal(err)
	}
	got := purge(string(full), used)
	for _, class := range []string{".btn-primary", ".form-control", ".form-select", ".visually-hidden", ".alert-warning", ".alert-danger", ".container", ".row", ".mb-4", ".d-flex", ".badge", ".table"} {
		if !strings.Contains(got, class+"{") && !strings.Contains(got, class+",") && !strings.Contains(got, class+":") {
			t.Errorf("purged Bootstrap Italia lacks %s", class)
		}
	}
	if len(got) > len(full)/4 {
		t.Errorf("purged stylesheet %d bytes of %d: the purge keeps too much", len(got), len(full))
	}
	if strings.Count(got, "{") != strings.Count(got, "}") {
		t.Error("unbalanced braces")
	}
}
