// Package session is the client's state: the environment (device store, API client, send
// queue, clock), who is logged in on the device and their profile, the device's connection
// and storage, the savers that keep every form's drafts, the offline login, and the change
// notifier, by topic, that tells the mounted pages what changed. ErrorText turns the error of a
// call into the Italian sentence a person reads (the page's words for a missing connection),
// for every page.
//
// go-app's own state (ctx.SetState / ObserveState) is not used here: it lives in the
// component tree of a running app and is reached through a goapp.Context, while this state is
// read outside any component too (the service worker's send queue, the pagehide flush, the
// tests that run without a browser), and it must outlive page changes without being encoded
// as JSON on every write. The topics play the part of ObserveState for the pages.
package session
