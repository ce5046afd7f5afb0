package client

import (
	"context"
	"net/http"
	"net/url"
)

// CreateToken obtains an import token with the account's e-mail and password ("Importa" asks
// for them; no session needed). The secret is in Token.Token, shown this once.
func (c *Client) CreateToken(ctx context.Context, email, password, label string) (Token, error) {
	var t Token
	in := struct {
		Email    string `json:"email"`
		Password string `json:"password"`
		Label    string `json:"label,omitempty"`
	}{email, password, label}
	err := c.do(ctx, http.MethodPost, "/tokens", in, &t)
	return t, err
}

// ListTokens lists the user's import tokens (without their secrets).
func (c *Client) ListTokens(ctx context.Context) ([]Token, error) {
	var ts []Token
	err := c.do(ctx, http.MethodGet, "/tokens", nil, &ts)
	return ts, err
}

// RevokeToken deletes an import token.
func (c *Client) RevokeToken(ctx context.Context, id ID) error {
	return c.do(ctx, http.MethodDelete, "/tokens/"+url.PathEscape(string(id)), nil, nil)
}

// Import downloads the user's modules and the campaigns; it needs a client WithToken.
func (c *Client) Import(ctx context.Context) (ImportResult, error) {
	var r ImportResult
	err := c.do(ctx, http.MethodGet, "/import", nil, &r)
	return r, err
}

// DevMail lists the development mailbox for an address, newest first (servers without SMTP;
// the end-to-end test reads activation links here).
func (c *Client) DevMail(ctx context.Context, to string) ([]Mail, error) {
	var ms []Mail
	err := c.do(ctx, http.MethodGet, "/dev/mail?to="+url.QueryEscape(to), nil, &ms)
	return ms, err
}
