// Command wasmsize reports what a WebAssembly module built by Go is made of: the bytes of
// function code per Go package (from the module's name section, so the module must be built
// without -ldflags=-s -w) and the size of each section. `make wasm-size` runs it.
//
//	go run ./app/internal/wasmsize [-top 15] app-with-names.wasm
package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	top := flag.Int("top", 15, "packages to list")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: wasmsize [-top N] module.wasm")
		os.Exit(2)
	}
	b, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	m, err := parse(b)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	report(w, m, *top)
}

// module is what the report needs of a wasm module.
type module struct {
	total    int
	sections []section
	imported int      // function imports: they come first in the function index space
	bodies   []int    // size of each function body, in code section order
	names    []string // function name by index (imports included); "" when unnamed
}

type section struct {
	name string
	size int
}

var sectionNames = map[byte]string{0: "custom", 1: "type", 2: "import", 3: "function", 4: "table",
	5: "memory", 6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "datacount"}

func parse(b []byte) (*module, error) {
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, errors.New("not a WebAssembly module")
	}
	m := &module{total: len(b)}
	r := &reader{b: b, off: 8}
	for r.off < len(b) {
		id := r.byte()
		size := int(r.uleb())
		start := r.off
		if r.err != nil || start+size > len(b) {
			return nil, errors.New("truncated section")
		}
		sec := &reader{b: b[:start+size], off: start}
		name := sectionNames[id]
		switch id {
		case 0:
			cname := sec.name()
			name = "custom " + cname
			if cname == "name" {
				m.readNames(sec)
			}
		case 2:
			m.readImports(sec)
		case 10:
			n := int(sec.uleb())
			for i := 0; i < n && sec.err == nil; i++ {
				l := int(sec.uleb())
				m.bodies = append(m.bodies, l)
				sec.off += l
			}
		}
		if sec.err != nil {
			return nil, fmt.Errorf("section %s: %w", name, sec.err)
		}
		m.sections = append(m.sections, section{name, size})
		r.off = start + size
	}
	return m, r.err
}

func (m *module) readImports(r *reader) {
	n := int(r.uleb())
	for i := 0; i < n && r.err == nil; i++ {
		r.name()
		r.name()
		switch r.byte() {
		case 0: // function: type index
			r.uleb()
			m.imported++
		case 1: // table: reftype, limits
			r.byte()
			r.limits()
		case 2: // memory
			r.limits()
		case 3: // global: valtype, mut
			r.byte()
			r.byte()
		}
	}
}

func (m *module) readNames(r *reader) {
	for r.off < len(r.b) && r.err == nil {
		id := r.byte()
		size := int(r.uleb())
		end := r.off + size
		if id == 1 { // function names
			n := int(r.uleb())
			for i := 0; i < n && r.err == nil; i++ {
				idx := int(r.uleb())
				name := r.name()
				for len(m.names) <= idx {
					m.names = append(m.names, "")
				}
				m.names[idx] = name
			}
		}
		r.off = end
	}
}

// pkgOf is the Go package of a function symbol. Go's wasm linker writes names with every
// character outside [A-Za-z0-9_.] turned into '_': "nullaosta_shared.Data.Str",
// "github.com_maxence_charriere_go_app_v10_pkg_app.__Compo_.Render". The package ends at the
// first dot, except the dot of a module's domain ("github.com_…"), which is skipped.
func pkgOf(sym string) string {
	if sym == "" {
		return "(unnamed)"
	}
	start := 0
	for _, tld := range []string{".com_", ".org_", ".net_", ".io_", ".in_", ".dev_"} {
		if i := strings.Index(sym, tld); i >= 0 && !strings.Contains(sym[:i], ".") {
			start = i + len(tld)
			break
		}
	}
	if i := strings.IndexByte(sym[start:], '.'); i >= 0 {
		return sym[:start+i]
	}
	return sym
}

func report(w io.Writer, m *module, top int) {
	fmt.Fprintf(w, "%s: %d bytes\n\nsections:\n", flag.Arg(0), m.total)
	for _, s := range m.sections {
		fmt.Fprintf(w, "  %-22s %10d  %5.1f%%\n", s.name, s.size, 100*float64(s.size)/float64(m.total))
	}
	if len(m.names) == 0 {
		fmt.Fprintln(w, "\nno name section: build without -ldflags='-s -w' to see packages")
		return
	}
	bytes := map[string]int{}
	funcs := map[string]int{}
	code := 0
	for i, l := range m.bodies {
		name := ""
		if idx := m.imported + i; idx < len(m.names) {
			name = m.names[idx]
		}
		p := pkgOf(name)
		bytes[p] += l
		funcs[p]++
		code += l
	}
	pkgs := make([]string, 0, len(bytes))
	for p := range bytes {
		pkgs = append(pkgs, p)
	}
	sort.Slice(pkgs, func(i, j int) bool { return bytes[pkgs[i]] > bytes[pkgs[j]] })
	fmt.Fprintf(w, "\nfunction code by package (%d bytes in %d functions, %d packages), top %d:\n", code, len(m.bodies), len(pkgs), top)
	ours := 0
	for i, p := range pkgs {
		if strings.HasPrefix(p, "nullaosta_") {
			ours += bytes[p]
		}
		if i < top {
			fmt.Fprintf(w, "  %2d. %-58s %9d  %5.1f%%  %5d funcs\n", i+1, p, bytes[p], 100*float64(bytes[p])/float64(code), funcs[p])
		}
	}
	fmt.Fprintf(w, "\nnullaosta_… packages together: %d bytes of code (%.1f%%)\n", ours, 100*float64(ours)/float64(code))
}

type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) byte() byte {
	if r.off >= len(r.b) {
		r.err = io.ErrUnexpectedEOF
		return 0
	}
	c := r.b[r.off]
	r.off++
	return c
}

func (r *reader) uleb() uint64 {
	if r.off >= len(r.b) {
		r.err = io.ErrUnexpectedEOF
		return 0
	}
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		r.err = errors.New("bad LEB128")
		return 0
	}
	r.off += n
	return v
}

func (r *reader) name() string {
	n := int(r.uleb())
	if r.err != nil || r.off+n > len(r.b) {
		r.err = io.ErrUnexpectedEOF
		return ""
	}
	s := string(r.b[r.off : r.off+n])
	r.off += n
	return s
}

func (r *reader) limits() {
	if r.byte()&1 == 1 {
		r.uleb()
	}
	r.uleb()
}
