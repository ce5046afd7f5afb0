package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"nullaosta/shared"
)

// Campaigns lists the campaigns the server runs, one per kind.
func (c *Client) Campaigns(ctx context.Context) ([]shared.Campaign, error) {
	var cs []shared.Campaign
	err := c.do(ctx, http.MethodGet, "/campaigns", nil, &cs)
	return cs, err
}

// RefDataVersion returns the version of the server's reference data (shared/places), to tell
// whether the app's lists of comuni and countries match the server's.
func (c *Client) RefDataVersion(ctx context.Context) (string, error) {
	var out struct {
		Version string `json:"version"`
	}
	err := c.do(ctx, http.MethodGet, "/refdata", nil, &out)
	return out.Version, err
}

// GenerateModule asks for a new module of kind with its generation data. When the data is
// invalid, the error is an *Error with CodeInvalid and the field problems are returned too,
// for the form to show beside each field.
func (c *Client) GenerateModule(ctx context.Context, kind shared.Kind, data shared.Data) (Module, []shared.Problem, error) {
	var m Module
	in := struct {
		Kind shared.Kind `json:"kind"`
		Data shared.Data `json:"data"`
	}{kind, data}
	err := c.do(ctx, http.MethodPost, "/modules", in, &m)
	var e *Error
	if errors.As(err, &e) {
		return Module{}, e.Problems, err
	}
	return m, nil, err
}

// ListModules lists the logged-in user's modules.
func (c *Client) ListModules(ctx context.Context) ([]Module, error) {
	var ms []Module
	err := c.do(ctx, http.MethodGet, "/modules", nil, &ms)
	return ms, err
}

// GetModule returns one of the user's modules.
func (c *Client) GetModule(ctx context.Context, id string) (Module, error) {
	var m Module
	err := c.do(ctx, http.MethodGet, "/modules/"+url.PathEscape(id), nil, &m)
	return m, err
}

// Validate checks data with the server's rules on date (YYYY-MM-DD; "" for today). The app
// validates locally with shared/; this is for checking that both agree.
func (c *Client) Validate(ctx context.Context, kind shared.Kind, date string, data shared.Data) (shared.Result, error) {
	var r shared.Result
	in := struct {
		Module shared.Kind `json:"module"`
		Date   string      `json:"date,omitempty"`
		Data   shared.Data `json:"data"`
	}{kind, date, data}
	err := c.do(ctx, http.MethodPost, "/validate", in, &r)
	return r, err
}
