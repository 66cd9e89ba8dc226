// Package apidoc assembles the API's OpenAPI 3 document from fragments: a
// base (info, servers, shared components) and one fragment per domain, kept
// beside the code it documents. Each fragment is a partial OpenAPI document
// with `paths` and `components`; references between fragments use the
// ordinary `#/components/...` form, which resolves once they are merged.
package apidoc

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"

	"go.yaml.in/yaml/v3"
)

// Fragment is one named part of the document, in YAML.
type Fragment struct {
	Name string // for error messages, e.g. "identity"
	YAML []byte
}

// Merge combines base and fragments into one document, as JSON. A path
// operation or a component defined twice with different content is an
// error naming both fragments.
func Merge(base Fragment, fragments ...Fragment) ([]byte, error) {
	doc, err := decode(base)
	if err != nil {
		return nil, err
	}
	owner := map[string]string{}
	for _, f := range append([]Fragment{base}, fragments...) {
		part := doc
		if f.Name != base.Name {
			if part, err = decode(f); err != nil {
				return nil, err
			}
		}
		for key, v := range part {
			switch key {
			case "paths":
				if err := mergePaths(doc, v, f.Name, owner); err != nil {
					return nil, err
				}
			case "components":
				if err := mergeComponents(doc, v, f.Name, owner); err != nil {
					return nil, err
				}
			case "tags":
				if f.Name != base.Name {
					doc["tags"] = append(asSlice(doc["tags"]), asSlice(v)...)
				}
			default:
				if f.Name != base.Name {
					return nil, fmt.Errorf("apidoc: fragment %s: only paths, components and tags may be set, not %q", f.Name, key)
				}
			}
		}
	}
	return json.Marshal(doc)
}

func decode(f Fragment) (map[string]any, error) {
	var m map[string]any
	if err := yaml.Unmarshal(f.YAML, &m); err != nil {
		return nil, fmt.Errorf("apidoc: fragment %s: %w", f.Name, err)
	}
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

func mergePaths(doc map[string]any, v any, from string, owner map[string]string) error {
	paths := asMap(doc, "paths")
	for path, ops := range asMapValue(v) {
		existing := asMap(paths, path)
		for method, op := range asMapValue(ops) {
			key := "path " + method + " " + path
			if prev, ok := existing[method]; ok && owner[key] != "" && owner[key] != from {
				if !reflect.DeepEqual(prev, op) {
					return fmt.Errorf("apidoc: %s is defined by both %s and %s", key, owner[key], from)
				}
			}
			existing[method] = op
			if owner[key] == "" {
				owner[key] = from
			}
		}
	}
	return nil
}

func mergeComponents(doc map[string]any, v any, from string, owner map[string]string) error {
	comps := asMap(doc, "components")
	sections := asMapValue(v)
	names := make([]string, 0, len(sections))
	for s := range sections {
		names = append(names, s)
	}
	sort.Strings(names)
	for _, section := range names {
		target := asMap(comps, section)
		for name, def := range asMapValue(sections[section]) {
			key := "component " + section + "/" + name
			if prev, ok := target[name]; ok && owner[key] != "" && owner[key] != from && !reflect.DeepEqual(prev, def) {
				return fmt.Errorf("apidoc: %s is defined differently by %s and %s", key, owner[key], from)
			}
			target[name] = def
			if owner[key] == "" {
				owner[key] = from
			}
		}
	}
	return nil
}

// asMap returns m[key] as a map, creating it when missing.
func asMap(m map[string]any, key string) map[string]any {
	if sub, ok := m[key].(map[string]any); ok {
		return sub
	}
	sub := map[string]any{}
	m[key] = sub
	return sub
}

func asMapValue(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}
