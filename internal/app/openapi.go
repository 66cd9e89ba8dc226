package app

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// OpenAPIYAML is the API's OpenAPI 3 document, the contract that tests check
// real responses against.
//
//go:embed openapi.yaml
var OpenAPIYAML []byte

// openAPIJSON loads and validates the document and renders it as JSON, once
// at start-up.
func openAPIJSON() ([]byte, error) {
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPIYAML)
	if err != nil {
		return nil, fmt.Errorf("app: openapi: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("app: openapi: %w", err)
	}
	return json.Marshal(doc)
}
