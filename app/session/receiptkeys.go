package session

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"

	"nullaosta/app/store"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// settingReceiptKeys is the device-wide setting (user "") that keeps the server's receipt keys
// (JSON wire.ReceiptKeys): public, the same for everyone, and needed offline by «Verifica
// ricevuta», which anyone may open, logged in or not.
const settingReceiptKeys = "receiptKeys"

// RefreshReceiptKeys asks the server for the keys its receipts are or were signed with and
// keeps them on the device, replacing what was kept: the server's list is the authority, so a
// key it withdraws stops verifying here too.
func RefreshReceiptKeys(ctx context.Context) error {
	env := Environment()
	if env.API == nil {
		return ErrNoServer
	}
	ks, err := env.API.ReceiptKeys(ctx)
	NoteReachability(err)
	if err != nil {
		return err
	}
	if len(keyMap(ks)) == 0 {
		return errors.New("il server non ha indicato alcuna chiave di firma valida")
	}
	b, err := json.Marshal(ks)
	if err != nil {
		return err
	}
	return env.Store.PutSetting(ctx, "", settingReceiptKeys, string(b))
}

// ReceiptKeys returns the receipt keys kept on the device, key id → Ed25519 public key; empty
// when the device never reached the server.
func ReceiptKeys(ctx context.Context) (map[string][]byte, error) {
	s, err := Environment().Store.GetSetting(ctx, "", settingReceiptKeys)
	if errors.Is(err, store.ErrNotFound) {
		return map[string][]byte{}, nil
	}
	if err != nil {
		return nil, err
	}
	var ks wire.ReceiptKeys
	if err := json.Unmarshal([]byte(s), &ks); err != nil {
		return map[string][]byte{}, nil
	}
	return keyMap(ks), nil
}

func keyMap(ks wire.ReceiptKeys) map[string][]byte {
	m := map[string][]byte{}
	for _, k := range ks.Keys {
		pub, err := base64.StdEncoding.DecodeString(k.PublicKey)
		// A key is named by its own hash: an id that does not match is not that key.
		if err != nil || k.Algorithm != "Ed25519" || len(pub) != 32 || shared.ReceiptKeyID(pub) != k.KeyID {
			continue
		}
		m[k.KeyID] = pub
	}
	return m
}
