package postgres_test

import (
	"testing"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/storetest"
)

func TestStore(t *testing.T) {
	storetest.PostgresURL(t)
	storetest.Run(t, func(t *testing.T) comuna.Store { return storetest.Postgres(t) })
}

// BenchmarkNational loads the national data set; run it with
//
//	COMUNA_TEST_POSTGRES=postgres://… go test -run '^$' -bench National -benchtime 1x ./internal/postgres/
func BenchmarkNational(b *testing.B) {
	storetest.PostgresURL(b)
	storetest.BenchmarkNational(b, func(b *testing.B) comuna.Store { return storetest.Postgres(b) })
}
