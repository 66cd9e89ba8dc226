package apidoc

import (
	"encoding/json"
	"strings"
	"testing"
)

const base = `
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /healthz:
    get: {responses: {"200": {description: ok}}}
components:
  schemas:
    Problem: {type: object}
`

func TestMerge(t *testing.T) {
	out, err := Merge(Fragment{"base", []byte(base)},
		Fragment{"geo", []byte(`
tags: [{name: geo}]
paths:
  /api/v1/provinces:
    get: {responses: {"200": {description: ok}}}
components:
  schemas:
    Province: {type: object}
`)},
		Fragment{"identity", []byte(`
paths:
  /api/v1/provinces:
    post: {responses: {"201": {description: created}}}
components:
  schemas:
    Problem: {type: object}
`)})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths      map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
		Tags []map[string]string `json:"tags"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Paths) != 2 || len(doc.Paths["/api/v1/provinces"]) != 2 {
		t.Errorf("paths: %v", doc.Paths)
	}
	if len(doc.Components.Schemas) != 2 || len(doc.Tags) != 1 {
		t.Errorf("components %v tags %v", doc.Components.Schemas, doc.Tags)
	}
}

func TestMergeConflicts(t *testing.T) {
	tests := []struct{ name, fragment, want string }{
		{"same operation twice", `
paths:
  /healthz:
    get: {responses: {"204": {description: other}}}`, "path get /healthz is defined by both base and x"},
		{"component defined differently", `
components:
  schemas:
    Problem: {type: string}`, "component schemas/Problem is defined differently by base and x"},
		{"info in a fragment", `info: {title: X}`, `only paths, components and tags may be set, not "info"`},
		{"bad YAML", "paths: [", "fragment x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Merge(Fragment{"base", []byte(base)}, Fragment{"x", []byte(tt.fragment)})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
}
