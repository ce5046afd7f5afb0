//go:build e2e

package e2e

import (
	"strings"
	"testing"
	"time"

	"nullaosta/shared"
)

// idbDumpJS returns every key and value of the app's IndexedDB as they are stored: what
// anyone who opens the browser's developer tools on the tablet reads.
const idbDumpJS = `(async () => {
  const db = await new Promise((ok, ko) => { const r = indexedDB.open("nullaosta"); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
  const out = [];
  for (const name of db.objectStoreNames) {
    const tx = db.transaction(name, "readonly");
    const st = tx.objectStore(name);
    const [keys, values] = await Promise.all([st.getAllKeys(), st.getAll()].map(r => new Promise((ok, ko) => { r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); })));
    keys.forEach((k, i) => out.push([name, String(k), typeof values[i] === "string" ? values[i] : JSON.stringify(values[i])]));
  }
  db.close();
  return out;
})()`

// decryptAsJS tries, with WebCrypto alone, what a second person on the same browser profile
// could do with their own password: derive their key-encryption key, unwrap their own data key
// (it must work: the method is right), then open their own profile (it must work) and the
// first person's draft (it must fail); and open the first person's wrapped key with their own
// password (it must fail). It returns what happened to each.
const decryptAsJS = `async (me, password, victim, moduleId) => {
  const db = await new Promise((ok, ko) => { const r = indexedDB.open("nullaosta"); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
  const get = (store, key) => new Promise((ok, ko) => { const r = db.transaction(store, "readonly").objectStore(store).get(key); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
  const b64 = s => Uint8Array.from(atob(s), c => c.charCodeAt(0));
  const enc = s => new TextEncoder().encode(s);
  const unwrap = async (owner, pw) => {
    const w = JSON.parse(await get("settings", owner + "\u0000vault.key"));
    const base = await crypto.subtle.importKey("raw", enc(pw), "PBKDF2", false, ["deriveKey"]);
    const kek = await crypto.subtle.deriveKey({name: "PBKDF2", hash: "SHA-256", salt: b64(w.salt), iterations: w.iter}, base, {name: "AES-GCM", length: 256}, false, ["decrypt"]);
    const raw = await crypto.subtle.decrypt({name: "AES-GCM", iv: b64(w.iv), additionalData: enc("nullaosta/datakey/v1/" + owner)}, kek, b64(w.key));
    return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["decrypt"]);
  };
  const open = async (key, table, owner, id) => {
    const v = await get(table, owner + "\u0000" + id);
    if (typeof v !== "string" || !v.startsWith("nv1.")) return "not sealed: " + String(v).slice(0, 80);
    const b = b64(v.slice(4));
    const plain = await crypto.subtle.decrypt({name: "AES-GCM", iv: b.slice(0, 12), additionalData: enc("nullaosta/" + table + "/" + owner + "\u0000" + id)}, key, b.slice(12));
    return new TextDecoder().decode(plain);
  };
  const res = {};
  const attempt = async (name, f) => { try { res[name] = "ok: " + String(await f()).slice(0, 60); } catch (e) { res[name] = "failed: " + e.name; } };
  let mine;
  await attempt("own key", async () => { mine = await unwrap(me, password); return "unwrapped"; });
  await attempt("own profile", () => open(mine, "settings", me, "profile"));
  await attempt("victim's draft with own key", () => open(mine, "drafts", victim, moduleId));
  // The same ciphertext under the second person's name: the record's name is authenticated too.
  await attempt("victim's draft renamed", async () => {
    const v = await get("drafts", victim + "\u0000" + moduleId); const b = b64(v.slice(4));
    return new TextDecoder().decode(await crypto.subtle.decrypt({name: "AES-GCM", iv: b.slice(0, 12), additionalData: enc("nullaosta/drafts/" + me + "\u0000" + moduleId)}, mine, b.slice(12)));
  });
  await attempt("victim's key with own password", () => unwrap(victim, password));
  db.close();
  return res;
}`

