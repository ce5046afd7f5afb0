package session

import (
	"nullaosta/app/client"
)

// apiMessage is what a console says about a failed call.
func ErrorText(err error) string {
	switch {
	case err == nil:
		return ""
	case client.IsOffline(err):
		return "Non c'è connessione con il server: riprova quando sei di nuovo in linea."
	case NeedLogin(err):
		return "La sessione è scaduta: accedi di nuovo."
	}
	return err.Error()
}

// NoteReachability tells the top bar whether the server answered.
func NoteReachability(err error) {
	Device.setServerDown(client.IsOffline(err))
}
