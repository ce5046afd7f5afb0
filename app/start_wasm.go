package app

import (
	"context"
	"fmt"
	"time"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/compiler"
	"nullaosta/app/outbox"
	"nullaosta/app/session"
	"nullaosta/app/store"
	"nullaosta/app/vault"
)

// dbName is the IndexedDB database of the app.
const dbName = "nullaosta"

// updateEvery is how often the app asks for a new version (go-app v10 checks only at load).
const updateEvery = 30 * time.Minute

// Start prepares the browser: the IndexedDB store (drafts, queue, receipts), the API client of
// this origin, the send queue and its watcher, the connection status, persistent storage, the
// saving of drafts when the page is hidden, and the periodic check for a new version.
// Call it before goapp.RunWhenOnBrowser.
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
	go session.WatchIdle(ctx)

	watchConnection()
	watchPageHide()
	go outbox.Watch(ctx, q, cachedUserOrLoad, func(outbox.Report) { session.Changes.Notify(session.TopicQueue) })
	if err == nil {
		go checkStorage(ctx)
	}
	go func() {
		// At start (go-app registers the worker asynchronously, so once more a little later),
		// then periodically: v10 has no periodic check of its own.
		goapp.TryUpdate()
		time.Sleep(15 * time.Second)
		for {
			goapp.TryUpdate()
			time.Sleep(updateEvery)
		}
	}()
	// Who logs in changes whose queue to send: wake the watcher.
	session.Changes.Subscribe(q.Kick, session.TopicUser)
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
