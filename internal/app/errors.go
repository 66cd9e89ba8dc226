package app

import (
	"net/http"

	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/web"
)

// errorRules is the one table that maps the domains' errors to HTTP
// statuses and problem types. Handlers just return errors; anything not
// listed here becomes a logged 500.
var errorRules = []web.Rule{
	{Err: geo.ErrUnknownProvince, Status: http.StatusNotFound, Type: "unknown-province"},
	{Err: geo.ErrEmptyName, Status: http.StatusBadRequest, Type: "validation"},
}
