package session

import (
	"sync"
)

// deviceState is what the browser tells about the device: the connection and the storage.
type deviceState struct {
	mu               sync.Mutex
	online           bool // navigator.onLine
	serverDown       bool // the last request got no answer although the browser is online
	storageWarning   string
	warningDismissed bool
	// persistRefused: the browser did not grant persistent storage. Not an alarm: the
	// compiler says it once, calmly, where drafts are saved (StorageNotice).
	persistRefused bool
}

// SetPersistenceRefused records whether the browser refused persistent storage.
func (d *deviceState) SetPersistenceRefused(v bool) {
	d.setFlag(&d.persistRefused, v)
}

// PersistenceRefused reports whether the browser refused persistent storage.
func (d *deviceState) PersistenceRefused() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.persistRefused
}

// setServerDown records whether the server answered the last request.
func (d *deviceState) setServerDown(v bool) {
	d.setFlag(&d.serverDown, v)
}

func (d *deviceState) IsServerDown() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.serverDown
}

var Device = &deviceState{online: true}

// setFlag sets one of the device's flags and tells the subscribers only when it changed, so a
// repeated report (every failed request says "server down") wakes no page.
func (d *deviceState) setFlag(f *bool, v bool) {
	d.mu.Lock()
	changed := *f != v
	*f = v
	d.mu.Unlock()
	if changed {
		Changes.Notify(TopicDevice)
	}
}

func (d *deviceState) SetOnline(v bool) {
	d.setFlag(&d.online, v)
}

func (d *deviceState) IsOnline() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.online
}

func (d *deviceState) SetStorageWarning(s string) {
	d.mu.Lock()
	d.storageWarning = s
	d.mu.Unlock()
	Changes.Notify(TopicDevice)
}

func (d *deviceState) Warning() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.warningDismissed {
		return ""
	}
	return d.storageWarning
}

// DismissWarning hides the storage warning until the app is loaded again.
func (d *deviceState) DismissWarning() {
	d.mu.Lock()
	d.warningDismissed = true
	d.mu.Unlock()
	Changes.Notify(TopicDevice)
}
