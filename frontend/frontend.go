// Package frontend embeds the built single-page application (frontend/dist).
//
// A fresh clone has only dist/.gitkeep, so the Go code builds before the
// frontend does; the server then shows a placeholder page (see web.SPA).
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built application, rooted at dist/.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		// fs.Sub fails only for an invalid path, and "dist" is valid.
		panic(err)
	}
	return sub
}
