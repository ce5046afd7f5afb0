// Package shared is the domain of the two modules (EM and Modulo A): their schema, the campaign
// parameters, the validation rules and the wire types. It is compiled into both the browser
// client and the server, so that both judge an application with the same code and numbers.
//
// The schema (schema*.go, enums.go) describes every field as data the UI renders without
// knowing it; Validate (validate.go) checks an application with the rules of MODULI.md, each
// named after its id (rules_common.go: C3–C13, rules_em.go: E4, E5, E8, rules_a.go: A1–A4;
// C1, C2, E6 and E7 are the requirements and formats the schema states). The rules that span
// several applications (E2, E3) are CheckLimits, the send window (E1) is Campaign.SendOpen and
// the competent office (A5) is SportelloOf.
//
// Standard library only (plus the project's own shared/places and shared/codicefiscale).
// Nothing here reads the clock: the day of validation is always an argument.
package shared
