package geo

import _ "embed"

// OpenAPI is this package's fragment of the API document.
//
//go:embed openapi.yaml
var OpenAPI []byte
