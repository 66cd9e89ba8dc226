package catalog

import _ "embed"

// SampleCSV is the demo catalog: 188 products of 154 cooperatives, loaded
// by `htxmarket seed` and used by tests.
//
//go:embed sampledata/catalog-sample.csv
var SampleCSV []byte
