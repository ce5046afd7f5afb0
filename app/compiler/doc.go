// Package compiler is the applicant's side of the app: generating a module, importing modules
// to the device, the list of drafts, the compiler itself (every field drawn from the schema,
// validated on every keystroke), sending through the queue, and the receipts.
package compiler