// pageHidesJS returns the first personal datum found anywhere in the document (text, input
// values, attributes), or "".
const pageHidesJS = `(secrets) => {
  const html = document.documentElement.outerHTML;
  const values = [...document.querySelectorAll("input, textarea, select")].map(e => e.value).join("\n");
  for (const s of secrets) if (html.includes(s) || values.includes(s) || document.body.innerText.includes(s)) return s;
  return "";
}`

// TestVaultOnSharedTablet is issue 14's part 2 in the browser: what an operator types is kept
// encrypted (the raw IndexedDB holds no surname or passport number), «Blocca» and the idle time
// take every personal datum off the page until the password is typed again, offline too, and a
// second operator on the same browser profile neither sees nor can decrypt the first one's
// drafts, even with WebCrypto and their own password in hand.
func TestVaultOnSharedTablet(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, false)
	fx := emFixture(t)
	em := shared.SchemaOf(shared.KindEM)
	op1 := newAccount("cifra", "Bianchi", "Giovanna", "12/03/1958")
	op2 := newAccount("collega", "Verdi", "Paolo", "01/02/1965")
	id := apiModule(t, srv, op1, fx)
	srv.apiAccount(t, op2)
	// The worker's surname and the employer's codice fiscale come with the module (locked
	// fields of the generation); the passport number is typed on the tablet.
	surname, employer := fx.Str("lavoratore.cognome"), fx.Str("datore.codice_fiscale")
	const passport = "ZX9081726"
	secrets := []string{surname, passport, employer}

	step := func(name string, f func()) {
		t.Helper()
		t0 := time.Now()
		f()
		t.Logf("%-62s %6.1f s", name, time.Since(t0).Seconds())
	}
	dump := func() [][]string { return eval[[][]string](b, "the raw IndexedDB", idbDumpJS) }

	step("the reset pages say what a reset costs, before it", func() {
		b.navigate("/password-dimenticata")
		b.waitText(".reset-warning", "cifrati con la password attuale")
		b.waitText(".reset-warning", "password precedente")
	})
	step("operator 1 logs in and imports the module", func() {
		b.navigate("/accedi")
		b.login(op1)
		b.clickLink("/importa")
		b.typeID("imp-email", op1.email)
		b.typeID("imp-password", op1.password)
		b.clickButton("Importa")
		b.waitText(".form-status .alert-success", "Importazione completata")
	})
	unlockMS := eval[float64](b, "the unlock's duration", `(() => {
  const s = performance.getEntriesByName("nullaosta:unlock-start"), d = performance.getEntriesByName("nullaosta:unlock-done");
  return s.length && d.length ? d[d.length-1].startTime - s[s.length-1].startTime : -1;
})()`)
	t.Logf("FIGURE first unlock at login (PBKDF2-SHA256 600,000 + new data key, WebCrypto): %.0f ms", unlockMS)

	step("type the worker's passport number", func() {
		b.clickLink("/compila/" + id)
		b.waitJS("the compiler is ready", `performance.getEntriesByName("nullaosta:compiler-ready").length > 0 && !!document.getElementById("section-title")`, stepTimeout)
		b.gotoSection(em, sectionIndex(em, "lavoratore.documento.numero"))
		b.typeInto("lavoratore.documento.numero", passport)
		b.waitText(".save-note", "Salvato sul dispositivo")
		if got := b.fieldValue("lavoratore.cognome"); got != surname {
			b.fail("the worker's surname shows %q, want %q", got, surname)
		}
	})

	step("the raw IndexedDB holds none of it in clear", func() {
		rows := dump()
		sealed := 0
		for _, r := range rows {
			for _, s := range append(secrets, "lavoratore.cognome", `"data"`) {
				if strings.Contains(r[1]+r[2], s) {
					b.fail("IndexedDB %s %q keeps %q in clear: %.200s", r[0], r[1], s, r[2])
				}
			}
			if r[0] == "drafts" && r[1] == op1.email+"\x00"+id {
				if !strings.HasPrefix(r[2], "nv1.") {
					b.fail("the draft is not sealed: %.100s", r[2])
				}
				sealed++
			}
		}
		if sealed != 1 {
			b.fail("the draft %s is not in IndexedDB (%d rows)", id, len(rows))
		}
		t.Logf("IndexedDB: %d values, the draft sealed (%d characters)", len(rows), len(rowOf(rows, "drafts", op1.email+"\x00"+id)))
	})

	// A second tab of the app, open on the same module: it holds a key of its own.
	b2 := newTab(t, bctx, srv, art, false)
	b2.who = &op1
	step("a second tab opens the module (its own unlock)", func() {
		b2.navigate("/compila/" + id)
		b2.gotoSection(em, sectionIndex(em, "lavoratore.documento.numero"))
		if got := b2.fieldValue("lavoratore.documento.numero"); got != passport {
			b2.fail("the second tab shows the passport number %q, want %q", got, passport)
		}
	})

	step("«Blocca»: every page hides the data until the password", func() {
		b.clickButton("Blocca")
		b2.waitJS("the second tab locks too", `location.pathname === "/sblocca" && !!document.getElementById("unlock-password")`, stepTimeout)
		if s := call[string](b2, "personal data in the second tab", pageHidesJS, secrets); s != "" {
			b2.fail("after «Blocca» in the first tab the second still holds %q", s)
		}
		b2.close()
		b.waitJS("the unlock page", `location.pathname === "/sblocca" && !!document.getElementById("unlock-password")`, stepTimeout)
		if s := call[string](b, "personal data on the page", pageHidesJS, secrets); s != "" {
			b.fail("the locked page still holds %q", s)
		}
		for _, p := range []string{"/compila/" + id, "/compila", "/invia", "/ricevute", "/moduli", "/account"} {
			b.navigateLocked(p)
			b.waitJS("a locked "+p+" leads to /sblocca", `location.pathname === "/sblocca" && !!document.getElementById("unlock-password")`, stepTimeout)
			if s := call[string](b, "personal data on the page", pageHidesJS, secrets); s != "" {
				b.fail("locked, %s shows %q", p, s)
			}
		}
	})

	step("STOP the server; the password unlocks offline", func() {
		srv.stop()
		b.navigateLocked("/compila/" + id)
		b.unlock(op1, "/compila/"+id)
		b.gotoSection(em, sectionIndex(em, "lavoratore.documento.numero"))
		if got := b.fieldValue("lavoratore.documento.numero"); got != passport {
			b.fail("after unlocking offline the passport number is %q, want %q", got, passport)
		}
		srv.start()
	})

	step("the idle time locks by itself", func() {
		// The device's idle time, shortened to 3 s for the test (people choose 2–60 minutes).
		call[bool](b, "set the idle time", `async (v) => {
  const db = await new Promise(ok => { const r = indexedDB.open("nullaosta"); r.onsuccess = () => ok(r.result); });
  await new Promise((ok, ko) => { const tx = db.transaction("settings", "readwrite"); tx.objectStore("settings").put(v, "\u0000lockAfterSeconds"); tx.oncomplete = ok; tx.onerror = ko; });
  db.close();
  return true;
}`, "3")
		b.navigate("/compila/" + id)
		t0 := time.Now()
		b.waitJS("locked after the idle time, with no input", `location.pathname === "/sblocca" && document.documentElement.dataset.lock === "locked"`, stepTimeout)
		t.Logf("  locked %.1f s after the last input (idle time 3 s, checked every 5 s)", time.Since(t0).Seconds())
		if s := call[string](b, "personal data on the page", pageHidesJS, secrets); s != "" {
			b.fail("locked by the idle time, the page shows %q", s)
		}
		b.unlock(op1, "/compila/"+id)
		call[bool](b, "restore the idle time", `async () => {
  const db = await new Promise(ok => { const r = indexedDB.open("nullaosta"); r.onsuccess = () => ok(r.result); });
  await new Promise((ok, ko) => { const tx = db.transaction("settings", "readwrite"); tx.objectStore("settings").delete("\u0000lockAfterSeconds"); tx.oncomplete = ok; tx.onerror = ko; });
  db.close();
  return true;
}`)
	})

	step("operator 2 on the same profile sees nothing", func() {
		b.logout()
		b.login(op2)
		b.waitText("main", "Non hai ancora moduli su questo dispositivo")
		b.navigate("/compila/" + id)
		b.waitText("main", "Questo modulo non è su questo dispositivo per l'utente collegato")
		if s := call[string](b, "personal data on the page", pageHidesJS, secrets); s != "" {
			b.fail("operator 2 sees %q", s)
		}
	})

	step("operator 2 cannot decrypt, even with WebCrypto and their password", func() {
		res := call[map[string]string](b, "decrypting as operator 2", decryptAsJS, strings.ToLower(op2.email), op2.password, strings.ToLower(op1.email), id)
		want := map[string]string{
			"own key": "ok", "own profile": "ok",
			"victim's draft with own key": "failed", "victim's draft renamed": "failed", "victim's key with own password": "failed",
		}
		for k, w := range want {
			if !strings.HasPrefix(res[k], w) {
				t.Errorf("%s: %s, want %s", k, res[k], w)
			}
		}
		t.Logf("  operator 2's attempts: %v", res)
	})

	step("operator 1 logs in again: the data is back", func() {
		b.logout()
		b.login(op1)
		b.navigate("/compila/" + id)
		b.gotoSection(em, sectionIndex(em, "lavoratore.cognome"))
		if got := b.fieldValue("lavoratore.cognome"); got != surname {
			b.fail("operator 1's surname after logging in again: %q", got)
		}
	})
}

