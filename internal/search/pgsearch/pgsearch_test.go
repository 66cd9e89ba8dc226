package pgsearch_test

import (
	"testing"

	"htxmarket/internal/platform/db/dbtest"
	"htxmarket/internal/search"
	"htxmarket/internal/search/pgsearch"
	"htxmarket/internal/search/searchtest"
)

func TestContract(t *testing.T) {
	searchtest.Run(t, func(t *testing.T) search.Engine {
		return pgsearch.New(dbtest.New(t))
	})
}
