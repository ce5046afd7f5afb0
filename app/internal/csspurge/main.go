// Command csspurge writes the part of a stylesheet (Bootstrap Italia, 612 KB) that the app can
// use: the rules whose selectors name only classes that appear in the app's Go sources. The
// browser parses a stylesheet before the first paint and matches its selectors on every
// change of the page, so the 95% of Bootstrap Italia the app never uses cost start-up time and
// time per keystroke on a slow tablet (issue 12). `make build` runs it:
//
//	go run ./app/internal/csspurge -css web/css/bootstrap-italia.min.css -out web/css/bootstrap-italia.app.css app
//
// A class is "used" when it is a word of a string literal in a .go file under the given
// folders (tests excluded); a word ending in "-" ("alert-" + kind) or holding a verb
// ("col-%d") keeps every class with that prefix. Rules without classes (elements, :root,
// attributes) are kept; so are @font-face and the @keyframes that kept rules name.
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

func main() {
	in := flag.String("css", "", "the full stylesheet")
	out := flag.String("out", "", "where to write the purged one")
	flag.Parse()
	if *in == "" || *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: csspurge -css FULL.css -out PURGED.css DIR...")
		os.Exit(2)
	}
	used, err := usedWords(flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	src, err := os.ReadFile(*in)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	css := purge(string(src), used)
	if err := os.WriteFile(*out+".tmp", []byte(css), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.Rename(*out+".tmp", *out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("csspurge: %s %d bytes → %s %d bytes\n", *in, len(src), *out, len(css))
}

// words are the class names the app may use: exact words and prefixes.
type words struct {
	exact    map[string]bool
	prefixes []string
}

func (w words) has(class string) bool {
	if w.exact[class] {
		return true
	}
	for _, p := range w.prefixes {
		if strings.HasPrefix(class, p) {
			return true
		}
	}
	return false
}

// usedWords collects the words of every string literal of the non-test Go files under dirs.
func usedWords(dirs []string) (words, error) {
	w := words{exact: map[string]bool{}}
	fset := token.NewFileSet()
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						w.add(s)
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			return w, err
		}
	}
	return w, nil
}

func (w *words) add(s string) {
	for _, f := range strings.Fields(s) {
		if i := strings.IndexByte(f, '%'); i >= 0 {
			if i > 1 {
				w.prefixes = append(w.prefixes, f[:i])
			}
			continue
		}
		if strings.HasSuffix(f, "-") && len(f) > 2 {
			w.prefixes = append(w.prefixes, f)
			continue
		}
		w.exact[f] = true
	}
}

// purge keeps what the used words can match.
func purge(css string, used words) string {
	css = strings.TrimPrefix(css, "\ufeff")
	var sb strings.Builder
	if strings.HasPrefix(css, "/*!") { // the licence
		if end := strings.Index(css, "*/"); end > 0 {
			sb.WriteString(css[:end+2] + "\n")
		}
	}
	items := split(stripComments(css))
	kept := keep(items, used, &sb)
	// @keyframes go last: they are kept only when a kept rule names them.
	for _, it := range items {
		if name, ok := strings.CutPrefix(it.prelude, "@keyframes"); ok && strings.Contains(kept, strings.TrimSpace(name)) {
			sb.WriteString(it.prelude + "{" + it.body + "}")
		}
	}
	return sb.String()
}

// keep writes the kept items to sb and returns the text of the kept declarations.
func keep(items []item, used words, sb *strings.Builder) string {
	var decls strings.Builder
	for _, it := range items {
		switch {
		case !it.block:
			if strings.HasPrefix(it.prelude, "@charset") || strings.HasPrefix(it.prelude, "@import") {
				sb.WriteString(it.prelude + ";")
			}
		case strings.HasPrefix(it.prelude, "@keyframes"):
			// written by purge
		case strings.HasPrefix(it.prelude, "@media"), strings.HasPrefix(it.prelude, "@supports"), strings.HasPrefix(it.prelude, "@container"), strings.HasPrefix(it.prelude, "@layer"):
			var inner strings.Builder
			decls.WriteString(keep(split(it.body), used, &inner))
			if inner.Len() > 0 {
				sb.WriteString(it.prelude + "{" + inner.String() + "}")
			}
		case strings.HasPrefix(it.prelude, "@"):
			sb.WriteString(it.prelude + "{" + it.body + "}") // @font-face, @page
			decls.WriteString(it.body)
		default:
			var sels []string
			for _, sel := range splitTop(it.prelude, ',') {
				if selectorUsed(sel, used) {
					sels = append(sels, strings.TrimSpace(sel))
				}
			}
			if len(sels) > 0 {
				sb.WriteString(strings.Join(sels, ",") + "{" + it.body + "}")
				decls.WriteString(it.body)
			}
		}
	}
	return decls.String()
}

