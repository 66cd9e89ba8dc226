package app

import (
	"context"
	_ "embed"
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"htxmarket/internal/catalog"
	"htxmarket/internal/cooperative"
	"htxmarket/internal/identity"
	"htxmarket/internal/notify"
	"htxmarket/internal/order"
	"htxmarket/internal/payment"
	"htxmarket/internal/platform/apidoc"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/outbox"
	"htxmarket/internal/search"
	"htxmarket/internal/sourcing"
	"htxmarket/internal/trace"
)

// baseYAML holds the document's info, the platform's own paths and the
// components every domain shares (Problem, security schemes).
//
//go:embed openapi.yaml
var baseYAML []byte

// apiFragments lists each domain's part of the API document; a domain that
// adds routes adds its fragment here.
func apiFragments() []apidoc.Fragment {
	return []apidoc.Fragment{
		{Name: "geo", YAML: geo.OpenAPI},
		{Name: "identity", YAML: identity.OpenAPI},
		{Name: "catalog", YAML: catalog.OpenAPI},
		{Name: "cooperative", YAML: cooperative.OpenAPI},
		{Name: "cooperative-images", YAML: cooperative.ImagesOpenAPI},
		{Name: "cooperative-staff", YAML: cooperative.StaffOpenAPI},
		{Name: "search", YAML: search.OpenAPI},
		{Name: "order", YAML: order.OpenAPI},
		{Name: "payment", YAML: payment.OpenAPI},
		{Name: "trace", YAML: trace.OpenAPI},
		{Name: "notify", YAML: notify.OpenAPI},
		{Name: "outbox", YAML: outbox.OpenAPI},
		{Name: "sourcing", YAML: sourcing.OpenAPI},
	}
}

var (
	docOnce sync.Once
	docJSON []byte
	docErr  error
)

// OpenAPIDocument returns the API's OpenAPI 3 document as JSON: the base
// merged with every domain's fragment, validated. It is the contract that
// tests check real responses against, and what /api/openapi.json serves.
func OpenAPIDocument() ([]byte, error) {
	docOnce.Do(func() {
		docJSON, docErr = apidoc.Merge(apidoc.Fragment{Name: "app", YAML: baseYAML}, apiFragments()...)
		if docErr != nil {
			return
		}
		doc, err := openapi3.NewLoader().LoadFromData(docJSON)
		if err != nil {
			docErr = fmt.Errorf("app: openapi: %w", err)
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			docErr = fmt.Errorf("app: openapi: %w", err)
		}
	})
	return docJSON, docErr
}
