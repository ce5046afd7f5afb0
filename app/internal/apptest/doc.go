// Package apptest is what the app's tests share: an in-memory environment with a fixed day,
// the fixtures of shared/testdata, drafts on the device, a fake API server, and helpers that
// render a component and look into its HTML.
package apptest
