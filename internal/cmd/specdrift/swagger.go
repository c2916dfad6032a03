package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/turnkey-go/turnkey/api"
)

// swagger is the part of a Swagger 2.0 document the drift report reads, in
// the layout of Turnkey's public_api.swagger.json: a POST per path whose
// body parameter and 200 response refer to definitions, and the definitions
// v1Intent, v1Result and v1ActivityType.
type swagger struct {
	Swagger     string             `json:"swagger"`
	Paths       map[string]*swPath `json:"paths"`
	Definitions map[string]*node   `json:"definitions"`
	Info        map[string]any     `json:"info,omitempty"`
}

type swPath struct {
	Post *swOperation `json:"post,omitempty"`
}

type swOperation struct {
	Summary     string                `json:"summary,omitempty"`
	OperationID string                `json:"operationId,omitempty"`
	Parameters  []swParameter         `json:"parameters,omitempty"`
	Responses   map[string]swResponse `json:"responses,omitempty"`
}

type swParameter struct {
	Name     string `json:"name"`
	In       string `json:"in"`
	Required bool   `json:"required"`
	Schema   *node  `json:"schema,omitempty"`
}

type swResponse struct {
	Description string `json:"description"`
	Schema      *node  `json:"schema,omitempty"`
}

func readSwagger(path string) (*swagger, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var sw swagger
	if err := json.Unmarshal(b, &sw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !strings.HasPrefix(sw.Swagger, "2.") {
		return nil, fmt.Errorf("%s: not a Swagger 2.0 document (swagger: %q)", path, sw.Swagger)
	}
	return &sw, nil
}

// body and response name the definitions of a path's request body and 200
// response ("" if none).
func (o *swOperation) body() string {
	for _, p := range o.Parameters {
		if p.In == "body" && p.Schema != nil {
			return refName(p.Schema.Ref)
		}
	}
	return ""
}

func (o *swOperation) response() string {
	if r, ok := o.Responses["200"]; ok && r.Schema != nil {
		return refName(r.Schema.Ref)
	}
	return ""
}

// swaggerPrefix is how Turnkey's Swagger names definitions: v1Intent for our
// Intent, and so on.
const swaggerPrefix = "v1"

// toSwagger converts our OpenAPI 3.0 spec to a Swagger 2.0 document in the
// layout of Turnkey's, so that the report can be checked against the spec
// itself (it must find nothing). A body that is a oneOf of activity
// versions becomes its default version's request, as Turnkey's Swagger
// names one request per endpoint.
func toSwagger(doc *openapi3.T) (*swagger, error) {
	ops, err := api.Operations(doc)
	if err != nil {
		return nil, err
	}
	ref := func(name string) *node { return &node{Ref: "#/definitions/" + swaggerPrefix + name} }
	sw := &swagger{Swagger: "2.0", Paths: map[string]*swPath{}, Definitions: map[string]*node{},
		Info: map[string]any{"title": doc.Info.Title, "version": doc.Info.Version}}
	for _, op := range ops {
		sw.Paths[op.Path] = &swPath{Post: &swOperation{Summary: op.Summary, OperationID: "PublicApiService_" + op.ID,
			Parameters: []swParameter{{Name: "body", In: "body", Required: true, Schema: ref(op.RequestSchema)}},
			Responses:  map[string]swResponse{"200": {Description: "A successful response.", Schema: ref(op.ResponseSchema)}}}}
	}
	var rename func(n *node) *node
	rename = func(n *node) *node {
		if n == nil {
			return nil
		}
		c := *n
		if c.Ref != "" {
			c.Ref = "#/definitions/" + swaggerPrefix + c.Ref
		}
		c.Items = rename(n.Items)
		if n.Properties != nil {
			c.Properties = map[string]*node{}
			for k, p := range n.Properties {
				c.Properties[k] = rename(p)
			}
		}
		return &c
	}
	for name, n := range fromOpenAPI(doc) {
		sw.Definitions[swaggerPrefix+name] = rename(n)
	}
	return sw, nil
}
