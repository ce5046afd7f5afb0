// Package backoffice holds the consoles: the request for the enablement of operators that a
// comune or patronato sends, the Ministry's console (requests, operators, statistics, audit
// log) and the Sportello Unico's list and detail of applications.
package backoffice
