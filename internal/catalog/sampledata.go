package catalog

import _ "embed"

// SampleCSV is the demo catalog: 154 products in 188 packagings of 154
// cooperatives (the product column groups them), loaded
// by `htxmarket seed` and used by tests.
//
//go:embed sampledata/catalog-sample.csv
var SampleCSV []byte
