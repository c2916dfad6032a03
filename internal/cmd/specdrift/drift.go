package main

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/turnkey-go/turnkey/api"
)

// The kinds of change the report lists; --fail-on takes them.
const (
	NewVersion      = "new-version"      // an activity version of one of our submits the spec lacks
	VersionRemoved  = "version-removed"  // a version the spec lists that Turnkey no longer does
	FieldAdded      = "field-added"      // a property Turnkey has and the spec lacks
	FieldRemoved    = "field-removed"    // a property the spec has and Turnkey no longer does
	FieldRetyped    = "field-retyped"    // a property whose JSON type (or format) differs
	RequiredChanged = "required-changed" // a property required on one side only
	EnumAdded       = "enum-added"       // an enum value Turnkey has and the spec lacks
	EnumRemoved     = "enum-removed"     // an enum value the spec has and Turnkey no longer does
	NewEndpoint     = "new-endpoint"     // an endpoint Turnkey has and the spec lacks
	EndpointRemoved = "endpoint-removed" // an endpoint the spec has and Turnkey no longer does
)

// Kinds lists every kind, in report order.
var Kinds = []string{NewEndpoint, EndpointRemoved, NewVersion, VersionRemoved, FieldAdded, FieldRemoved,
	FieldRetyped, RequiredChanged, EnumAdded, EnumRemoved}

// Finding is one difference between our spec and Turnkey's Swagger.
type Finding struct {
	Kind     string
	Endpoint string // e.g. "create_users"
	Where    string // e.g. "intent ACTIVITY_TYPE_CREATE_USERS_V3: users[].apiKeys[].curveType"
	Detail   string
}

func (f Finding) String() string {
	s := fmt.Sprintf("%-16s %-26s %s", f.Kind, f.Endpoint, f.Where)
	if f.Detail != "" {
		s += ": " + f.Detail
	}
	return s
}

// comparer walks our schemas and Turnkey's side by side.
type comparer struct {
	ours, theirs defs
	seen         map[[2]string]bool // schema pairs already compared
	findings     []Finding
}

// Compare lists the differences between our spec and a Turnkey Swagger 2.0
// document, for our endpoints, plus the endpoints Turnkey has and we lack.
func Compare(doc *openapi3.T, sw *swagger) ([]Finding, error) {
	ops, err := api.Operations(doc)
	if err != nil {
		return nil, err
	}
	c := &comparer{ours: fromOpenAPI(doc), theirs: sw.Definitions, seen: map[[2]string]bool{}}
	have := map[string]bool{}
	for _, op := range ops {
		have[op.Path] = true
		theirs := sw.Paths[op.Path]
		if theirs == nil || theirs.Post == nil {
			c.add(EndpointRemoved, op.Name, op.Path, "Turnkey's Swagger has no POST "+op.Path)
			continue
		}
		tp := theirs.Post
		if op.Kind == api.KindQuery {
			c.compareNamed(op.Name, "request", op.RequestSchema, tp.body(), nil)
			c.compareNamed(op.Name, "response", op.ResponseSchema, tp.response(), nil)
			continue
		}
		c.compareSubmit(op, tp, sw)
	}
	for _, path := range sortedKeys(sw.Paths) {
		if p := sw.Paths[path]; !have[path] && p.Post != nil {
			c.add(NewEndpoint, path[strings.LastIndexByte(path, '/')+1:], path, p.Post.Summary)
		}
	}
	sort.SliceStable(c.findings, func(i, j int) bool {
		a, b := c.findings[i], c.findings[j]
		if a.Endpoint != b.Endpoint {
			return a.Endpoint < b.Endpoint
		}
		return kindOrder(a.Kind) < kindOrder(b.Kind)
	})
	return c.findings, nil
}

func kindOrder(k string) int {
	for i, x := range Kinds {
		if x == k {
			return i
		}
	}
	return len(Kinds)
}

var versionSuffix = regexp.MustCompile(`_V[0-9]+$`)

