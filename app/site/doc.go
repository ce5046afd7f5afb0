// Package site is the public website and the accounts: the home page, registration,
// activation, login and logout (online, and offline on a device used before), password reset,
// the account page and the list of a person's modules.
package site
