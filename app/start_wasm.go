package app

import (
	"context"
	"fmt"
	"sync"
	"time"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/compiler"
	"nullaosta/app/outbox"
	"nullaosta/app/session"
	"nullaosta/app/store"
	"nullaosta/app/vault"
	"nullaosta/shared"
	"nullaosta/shared/places"
)

// dbName is the IndexedDB database of the app.
const dbName = "nullaosta"

// updateEvery is how often the app asks for a new version (go-app v10 checks only at load).
const updateEvery = 30 * time.Minute

// Start prepares the browser: the IndexedDB store (drafts, queue, receipts), the API client of
// this origin, the send queue and its watcher, the connection status, persistent storage, the
// saving of drafts when the page is hidden, and the periodic check for a new version.
// Call it before goapp.RunWhenOnBrowser.
//
// Only what the first page needs comes before its render (RunWhenOnBrowser renders it at
// once): the store and who is logged in. The send queue's watcher, the storage check and the
// version check start once that page is painted (afterFirstPaint).
func Start() {
	session.Mark("nullaosta:start")
	ctx := context.Background()
	st, err := store.OpenIndexedDB(ctx, dbName)
	session.Mark("nullaosta:store-open")
	if err != nil {
		st = store.NewMemory()
		session.Device.SetStorageWarning("Questo browser non permette di salvare i dati sul dispositivo (navigazione privata?): i moduli resteranno solo finché la pagina è aperta.")
	}
	// Every record of a person is encrypted under their data key, which is in memory only
	// once they log in or unlock: nothing of the start-up waits for it.
	keys := vault.NewKeyring()
	if est, eerr := store.Encrypt(st, keys); eerr == nil {
		st = est
	}
	origin := goapp.Window().Get("location").Get("origin").String()
	api := client.New(origin, nil)
	q := &outbox.Queue{Store: st, Sender: compiler.UserSender{}, ServerOffset: api.ServerOffset}
	session.Use(session.Env{Store: st, API: api, Queue: q, Now: time.Now, Keys: keys})
	unlockFirst(ctx)
	go session.WatchIdle(ctx)

	watchConnection()
	watchPageHide()
	afterFirstPaint(func() {
		if session.CachedUser() != "" {
			whenIdle(warmUp)
		}
		go outbox.Watch(ctx, q, cachedUserOrLoad, func(outbox.Report) { session.Changes.Notify(session.TopicQueue) })
		if err == nil {
			go checkStorage(ctx)
		}
		go func() {
			// At start (go-app registers the worker asynchronously, so once more a little
			// later), then periodically: v10 has no periodic check of its own.
			goapp.TryUpdate()
			time.Sleep(15 * time.Second)
			for {
				goapp.TryUpdate()
				time.Sleep(updateEvery)
			}
		}()
	})
	// Who logs in changes whose queue to send: wake the watcher.
	session.Changes.Subscribe(q.Kick, session.TopicUser)
	session.Mark("nullaosta:started")
}

// unlockFirst reads who is logged in before the first render. A reload forgets the data key,
// so someone logged in is locked: the page asked for would be rendered, then left for the
// unlock page by the lock (ui.lockWatch). Going to the unlock page at once renders only that
// page: in the trace of an offline reload of /compila/{id}, rendering the compiler and then
// leaving it cost 70–80 ms before the password box appeared.
func unlockFirst(ctx context.Context) {
	session.CurrentUser(ctx)
	loc := goapp.Window().Get("location")
	if u := unlockURL(session.Locked(), loc.Get("pathname").String(), loc.Get("search").String()); u != "" {
		goapp.Window().Get("history").Call("replaceState", nil, "", u)
	}
}

// afterFirstPaint runs f once the browser has painted the first page: after the next animation
// frame (the one that paints what RunWhenOnBrowser rendered), in a task of its own. A page
// opened in a background tab gets no frames: there f runs after a second.
func afterFirstPaint(f func()) {
	var once sync.Once
	var frame, task goapp.Func
	task = goapp.FuncOf(func(goapp.Value, []goapp.Value) any {
		once.Do(func() {
			task.Release()
			frame.Release()
			f()
		})
		return nil
	})
	frame = goapp.FuncOf(func(goapp.Value, []goapp.Value) any {
		goapp.Window().Call("setTimeout", task, 0)
		return nil
	})
	goapp.Window().Call("requestAnimationFrame", frame)
	goapp.Window().Call("setTimeout", task, 1000)
}

