// Package vault keeps each person's data on a shared device encrypted: a random AES-256-GCM
// data key per person, wrapped (AES-GCM) under a key derived from their password with
// PBKDF2-HMAC-SHA256 at 600,000 iterations, and held unwrapped only in memory (the Keyring)
// while they are logged in and not locked. In the browser every operation is WebCrypto's and
// the unwrapped key is a non-extractable CryptoKey; elsewhere (tests) Go's standard library
// does the same in the same format.
//
// The Keyring is the store's Sealer (store.Encrypt): every record of a person — drafts, the
// send queue, receipts, settings such as the import token and the profile — is sealed with a
// fresh random IV and the record's name (object store, owner, id) as additional data. The
// device keeps in clear only the wrapped key, who is logged in, and the keys of the records
// (the person's e-mail and the module, submission and protocol ids).
//
// Changing the password rewraps the data key; no record is encrypted again. A password reset
// by e-mail cannot open the old key: on that device the old records open only with the
// previous password, or are deleted when the person chooses to continue without them; the
// reset pages say so before. docs/DEVICE.md explains the choices and what an attacker with the
// device gets.
package vault
