// Command specdrift compares api/openapi.yaml with a Turnkey Swagger 2.0
// file (public_api.swagger.json, as published in Turnkey's SDK
// repositories) and lists, for our endpoints, the activity versions the spec
// lacks, the fields added, removed or retyped, the required properties and
// enum values that changed, and the endpoints Turnkey has that the spec does
// not. It reads both files and changes nothing.
//
//	go run ./internal/cmd/specdrift --against public_api.swagger.json
//	go run ./internal/cmd/specdrift --against public_api.swagger.json --fail-on new-version,field-removed
//
// It exits 1 when a finding is of a kind listed in --fail-on ("all" for
// every kind), 2 on bad usage or unreadable input, and 0 otherwise.
// --emit-swagger writes the spec itself converted to Swagger 2.0 in
// Turnkey's layout, the input on which the report must find nothing.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("specdrift", flag.ContinueOnError)
	fs.SetOutput(stderr)
	spec := fs.String("spec", "api/openapi.yaml", "our OpenAPI 3.0 spec")
	against := fs.String("against", "", "Turnkey's Swagger 2.0 file (public_api.swagger.json)")
	failOn := fs.String("fail-on", "", "comma-separated kinds that make the exit status 1, or \"all\"; kinds: "+strings.Join(Kinds, ", "))
	emit := fs.String("emit-swagger", "", "write the spec converted to Swagger 2.0 to this file and exit")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail, err := parseKinds(*failOn)
	if err != nil {
		fmt.Fprintln(stderr, "specdrift:", err)
		return 2
	}
	doc, err := openapi3.NewLoader().LoadFromFile(*spec)
	if err != nil {
		fmt.Fprintln(stderr, "specdrift:", err)
		return 2
	}
	if *emit != "" {
		sw, err := toSwagger(doc)
		if err == nil {
			var b []byte
			if b, err = json.MarshalIndent(sw, "", "  "); err == nil {
				err = os.WriteFile(*emit, append(b, '\n'), 0o644)
			}
		}
		if err != nil {
			fmt.Fprintln(stderr, "specdrift:", err)
			return 2
		}
		return 0
	}
	if *against == "" {
		fmt.Fprintln(stderr, "specdrift: --against <public_api.swagger.json> is required")
		fs.Usage()
		return 2
	}
	sw, err := readSwagger(*against)
	if err != nil {
		fmt.Fprintln(stderr, "specdrift:", err)
		return 2
	}
	findings, err := Compare(doc, sw)
	if err != nil {
		fmt.Fprintln(stderr, "specdrift:", err)
		return 2
	}
	counts := map[string]int{}
	failed := 0
	for _, f := range findings {
		fmt.Fprintln(stdout, f)
		counts[f.Kind]++
		if fail[f.Kind] {
			failed++
		}
	}
	if len(findings) == 0 {
		fmt.Fprintf(stdout, "no drift: %s matches %s on every endpoint\n", *spec, *against)
	} else {
		var parts []string
		for _, k := range Kinds {
			if counts[k] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
			}
		}
		fmt.Fprintf(stdout, "\n%d findings: %s\n", len(findings), strings.Join(parts, ", "))
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "specdrift: %d findings of kinds in --fail-on %s\n", failed, *failOn)
		return 1
	}
	return 0
}

func parseKinds(s string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, k := range strings.Split(s, ",") {
		k = strings.TrimSpace(k)
		switch {
		case k == "":
		case k == "all":
			for _, x := range Kinds {
				out[x] = true
			}
		case slices.Contains(Kinds, k):
			out[k] = true
		default:
			return nil, fmt.Errorf("--fail-on: unknown kind %q (kinds: %s, all)", k, strings.Join(Kinds, ", "))
		}
	}
	return out, nil
}