// versionNumber is the version of an activity type: n for a _V<n> suffix, 1
// without one.
func versionNumber(t string) int {
	n := 1
	if s := api.VersionSuffix(t); s != "" {
		fmt.Sscanf(s, "V%d", &n)
	}
	return n
}

// compareSubmit compares a submit's versions, and each version's intent and
// result, and the request's other fields.
func (c *comparer) compareSubmit(op api.Operation, tp *swOperation, sw *swagger) {
	ours := append([]api.ActivityVersion{{Type: op.Activity.Type, Intent: op.Activity.Intent,
		Result: op.Activity.Result, Request: op.RequestSchema}}, op.Activity.Versions...)
	known := map[string]bool{}
	newest := 0
	for _, v := range ours {
		known[v.Type] = true
		newest = max(newest, versionNumber(v.Type))
	}
	// Turnkey's versions: the ActivityType values of the same activity, and
	// the type its request for this endpoint sends.
	types := map[string]bool{}
	base := versionSuffix.ReplaceAllString(op.Activity.Type, "")
	for _, t := range c.enumOf(swaggerPrefix + "ActivityType") {
		if versionSuffix.ReplaceAllString(t, "") == base {
			types[t] = true
		}
	}
	if req := c.theirs.resolve(&node{Ref: tp.body()}); req != nil {
		if typ := c.theirs.resolve(req.Properties["type"]); typ != nil {
			for _, t := range typ.Enum {
				types[fmt.Sprint(t)] = true
			}
		}
	}
	intents := c.propsOf(swaggerPrefix + "Intent")
	results := c.propsOf(swaggerPrefix + "Result")
	for _, t := range sortedKeys(types) {
		if known[t] || versionNumber(t) <= newest {
			continue // ours, or older than the newest version the spec has
		}
		detail := "not in the spec"
		if suffix := api.VersionSuffix(t); suffix != "" {
			member := lowerFirst(pascal(strings.TrimPrefix(base, "ACTIVITY_TYPE_"))) + "Intent" + suffix
			if intents[member] != nil {
				detail = "intent " + member
			}
		}
		c.add(NewVersion, op.Name, t, detail)
	}
	for _, v := range ours {
		if len(types) > 0 && !types[v.Type] {
			c.add(VersionRemoved, op.Name, v.Type, "Turnkey's Swagger no longer lists it")
			continue
		}
		if intents[v.Intent] == nil {
			c.add(VersionRemoved, op.Name, v.Type, "Turnkey's Intent has no "+v.Intent)
			continue
		}
		c.compare(op.Name, "intent "+v.Type, "", c.ours[lookupProp(c.ours, "Intent", v.Intent)], intents[v.Intent])
		if v.Result != "" {
			if results[v.Result] == nil {
				c.add(FieldRemoved, op.Name, "result "+v.Type, "Turnkey's Result has no "+v.Result)
			} else {
				c.compare(op.Name, "result "+v.Type, "", c.ours[lookupProp(c.ours, "Result", v.Result)], results[v.Result])
			}
		}
	}
	// The request's own fields, but type and parameters, covered above.
	c.compareNamed(op.Name, "request", op.RequestSchema, tp.body(), map[string]bool{"type": true, "parameters": true})
}

// lookupProp returns the schema name that property prop of schema refers to.
func lookupProp(d defs, schema, prop string) string {
	if s := d[schema]; s != nil && s.Properties[prop] != nil {
		return refName(s.Properties[prop].Ref)
	}
	return ""
}

func (c *comparer) enumOf(def string) []string {
	var out []string
	if n := c.theirs.resolve(&node{Ref: def}); n != nil {
		for _, v := range n.Enum {
			out = append(out, fmt.Sprint(v))
		}
	}
	return out
}

func (c *comparer) propsOf(def string) map[string]*node {
	if n := c.theirs.resolve(&node{Ref: def}); n != nil {
		return n.Properties
	}
	return nil
}

func (c *comparer) compareNamed(endpoint, where, ours, theirs string, skip map[string]bool) {
	if theirs == "" {
		return
	}
	c.compareSkipping(endpoint, where, "", &node{Ref: ours}, &node{Ref: theirs}, skip)
}