// warmUp builds, while the person types the password or reads the page, what opening a module
// needs and would otherwise build then: both modules' schemas and the reference data that
// validating a draft looks up (places.Preload). Someone not logged in is not warmed up for.
// Each step is a task of its own: done at once they held the page 76 ms in a trace, a delay
// for a key typed meanwhile.
func warmUp() {
	shared.SchemaOf(shared.KindEM)
	whenIdle(func() {
		shared.SchemaOf(shared.KindA)
		whenIdle(places.Preload)
	})
}

// whenIdle runs f when the browser is idle (requestIdleCallback, with a deadline of a second),
// or after a second where the browser has no idle callbacks.
func whenIdle(f func()) {
	var cb goapp.Func
	cb = goapp.FuncOf(func(goapp.Value, []goapp.Value) any {
		cb.Release()
		f()
		return nil
	})
	if w := goapp.Window(); w.Get("requestIdleCallback").Truthy() {
		w.Call("requestIdleCallback", cb, map[string]any{"timeout": 1000})
	} else {
		w.Call("setTimeout", cb, 1000)
	}
}

func cachedUserOrLoad() string { return session.CurrentUser(context.Background()) }

// watchConnection follows navigator.onLine and the online/offline events.
func watchConnection() {
	nav := goapp.Window().Get("navigator")
	if v := nav.Get("onLine"); v.Truthy() || !v.IsUndefined() {
		session.Device.SetOnline(v.Bool())
	}
	on := goapp.FuncOf(func(goapp.Value, []goapp.Value) any {
		go func() {
			session.Device.SetOnline(true)
			goapp.TryUpdate()
		}()
		return nil
	})
	off := goapp.FuncOf(func(goapp.Value, []goapp.Value) any {
		go session.Device.SetOnline(false)
		return nil
	})
	goapp.Window().Call("addEventListener", "online", on)
	goapp.Window().Call("addEventListener", "offline", off)
}

// watchPageHide writes pending drafts when the page is hidden or closed.
func watchPageHide() {
	flush := goapp.FuncOf(func(goapp.Value, []goapp.Value) any {
		go session.FlushAll()
		return nil
	})
	goapp.Window().Call("addEventListener", "pagehide", flush)
	vis := goapp.FuncOf(func(goapp.Value, []goapp.Value) any {
		if goapp.Window().Get("document").Get("visibilityState").String() == "hidden" {
			go session.FlushAll()
		}
		return nil
	})
	goapp.Window().Get("document").Call("addEventListener", "visibilitychange", vis)
}

// lowSpace is the free storage under which the person is warned.
const lowSpace = 50 << 20

// checkStorage asks for persistent storage and warns when it is refused or space runs short.
func checkStorage(ctx context.Context) {
	granted, perr := store.RequestPersistence(ctx)
	usage, quota, qerr := store.Estimate(ctx)
	var msg string
	switch {
	case qerr == nil && quota > 0 && quota-usage < lowSpace:
		msg = fmt.Sprintf("Spazio di archiviazione quasi esaurito (liberi %d MB): invia i moduli completati e libera spazio nel browser, altrimenti le modifiche potrebbero non essere salvate.", (quota-usage)>>20)
	case perr == nil && !granted:
		// Said once, calmly, in the compiler after a draft is saved (ui.StorageNotice), not
		// as a warning on every page.
		session.Device.SetPersistenceRefused(true)
	}
	if msg != "" {
		session.Device.SetStorageWarning(msg)
	}
}

// GiveTurn ends the browser's current task and returns in a new one on a first visit (the
// loader's nullaostaFirstVisit, app/loader.go): the caller blocks on a zero timeout, and with
// no goroutine left to run, Go's scheduler returns to JavaScript. The start-up calls it
// between its steps (the package initialisers, the store and who is logged in, the first
// render), so that each is a task of its own and input and frames can come between them,
// rather than one task of hundreds of milliseconds on a slow phone. A start from the service
// worker's cache has V8's compiled code and short steps: there it returns at once.
func GiveTurn() {
	if !goapp.Window().Get("nullaostaFirstVisit").Truthy() {
		return
	}
	done := make(chan struct{})
	f := goapp.FuncOf(func(goapp.Value, []goapp.Value) any {
		close(done)
		return nil
	})
	goapp.Window().Call("setTimeout", f, 0)
	<-done
	f.Release()
}

// WarmingUp reports whether this Go program runs in app.wasm's compiling worker to warm the
// module up (app/loader.go, compileJS): there main returns at once, after the runtime's start
// and the package initialisers, with no page to run in.
func WarmingUp() bool {
	return goapp.Window().Get("nullaostaWarmUp").Truthy()
}
