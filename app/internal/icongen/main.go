// Command icongen draws the app's icons (web/icons): PNG 192 and 512, a maskable 512 whose
// glyph stays inside the safe circle (go-app also uses it as the Apple touch icon), and the
// same design as SVG. The icons are committed; run it again only to change the design:
//
//	go run ./app/internal/icongen -out web/icons
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"
)

var (
	blue  = color.NRGBA{0x00, 0x66, 0xCC, 0xFF} // Bootstrap Italia primary
	white = color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
	green = color.NRGBA{0x00, 0x8A, 0x5C, 0xFF}
	fold  = color.NRGBA{0xCC, 0xE0, 0xF5, 0xFF}
)

// The design in a unit square: a document with a folded corner and a check mark.
type shape struct {
	sdf func(x, y float64) float64 // signed distance, negative inside
	c   color.NRGBA
}

func roundRect(x0, y0, x1, y1, r float64) func(x, y float64) float64 {
	cx, cy := (x0+x1)/2, (y0+y1)/2
	hx, hy := (x1-x0)/2-r, (y1-y0)/2-r
	return func(x, y float64) float64 {
		dx, dy := math.Abs(x-cx)-hx, math.Abs(y-cy)-hy
		out := math.Hypot(math.Max(dx, 0), math.Max(dy, 0))
		return out + math.Min(math.Max(dx, dy), 0) - r
	}
}

func segment(ax, ay, bx, by, w float64) func(x, y float64) float64 {
	return func(x, y float64) float64 {
		px, py := x-ax, y-ay
		vx, vy := bx-ax, by-ay
		t := math.Max(0, math.Min(1, (px*vx+py*vy)/(vx*vx+vy*vy)))
		return math.Hypot(px-vx*t, py-vy*t) - w/2
	}
}

func union(fs ...func(x, y float64) float64) func(x, y float64) float64 {
	return func(x, y float64) float64 {
		d := math.Inf(1)
		for _, f := range fs {
			d = math.Min(d, f(x, y))
		}
		return d
	}
}

// triangle is the folded corner: below the diagonal of the top-right square.
func triangle(x0, y0, s float64) func(x, y float64) float64 {
	return func(x, y float64) float64 {
		if x < x0 || y > y0+s || x > x0+s || y < y0 {
			return 1
		}
		// inside when (x-x0) >= (y-y0): the lower-left half seen from the corner
		return (y - y0) - (x - x0)
	}
}

// design returns the shapes for a glyph scaled by k around the centre (k=1: full icon).
func design(k float64, background func(x, y float64) float64) []shape {
	t := func(f func(x, y float64) float64) func(x, y float64) float64 {
		return func(x, y float64) float64 { return f(0.5+(x-0.5)/k, 0.5+(y-0.5)/k) * k }
	}
	doc := roundRect(0.27, 0.17, 0.73, 0.83, 0.04)
	corner := 0.13
	cut := func(x, y float64) float64 { // the document without its top-right corner
		d := doc(x, y)
		if x > 0.73-corner && y < 0.17+corner && (x-(0.73-corner)) > (y-0.17) {
			return math.Max(d, 0.01)
		}
		return d
	}
	lines := union(
		segment(0.35, 0.36, 0.56, 0.36, 0.035),
		segment(0.35, 0.45, 0.65, 0.45, 0.035),
		segment(0.35, 0.54, 0.65, 0.54, 0.035),
	)
	check := union(segment(0.40, 0.68, 0.48, 0.76, 0.06), segment(0.48, 0.76, 0.66, 0.58, 0.06))
	return []shape{
		{background, blue},
		{t(cut), white},
		{t(triangle(0.73-corner, 0.17, corner)), fold},
		{t(lines), blue},
		{t(check), green},
	}
}

func render(size int, shapes []shape) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4 // supersampling per axis
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/ss) / float64(size)
					y := (float64(py) + (float64(sy)+0.5)/ss) / float64(size)
					var c color.NRGBA
					for _, s := range shapes {
						if s.sdf(x, y) <= 0 {
							c = s.c
						}
					}
					fa := float64(c.A) / 255
					r += float64(c.R) * fa
					g += float64(c.G) * fa
					b += float64(c.B) * fa
					a += fa
				}
			}
			n := float64(ss * ss)
			out := color.NRGBA{}
			if a > 0 {
				out = color.NRGBA{uint8(r/a + 0.5), uint8(g/a + 0.5), uint8(b/a + 0.5), uint8(a/n*255 + 0.5)}
			}
			img.SetNRGBA(px, py, out)
		}
	}
	return img
}

func write(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" role="img" aria-label="Nullaosta">
  <rect width="512" height="512" rx="96" fill="#0066CC"/>
  <path d="M158 87h168l48 48v318a20 20 0 0 1-20 20H158a20 20 0 0 1-20-20V107a20 20 0 0 1 20-20z" fill="#FFFFFF"/>
  <path d="M307 87l67 67h-67z" fill="#CCE0F5"/>
  <g stroke="#0066CC" stroke-width="18" stroke-linecap="round">
    <path d="M179 184h108M179 230h154M179 276h154"/>
  </g>
  <path d="M205 348l41 41 92-92" fill="none" stroke="#008A5C" stroke-width="31" stroke-linecap="round" stroke-linejoin="round"/>
</svg>
`

func main() {
	out := flag.String("out", "web/icons", "output directory")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	rounded := roundRect(0, 0, 1, 1, 0.1875)
	full := func(x, y float64) float64 { return -1 }
	icons := []struct {
		name string
		size int
		sh   []shape
	}{
		{"icon-192.png", 192, design(1, rounded)},
		{"icon-512.png", 512, design(1, rounded)},
		// Maskable: full-bleed background, glyph within the central 80 % safe zone.
		{"icon-maskable-512.png", 512, design(0.78, full)},
	}
	for _, ic := range icons {
		p := filepath.Join(*out, ic.name)
		if err := write(p, render(ic.size, ic.sh)); err != nil {
			log.Fatal(err)
		}
		fmt.Println("wrote", p)
	}
	p := filepath.Join(*out, "icon.svg")
	if err := os.WriteFile(p, []byte(svg), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Println("wrote", p)
}
