// Package app is the Nullaosta web app (go-app v10, in Italian): its one route table (path →
// page, menu entry, console tab, roles), the page handler the server serves it with, the
// service worker, and Start, which prepares the browser. The pages live in packages by
// audience: site (the public website and accounts), compiler (generate, import, drafts,
// compile, send, receipts) and backoffice (enablement, the Ministry, the Sportello Unico),
// drawn with the widgets of ui over the client state of session. The wasm main (app/wasm) and
// the server both register the same routes.
package app
