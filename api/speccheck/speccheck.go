// Package speccheck finds what an OpenAPI document leaves undocumented and
// checks its examples against their schemas. internal/cmd/specstats prints its
// counts in CI; its tests hold api/openapi.yaml to zero gaps.
package speccheck

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Load parses and validates an OpenAPI document.
func Load(ctx context.Context, data []byte) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("speccheck: parse: %w", err)
	}
	if err := doc.Validate(ctx); err != nil {
		return nil, fmt.Errorf("speccheck: validate: %w", err)
	}
	return doc, nil
}

// Gaps lists what is missing, each entry a location such as
// "schema Wallet", "property Wallet.walletId" or "operation GetWallet: request".
type Gaps struct {
	Schemas    []string // component schemas without a description
	Properties []string // properties without a description
	Operations []string // operations without an example request body or 200 answer
}

// Empty reports whether nothing is missing.
func (g Gaps) Empty() bool {
	return len(g.Schemas)+len(g.Properties)+len(g.Operations) == 0
}

// All returns every gap, one line each.
func (g Gaps) All() []string {
	var out []string
	for _, s := range g.Schemas {
		out = append(out, "undescribed schema "+s)
	}
	for _, s := range g.Properties {
		out = append(out, "undescribed property "+s)
	}
	for _, s := range g.Operations {
		out = append(out, "no example: "+s)
	}
	return out
}

// Find walks the component schemas (with their inline object properties) and
// the operations of doc. A property that is a $ref is described by the schema
// it refers to: OpenAPI 3.0 ignores the siblings of $ref, so that is the
// description every tool shows.
func Find(doc *openapi3.T) Gaps {
	var g Gaps
	for _, name := range sortedKeys(doc.Components.Schemas) {
		ref := doc.Components.Schemas[name]
		if ref.Value == nil {
			continue
		}
		if strings.TrimSpace(ref.Value.Description) == "" {
			g.Schemas = append(g.Schemas, name)
		}
		g.Properties = append(g.Properties, undescribedProperties(name, ref.Value, 0)...)
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for _, op := range item.Operations() {
			id := op.OperationID
			if id == "" {
				id = path
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				if !hasExample(op.RequestBody.Value.Content.Get("application/json")) {
					g.Operations = append(g.Operations, id+": request")
				}
			}
			if r := op.Responses.Status(200); r != nil && r.Value != nil {
				if !hasExample(r.Value.Content.Get("application/json")) {
					g.Operations = append(g.Operations, id+": 200 answer")
				}
			}
		}
	}
	sort.Strings(g.Operations)
	return g
}

func undescribedProperties(owner string, s *openapi3.Schema, depth int) []string {
	if depth > 8 {
		return nil
	}
	var out []string
	for _, pn := range sortedKeys(s.Properties) {
		p := s.Properties[pn]
		if p.Value == nil {
			continue
		}
		if strings.TrimSpace(p.Value.Description) == "" {
			out = append(out, owner+"."+pn)
		}
		if p.Ref != "" {
			continue // the component is walked on its own
		}
		inner := p.Value
		if inner.Items != nil && inner.Items.Ref == "" && inner.Items.Value != nil {
			inner = inner.Items.Value
		}
		out = append(out, undescribedProperties(owner+"."+pn, inner, depth+1)...)
	}
	for _, sub := range append(append(append([]*openapi3.SchemaRef{}, s.AllOf...), s.OneOf...), s.AnyOf...) {
		if sub.Ref == "" && sub.Value != nil {
			out = append(out, undescribedProperties(owner, sub.Value, depth+1)...)
		}
	}
	return out
}

func hasExample(mt *openapi3.MediaType) bool {
	return mt != nil && (mt.Example != nil || len(mt.Examples) > 0)
}

// Example is one example of an operation: its request body or its 200 answer.
type Example struct {
	Operation string
	Part      string // "request" or "200 answer"
	Name      string // key in examples, or "example"
	Value     any
	Schema    *openapi3.SchemaRef
}

// Examples returns every example of doc's operations with the schema it must match.
func Examples(doc *openapi3.T) []Example {
	var out []Example
	add := func(op, part string, mt *openapi3.MediaType) {
		if mt == nil {
			return
		}
		if mt.Example != nil {
			out = append(out, Example{op, part, "example", mt.Example, mt.Schema})
		}
		for _, k := range sortedKeys(mt.Examples) {
			if e := mt.Examples[k]; e != nil && e.Value != nil {
				out = append(out, Example{op, part, k, e.Value.Value, mt.Schema})
			}
		}
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				add(op.OperationID, "request", op.RequestBody.Value.Content.Get("application/json"))
			}
			if r := op.Responses.Status(200); r != nil && r.Value != nil {
				add(op.OperationID, "200 answer", r.Value.Content.Get("application/json"))
			}
		}
	}
	return out
}

// Validate checks an example against its schema, as a JSON value.
func (e Example) Validate() error {
	if e.Schema == nil || e.Schema.Value == nil {
		return fmt.Errorf("%s %s: no schema", e.Operation, e.Part)
	}
	// Round-trip through JSON so that YAML-decoded values are JSON values.
	b, err := json.Marshal(e.Value)
	if err != nil {
		return fmt.Errorf("%s %s: %w", e.Operation, e.Part, err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("%s %s: %w", e.Operation, e.Part, err)
	}
	if err := e.Schema.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		return fmt.Errorf("%s %s example %s: %w", e.Operation, e.Part, e.Name, err)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
