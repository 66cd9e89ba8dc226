// Package migrations holds the SQL schema changes of HTX Market, applied in
// order by goose and embedded in the binary.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
