package shared

import (
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // YYYY-MM-DD, "" for an error
	}{
		{"2009-09-15", "2009-09-15"},
		{" 2009-09-15 ", "2009-09-15"},
		{"15/09/2009", "2009-09-15"},
		{"5/9/2009", "2009-09-05"},
		{"05.09.2009", "2009-09-05"},
		{"05-09-2009", "2009-09-05"},
		{"29/02/2008", "2008-02-29"},
		{"29/02/2009", ""},
		{"31/02/2009", ""},
		{"31/04/2009", ""},
		{"00/01/2009", ""},
		{"01/13/2009", ""},
		{"2009-9-15", ""},
		{"2009/09/15", ""},
		{"15/09/09", ""},
		{"15/09-2009", ""},
		{"15//2009", ""},
		{"15/09/2009/1", ""},
		{"0195-01-01", ""},
		{"oggi", ""},
		{"", ""},
		{"١٥/٠٩/٢٠٠٩", ""},
	} {
		got, err := ParseDate(tc.in)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("ParseDate(%q) = %v, want an error", tc.in, got)
		case tc.want != "" && err != nil:
			t.Errorf("ParseDate(%q): %v", tc.in, err)
		case tc.want != "" && got.Format(time.DateOnly) != tc.want:
			t.Errorf("ParseDate(%q) = %v, want %s", tc.in, got, tc.want)
		}
		if err != nil && !strings.Contains(err.Error(), "data") && !strings.Contains(err.Error(), "anno") && !strings.Contains(err.Error(), "mese") && !strings.Contains(err.Error(), "giorno") {
			t.Errorf("ParseDate(%q): message %q does not say what is wrong", tc.in, err)
		}
	}
}

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64 // -1 for an error
	}{
		{"880,17", 88017},
		{"880.17", 88017},
		{"1.050,00", 105000},
		{"1050", 105000},
		{"1.050", 105000},
		{"1.050.000", 105000000},
		{"1.050.000,5", 105000050},
		{"€ 880,17", 88017},
		{"€880,17", 88017},
		{"880,17 €", 88017},
		{"EUR 880,17", 88017},
		{" 880,1 ", 88010},
		{"10.50", 1050},
		{"0,50", 50},
		{"0", 0},
		{"007", 700},
		{"880,171", -1},
		{"1.0500", -1},
		{"-880,17", -1},
		{"+880", -1},
		{"880,", -1},
		{",50", -1},
		{"880.17,00", -1},
		{"1,050.00", -1},
		{"1.05.000", -1},
		{"1234.567", -1},
		{"88o", -1},
		{"", -1},
		{"€", -1},
		{"1e3", -1},
		{"9999999999999", -1},
		{"999999999999", 99999999999900},
	} {
		got, err := ParseMoney(tc.in)
		switch {
		case tc.want < 0 && err == nil:
			t.Errorf("ParseMoney(%q) = %d, want an error", tc.in, got)
		case tc.want >= 0 && err != nil:
			t.Errorf("ParseMoney(%q): %v", tc.in, err)
		case tc.want >= 0 && got != tc.want:
			t.Errorf("ParseMoney(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestFormatMoney(t *testing.T) {
	for _, tc := range []struct {
		in   int64
		want string
	}{
		{0, "0,00"},
		{5, "0,05"},
		{88017, "880,17"},
		{105000, "1.050,00"},
		{2000000, "20.000,00"},
		{123456789, "1.234.567,89"},
		{-105000, "-1.050,00"},
	} {
		if got := FormatMoney(tc.in); got != tc.want {
			t.Errorf("FormatMoney(%d) = %q, want %q", tc.in, got, tc.want)
		}
		if tc.in >= 0 {
			if back, err := ParseMoney(FormatMoney(tc.in)); err != nil || back != tc.in {
				t.Errorf("ParseMoney(FormatMoney(%d)) = %d, %v", tc.in, back, err)
			}
		}
	}
}

func TestParseHours(t *testing.T) {
	for _, tc := range []struct {
		in    string
		hours int
		tp    bool
		bad   bool
	}{
		{"25", 25, false, false},
		{" 20 ", 20, false, false},
		{"TP", FullTimeHours, true, false},
		{"tp", FullTimeHours, true, false},
		{"Tp", FullTimeHours, true, false},
		{"0", 0, false, false},
		{"25,5", 0, false, true},
		{"25 ore", 0, false, true},
		{"-5", 0, false, true},
		{"1000", 0, false, true},
		{"", 0, false, true},
		{"tempo pieno", 0, false, true},
	} {
		h, tp, err := ParseHours(tc.in)
		if (err != nil) != tc.bad || h != tc.hours || tp != tc.tp {
			t.Errorf("ParseHours(%q) = %d, %v, %v", tc.in, h, tp, err)
		}
	}
}

func TestParsePhone(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"0171 123456", "0171123456"},
		{"+39 333 1234567", "+393331234567"},
		{" 3331234567 ", "3331234567"},
		{"+393331234567", "+393331234567"},
		{"333-1234567", ""},
		{"(0171) 123456", ""},
		{"39+333", ""},
		{"++39 333 1234567", ""},
		{"12345", ""},
		{"1234567890123456", ""},
		{"tel. 0171", ""},
		{"", ""},
	} {
		got, err := ParsePhone(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("ParsePhone(%q) = %q, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParsePhone(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestParseEmail(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"giovanna.bianchi@example.it", true},
		{" m.rossi+sanatoria@comune.cuneo.it ", true},
		{"a@b.co", true},
		{"giovanna.bianchi@", false},
		{"@example.it", false},
		{"giovanna@example", false},
		{"giovanna@@example.it", false},
		{"giovanna bianchi@example.it", false},
		{"giovanna@exa mple.it", false},
		{".giovanna@example.it", false},
		{"gio..vanna@example.it", false},
		{"giovanna@-example.it", false},
		{"giovanna@example..it", false},
		{"giovanna@example.i", false},
		{"giovanna@192.168.0.1", false},
		{"giovanna,bianchi@example.it", false},
		{"", false},
	} {
		_, err := ParseEmail(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseEmail(%q): %v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}

func TestParseCAP(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"12100", true},
		{" 00118 ", true},
		{"1210", false},
		{"121000", false},
		{"12 100", false},
		{"I2100", false},
	} {
		if _, err := ParseCAP(tc.in); (err == nil) != tc.ok {
			t.Errorf("ParseCAP(%q): %v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}

func TestParseIntegerYearDigits(t *testing.T) {
	if n, err := ParseInteger(" 12 "); err != nil || n != 12 {
		t.Errorf("ParseInteger(12) = %d, %v", n, err)
	}
	for _, bad := range []string{"-1", "1,5", "dodici", "", "1234567890"} {
		if _, err := ParseInteger(bad); err == nil {
			t.Errorf("ParseInteger(%q) accepted", bad)
		}
	}
	if y, err := ParseYear("2006"); err != nil || y != 2006 {
		t.Errorf("ParseYear = %d, %v", y, err)
	}
	for _, bad := range []string{"06", "20066", "duemila"} {
		if _, err := ParseYear(bad); err == nil {
			t.Errorf("ParseYear(%q) accepted", bad)
		}
	}
	if s, err := parseDigits("0123 4567 8901 23", 14); err != nil || s != "01234567890123" {
		t.Errorf("parseDigits = %q, %v", s, err)
	}
	if _, err := parseDigits("0123456789012", 14); err == nil {
		t.Error("13 digits accepted")
	}
}

func TestFormatDate(t *testing.T) {
	if got := FormatDate(time.Date(2009, 9, 5, 0, 0, 0, 0, time.UTC)); got != "05/09/2009" {
		t.Errorf("FormatDate = %q", got)
	}
}
