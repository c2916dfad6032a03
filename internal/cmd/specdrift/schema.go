package main

import (
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// node is a schema reduced to what the drift report compares, the same for
// our OpenAPI 3.0 spec and for a Swagger 2.0 file: a reference to a named
// schema, or a type with its format, enum values, items, properties and
// required properties.
type node struct {
	Ref        string           `json:"$ref,omitempty"` // name of a definition / component schema
	Type       string           `json:"type,omitempty"`
	Format     string           `json:"format,omitempty"`
	Enum       []any            `json:"enum,omitempty"`
	Items      *node            `json:"items,omitempty"`
	Properties map[string]*node `json:"properties,omitempty"`
	Required   []string         `json:"required,omitempty"`
}

// defs is one side's named schemas.
type defs map[string]*node

// resolve follows n's references to the schema they name (nil if missing).
func (d defs) resolve(n *node) *node {
	for i := 0; n != nil && n.Ref != "" && i < 32; i++ {
		n = d[refName(n.Ref)]
	}
	return n
}

// kind is the JSON type of a resolved schema: its type, or "object" when it
// has properties.
func kind(n *node) string {
	switch {
	case n == nil:
		return ""
	case n.Type != "":
		return n.Type
	case len(n.Properties) > 0:
		return "object"
	case n.Items != nil:
		return "array"
	}
	return ""
}

// describe names the type of a schema for the report, e.g. "string",
// "array of string", "integer (int32)", "object ApiKeyParamsV2".
func (d defs) describe(n *node) string {
	r := d.resolve(n)
	k := kind(r)
	switch {
	case r == nil:
		return "unknown"
	case k == "array":
		return "array of " + d.describe(r.Items)
	case n.Ref != "" && k == "object":
		return "object " + refName(n.Ref)
	case r.Format != "":
		return k + " (" + r.Format + ")"
	case len(r.Enum) > 0:
		return k + " enum"
	}
	return k
}

func refName(ref string) string {
	return ref[strings.LastIndexByte(ref, '/')+1:]
}

// fromOpenAPI reduces the component schemas of an OpenAPI 3.0 document.
func fromOpenAPI(doc *openapi3.T) defs {
	d := defs{}
	for name, s := range doc.Components.Schemas {
		d[name] = reduce(s)
	}
	return d
}

func reduce(s *openapi3.SchemaRef) *node {
	if s == nil {
		return nil
	}
	if s.Ref != "" {
		return &node{Ref: refName(s.Ref)}
	}
	v := s.Value
	n := &node{Format: v.Format, Enum: v.Enum, Required: v.Required}
	if v.Type != nil && len(*v.Type) > 0 {
		n.Type = (*v.Type)[0]
	}
	if v.Items != nil {
		n.Items = reduce(v.Items)
	}
	if len(v.Properties) > 0 {
		n.Properties = map[string]*node{}
		for name, p := range v.Properties {
			n.Properties[name] = reduce(p)
		}
	}
	return n
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