var (
	classRE = regexp.MustCompile(`\.((?:\\.|[_a-zA-Z0-9-])+)`)
	notRE   = regexp.MustCompile(`:not\(`)
)

// selectorUsed reports whether every class the selector requires is used. Classes inside
// :not(…) are not required.
func selectorUsed(sel string, used words) bool {
	sel = dropAttributes(dropNot(sel))
	for _, m := range classRE.FindAllStringSubmatch(sel, -1) {
		name := strings.ReplaceAll(m[1], `\`, "")
		if name == "" || (name[0] >= '0' && name[0] <= '9') {
			continue // a number ("0.5") inside an argument, not a class
		}
		if !used.has(name) {
			return false
		}
	}
	return true
}

// dropAttributes removes attribute selectors ([href^=".pdf"]): their values are not classes.
func dropAttributes(sel string) string {
	var sb strings.Builder
	depth := 0
	for i := 0; i < len(sel); i++ {
		switch c := sel[i]; {
		case c == '[':
			depth++
		case c == ']' && depth > 0:
			depth--
		case depth > 0 && (c == '"' || c == '\''):
			i = skipString(sel, i)
		case depth == 0:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// dropNot removes the arguments of :not(…).
func dropNot(sel string) string {
	for {
		loc := notRE.FindStringIndex(sel)
		if loc == nil {
			return sel
		}
		depth, end := 1, loc[1]
		for end < len(sel) && depth > 0 {
			switch sel[end] {
			case '(':
				depth++
			case ')':
				depth--
			}
			end++
		}
		sel = sel[:loc[0]] + sel[end:]
	}
}

// item is a statement of a stylesheet: a rule or at-rule with a block, or an at-rule without.
type item struct {
	prelude string
	body    string
	block   bool
}

// split cuts a stylesheet (or a block's contents) into its top-level statements, minding
// strings and nested blocks.
func split(css string) []item {
	var items []item
	start := 0
	for i := 0; i < len(css); i++ {
		switch c := css[i]; c {
		case '"', '\'':
			i = skipString(css, i)
		case ';':
			if p := strings.TrimSpace(css[start:i]); p != "" {
				items = append(items, item{prelude: p})
			}
			start = i + 1
		case '{':
			end := matchBrace(css, i)
			items = append(items, item{prelude: strings.TrimSpace(css[start:i]), body: css[i+1 : end], block: true})
			i = end
			start = end + 1
		}
	}
	return items
}

func skipString(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case q:
			return j
		}
	}
	return len(s) - 1
}

func matchBrace(s string, i int) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '"', '\'':
			j = skipString(s, j)
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return len(s) - 1
}

// splitTop splits s on sep outside parentheses, brackets and strings.
func splitTop(s string, sep byte) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\'':
			i = skipString(s, i)
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case c == sep && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// stripComments removes /* … */ comments outside strings.
func stripComments(css string) string {
	var sb strings.Builder
	for i := 0; i < len(css); i++ {
		c := css[i]
		if c == '"' || c == '\'' {
			j := skipString(css, i)
			sb.WriteString(css[i : j+1])
			i = j
			continue
		}
		if c == '/' && i+1 < len(css) && css[i+1] == '*' {
			end := strings.Index(css[i+2:], "*/")
			if end < 0 {
				break
			}
			i += 2 + end + 1
			continue
		}
		sb.WriteByte(c)
	}
	return sb.String()
}