func (c *comparer) add(kind, endpoint, where, detail string) {
	c.findings = append(c.findings, Finding{Kind: kind, Endpoint: endpoint, Where: where, Detail: detail})
}

func (c *comparer) compare(endpoint, where, path string, a, b *node) {
	c.compareSkipping(endpoint, where, path, a, b, nil)
}

// compareSkipping compares schema a (ours) with b (Turnkey's) at path,
// recursing into items and properties; each pair of named schemas is
// compared once, where it is first met.
func (c *comparer) compareSkipping(endpoint, where, path string, a, b *node, skip map[string]bool) {
	if a == nil || b == nil {
		return
	}
	if a.Ref != "" && b.Ref != "" {
		key := [2]string{refName(a.Ref), refName(b.Ref)}
		if c.seen[key] {
			return
		}
		c.seen[key] = true
	}
	ra, rb := c.ours.resolve(a), c.theirs.resolve(b)
	if ra == nil || rb == nil {
		return
	}
	at := func() string {
		if path == "" {
			return where
		}
		return where + ": " + path
	}
	ka, kb := kind(ra), kind(rb)
	if ka != "" && kb != "" && (ka != kb || (ra.Format != "" && rb.Format != "" && ra.Format != rb.Format)) {
		c.add(FieldRetyped, endpoint, at(), c.ours.describe(a)+" in the spec, "+c.theirs.describe(b)+" in Turnkey's")
		return
	}
	c.compareEnums(endpoint, at(), ra.Enum, rb.Enum)
	if ra.Items != nil && rb.Items != nil {
		c.compare(endpoint, where, path+"[]", ra.Items, rb.Items)
	}
	if ra.Properties == nil && rb.Properties == nil {
		return
	}
	sub := func(name string) string {
		if path == "" {
			return name
		}
		return path + "." + name
	}
	reqA, reqB := set(ra.Required), set(rb.Required)
	for _, name := range sortedKeys(rb.Properties) {
		if skip[name] {
			continue
		}
		if _, ok := ra.Properties[name]; !ok {
			req := ""
			if reqB[name] {
				req = ", required"
			}
			c.add(FieldAdded, endpoint, where+": "+sub(name), c.theirs.describe(rb.Properties[name])+req)
		}
	}
	for _, name := range sortedKeys(ra.Properties) {
		if skip[name] {
			continue
		}
		pb, ok := rb.Properties[name]
		if !ok {
			c.add(FieldRemoved, endpoint, where+": "+sub(name), c.ours.describe(ra.Properties[name])+" in the spec only")
			continue
		}
		if reqA[name] != reqB[name] {
			state := "optional in the spec, required in Turnkey's"
			if reqA[name] {
				state = "required in the spec, optional in Turnkey's"
			}
			c.add(RequiredChanged, endpoint, where+": "+sub(name), state)
		}
		c.compare(endpoint, where, sub(name), ra.Properties[name], pb)
	}
}

func (c *comparer) compareEnums(endpoint, at string, a, b []any) {
	if len(a) == 0 && len(b) == 0 {
		return
	}
	sa, sb := map[string]bool{}, map[string]bool{}
	for _, v := range a {
		sa[fmt.Sprint(v)] = true
	}
	for _, v := range b {
		sb[fmt.Sprint(v)] = true
	}
	var added, removed []string
	for v := range sb {
		if !sa[v] {
			added = append(added, v)
		}
	}
	for v := range sa {
		if !sb[v] {
			removed = append(removed, v)
		}
	}
	sort.Strings(added)
	sort.Strings(removed)
	if len(added) > 0 {
		c.add(EnumAdded, endpoint, at, strings.Join(added, ", "))
	}
	if len(removed) > 0 {
		c.add(EnumRemoved, endpoint, at, strings.Join(removed, ", "))
	}
}

func set(xs []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// pascal turns CREATE_SUB_ORGANIZATION into CreateSubOrganization.
func pascal(s string) string {
	var b strings.Builder
	for _, w := range strings.Split(strings.ToLower(s), "_") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