func rowOf(rows [][]string, store, key string) string {
	for _, r := range rows {
		if r[0] == store && r[1] == key {
			return r[2]
		}
	}
	return ""
}

// TestVaultAfterReset: after a password reset by e-mail the new password does not open the
// device's data; the login says so, counts what continuing without would delete, and the
// previous password recovers everything under the new one.
func TestVaultAfterReset(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, false)
	fx := emFixture(t)
	op := newAccount("reset", "Bianchi", "Giovanna", "12/03/1958")
	id := apiModule(t, srv, op, fx)

	b.navigate("/accedi")
	b.login(op)
	b.clickLink("/importa")
	b.typeID("imp-email", op.email)
	b.typeID("imp-password", op.password)
	b.clickButton("Importa")
	b.waitText(".form-status .alert-success", "Importazione completata")

	// The reset, by e-mail, elsewhere.
	c := srv.client()
	if _, err := c.call("POST", "/auth/reset", map[string]string{"email": op.email}, nil); err != nil {
		t.Fatal(err)
	}
	link := srv.waitMail(t, op.email, "reimposta la password").Link
	token := link[strings.Index(link, "token=")+len("token="):]
	renewed := op
	renewed.password = "una password nuova dopo il reset " + op.password[len(op.password)-6:]
	if _, err := c.call("POST", "/auth/reset/confirm", map[string]string{"token": token, "password": renewed.password}, nil); err != nil {
		t.Fatal(err)
	}

	b.logout()
	b.typeID("login-email", renewed.email)
	b.typeID("login-password", renewed.password)
	b.clickButton("Accedi")
	b.waitText(".form-status .alert-warning", "password precedente")
	b.waitText(".vault-recover", "1 modulo in compilazione, 0 invii in coda")
	b.typeID("login-old-password", op.password)
	b.clickButton("Recupera i dati")
	b.waitJS("after recovering the app shows /compila", `location.pathname === "/compila"`, stepTimeout)
	b.waitText("main table", id)

	// The new password now opens the data on the device, offline too.
	b.who = &renewed
	srv.stop()
	b.navigate("/compila/" + id)
	b.waitText(".module-id", id)
}
