package client

import (
	"context"
	"net/http"
)

// Registration is the sign-up form.
type Registration struct {
	Cognome     string `json:"cognome"`
	Nome        string `json:"nome"`
	Email       string `json:"email"`
	DataNascita string `json:"dataNascita"` // YYYY-MM-DD
	Password    string `json:"password"`
}

type messageBody struct {
	Message string `json:"message"`
}

// Register creates an account; the answer is the server's message (an activation e-mail
// follows).
func (c *Client) Register(ctx context.Context, r Registration) (string, error) {
	var out messageBody
	err := c.do(ctx, http.MethodPost, "/auth/register", r, &out)
	return out.Message, err
}

// Activate confirms the e-mail with the token from the activation link and the password
// chosen at registration.
func (c *Client) Activate(ctx context.Context, token, password string) (string, error) {
	var out messageBody
	err := c.do(ctx, http.MethodPost, "/auth/activate", map[string]string{"token": token, "password": password}, &out)
	return out.Message, err
}

// Login starts a session; the server sets the session cookie.
func (c *Client) Login(ctx context.Context, email, password string) (User, error) {
	var u User
	err := c.do(ctx, http.MethodPost, "/auth/login", map[string]string{"email": email, "password": password}, &u)
	return u, err
}

// Logout ends the session.
func (c *Client) Logout(ctx context.Context) error {
	return c.do(ctx, http.MethodPost, "/auth/logout", nil, nil)
}

// Me returns the logged-in user; an *Error with CodeUnauthorized when nobody is.
func (c *Client) Me(ctx context.Context) (User, error) {
	var u User
	err := c.do(ctx, http.MethodGet, "/me", nil, &u)
	return u, err
}

// ChangePassword changes the logged-in user's password.
func (c *Client) ChangePassword(ctx context.Context, oldPassword, newPassword string) error {
	return c.do(ctx, http.MethodPost, "/auth/password",
		map[string]string{"oldPassword": oldPassword, "newPassword": newPassword}, nil)
}

// RequestReset asks for a password-reset e-mail. The server answers the same whether or not
// the account exists.
func (c *Client) RequestReset(ctx context.Context, email string) (string, error) {
	var out messageBody
	err := c.do(ctx, http.MethodPost, "/auth/reset", map[string]string{"email": email}, &out)
	return out.Message, err
}

// ConfirmReset sets a new password with the token from the reset e-mail.
// CheckReset asks whether a reset link still works (POST /auth/reset/check), so that the page
// says so before the person types a new password twice.
func (c *Client) CheckReset(ctx context.Context, token string) error {
	return c.do(ctx, http.MethodPost, "/auth/reset/check", map[string]string{"token": token}, nil)
}

func (c *Client) ConfirmReset(ctx context.Context, token, password string) error {
	return c.do(ctx, http.MethodPost, "/auth/reset/confirm",
		map[string]string{"token": token, "password": password}, nil)
}
