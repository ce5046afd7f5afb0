//go:build !linux

package main

import "io"

func isTerminal(io.Reader) bool { return false }

// noEcho cannot turn off the echo here: the password shows while typed (use --password-file).
func noEcho(io.Reader) func() { return func() {} }
