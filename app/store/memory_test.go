package store_test

import (
	"testing"

	"nullaosta/app/store"
	"nullaosta/app/store/storetest"
)

func TestMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return store.NewMemory() })
}

func TestMemoryEncrypted(t *testing.T) {
	storetest.RunEncrypted(t, func(t *testing.T) store.Store { return store.NewMemory() })
}
