package wire

// Receipt is the server's signed receipt of an accepted submission (docs/API.md). The server
// signs these fields; the browser keeps them on the device as they came.
type Receipt struct {
	Protocol       string `json:"protocol"` // "EM2009-0000123", increasing per campaign
	CampaignID     string `json:"campaignId"`
	ModuleID       string `json:"moduleId"`
	SubmissionID   string `json:"submissionId"`
	ReceivedAt     string `json:"receivedAt"`     // UTC, "2006-01-02T15:04:05.000Z"
	ReceivedAtRome string `json:"receivedAtRome"` // "23/11/2026 14:05:09", for people
	Sportello      string `json:"sportello"`      // the competent Sportello Unico
	Provincia      string `json:"provincia"`      // its sigla (the provincia of impiego)
	SHA256         string `json:"sha256"`         // hex, of the canonical content
	Signature      string `json:"signature"`      // base64 Ed25519
	KeyID          string `json:"keyId"`          // hex, first 8 bytes of SHA-256 of the public key
}

// ReceiptKey is one public key that signs, or signed, the server's receipts.
type ReceiptKey struct {
	KeyID     string `json:"keyId"`     // hex, first 8 bytes of SHA-256 of the key
	Algorithm string `json:"algorithm"` // "Ed25519"
	PublicKey string `json:"publicKey"` // base64 of the 32-byte key
	Current   bool   `json:"current"`   // the key new receipts are signed with
}

// ReceiptKeys is what GET /api/v1/receipts/keys answers: the current key and every retired
// one, so that receipts signed before a key rotation keep verifying.
type ReceiptKeys struct {
	Keys []ReceiptKey `json:"keys"`
}
