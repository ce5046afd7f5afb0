package session

import (
	"nullaosta/app/client"
)

// offlineText is what a failed call says when the page has nothing more precise to say.
const offlineText = "Non c'è connessione con il server: riprova quando sei di nuovo in linea."

// ErrorText is the one place that turns the error of a call into the Italian sentence a person
// reads. A call that got no answer (no connection, the server down) says so: offline, when
// given, is what that means on this page (what stays on the device, what needs the server),
// otherwise the general sentence. Any other error is its own message: the server's answer
// already says, in Italian, which field is wrong and what to do (an expired session included),
// and the app's own errors are written in Italian. Pages never show err.Error() themselves, so
// that the words of a transport failure are never shown.
func ErrorText(err error, offline ...string) string {
	switch {
	case err == nil:
		return ""
	case client.IsOffline(err):
		if len(offline) > 0 && offline[0] != "" {
			return offline[0]
		}
		return offlineText
	}
	return err.Error()
}

// ErrorKind is the notice's colour for the error of a call: a missing connection is a warning
// (nothing was refused, it works again once online), anything else is a refusal.
func ErrorKind(err error) string {
	if client.IsOffline(err) {
		return "warning"
	}
	return "danger"
}

// NoteReachability tells the top bar whether the server answered.
func NoteReachability(err error) {
	Device.setServerDown(client.IsOffline(err))
}
