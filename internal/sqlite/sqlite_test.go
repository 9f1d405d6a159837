package sqlite_test

import (
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) comuna.Store { return storetest.SQLite(t) })
}

// BenchmarkNational loads the national data set; run it with
//
//	go test -run '^$' -bench National -benchtime 1x ./internal/sqlite/
func BenchmarkNational(b *testing.B) {
	storetest.BenchmarkNational(b, func(b *testing.B) comuna.Store { return storetest.SQLite(b) })
}
