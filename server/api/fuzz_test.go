package api

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"nullaosta/server/core"
	"nullaosta/shared/wire"
)

// The fuzz targets of the API's JSON decoders: every request body goes through decode (the
// token-by-token check against its route's limit, then encoding/json into the request's
// type). For any input: no panic; either a value or a *core.Error whose message is Italian
// (none of encoding/json's English); and memory allocated bounded by the input's size. The
// corpus is kept in testdata/fuzz/<target>.

// allocBound is how much decoding an input may allocate: a fixed part (the decoder's
// buffers, the route's types) and a multiple of the input.
func allocBound(n int) uint64 { return 512<<10 + 64*uint64(n) }

// fuzzDecoder fuzzes decoding into the value newV returns, within lim.
func fuzzDecoder(f *testing.F, lim bodyLimit, newV func() any, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if int64(len(body)) > lim.bytes {
			body = body[:lim.bytes] // readBody never passes more on
		}
		v := newV()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := decodeBytes(body, v, lim)
		runtime.ReadMemStats(&after)
		if got := after.TotalAlloc - before.TotalAlloc; got > allocBound(len(body)) {
			t.Fatalf("decoding %d bytes allocated %d bytes (bound %d)", len(body), got, allocBound(len(body)))
		}
		if err == nil {
			// What was accepted is well formed: it encodes again.
			if _, err := json.Marshal(v); err != nil {
				t.Fatalf("accepted but not encodable: %v", err)
			}
			return
		}
		var ce *core.Error
		if !asCoreError(err, &ce) || ce.Message == "" {
			t.Fatalf("not an API error: %T %v", err, err)
		}
		for _, en := range englishJSON {
			if strings.Contains(ce.Message, en) {
				t.Fatalf("English in the message: %q", ce.Message)
			}
		}
	})
}

func asCoreError(err error, ce **core.Error) bool {
	e, ok := err.(*core.Error)
	*ce = e
	return ok
}

func FuzzDecodeRegister(f *testing.F) {
	fuzzDecoder(f, accountBody, func() any { return new(registerRequest) },
		`{"cognome": "Rossi", "nome": "Maria", "email": "maria.rossi@example.it", "dataNascita": "07/03/1970", "password": "una frase lunga da ricordare"}`,
		`{"cognome": "Ros\u0000si"}`, `{"email": 5}`, `{"a": {"b": [1, 2]}}`)
}

func FuzzDecodeActivate(f *testing.F) {
	fuzzDecoder(f, accountBody, func() any { return new(activateRequest) },
		`{"token": "hrYvVImJpaGdNlg7eG-5NylpqRH_mjtvHxKloBTGLTM", "password": "una frase lunga da ricordare"}`, `{"token": ["x"]}`)
}

func FuzzDecodeLogin(f *testing.F) {
	fuzzDecoder(f, accountBody, func() any { return new(credentials) },
		`{"email": "maria.rossi@example.it", "password": "una frase lunga da ricordare"}`, `{"email": "\ud800"}`)
}

func FuzzDecodePassword(f *testing.F) {
	fuzzDecoder(f, accountBody, func() any { return new(passwordRequest) },
		`{"oldPassword": "una frase lunga da ricordare", "newPassword": "un'altra frase, più lunga"}`)
}

func FuzzDecodeReset(f *testing.F) {
	fuzzDecoder(f, accountBody, func() any { return new(resetRequest) }, `{"email": "maria.rossi@example.it"}`)
}

func FuzzDecodeResetConfirm(f *testing.F) {
	fuzzDecoder(f, accountBody, func() any { return new(resetConfirmRequest) }, `{"token": "Qm3x", "password": "una password tutta nuova"}`)
}

func FuzzDecodeToken(f *testing.F) {
	fuzzDecoder(f, accountBody, func() any { return new(createTokenRequest) },
		`{"email": "maria.rossi@example.it", "password": "una frase lunga da ricordare", "label": "PC ufficio"}`)
}

func FuzzDecodeModule(f *testing.F) {
	fuzzDecoder(f, dataBody, func() any { return new(createModuleRequest) },
		`{"kind": "EM", "data": {"datore.cognome": "Rossi", "datore.nome": "Maria", "rapporto.tipologia": "colf", "dichiarazioni.x": true}}`,
		`{"kind": "A", "data": {"a": 1, "b": null, "c": [1, {"d": 2}]}}`)
}

func FuzzDecodeValidate(f *testing.F) {
	fuzzDecoder(f, dataBody, func() any { return new(validateRequest) },
		`{"module": "EM", "date": "2009-09-15", "data": {"datore.cognome": "Rossi", "lavoratore.documento.numero": "ＡＢ１２３"}}`,
		`{"module": "EM", "data": {"x": "`+strings.Repeat("y", 900)+`"}}`)
}

func FuzzDecodeSubmit(f *testing.F) {
	fuzzDecoder(f, batchBody, func() any { return new(submitRequest) },
		`{"submissions": [{"submissionId": "0f8c2a54-1d2e-4c1b-9a57-3e0b8f6c1a01", "moduleId": "EM-7KQ2-M4XD-8", "data": {"datore.cognome": "Rossi"}}]}`,
		`{"submissions": [{}, {}, {"data": {}}]}`, `{"submissions": "tutti"}`)
}

func FuzzDecodeEnablement(f *testing.F) {
	fuzzDecoder(f, backOfficeBody, func() any { return new(wire.EnablementInput) },
		`{"ente": {"nome": "Comune di Cuneo", "tipo": "comune", "provincia": "CN"}, "referente": {"nome": "Anna", "cognome": "Bertola"}, "operatori": [{"nome": "Mario", "cognome": "Rossi", "dataNascita": "1980-01-01", "email": "mario@example.it"}]}`)
}

func FuzzDecodeDecision(f *testing.F) {
	fuzzDecoder(f, backOfficeBody, func() any { return new(wire.Decision) },
		`{"motivo": "La richiesta non è firmata dal sindaco.", "operatori": [3, 4]}`, `{"operatori": [1e30]}`)
}

func FuzzDecodeStato(f *testing.F) {
	fuzzDecoder(f, accountBody, func() any { return new(statoRequest) }, `{"stato": "accolta", "nota": "Documenti completi."}`)
}
