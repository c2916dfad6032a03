// Command specstats counts what api/openapi.yaml leaves undocumented: component
// schemas without a description, properties without one (a $ref property counts
// as described when the schema it refers to is, since OpenAPI 3.0 ignores the
// siblings of $ref), and operations without an example request body and an
// example 200 answer. It prints the three counts as "schemas / properties /
// operations" and exits 1 when any is non-zero; -v lists each gap.
//
// Usage: go run ./internal/cmd/specstats [-v] [-spec api/openapi.yaml]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/turnkey-go/turnkey/api"
	"github.com/turnkey-go/turnkey/api/speccheck"
)

func main() {
	verbose := flag.Bool("v", false, "list every undescribed schema, property and operation without examples")
	spec := flag.String("spec", "", "spec to read (default: the embedded api/openapi.yaml)")
	flag.Parse()
	data := api.Spec
	if *spec != "" {
		b, err := os.ReadFile(*spec)
		if err != nil {
			fmt.Fprintln(os.Stderr, "specstats:", err)
			os.Exit(2)
		}
		data = b
	}
	doc, err := speccheck.Load(context.Background(), data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "specstats:", err)
		os.Exit(2)
	}
	gaps := speccheck.Find(doc)
	if *verbose {
		for _, g := range gaps.All() {
			fmt.Println(g)
		}
	}
	fmt.Printf("%d / %d / %d\n", len(gaps.Schemas), len(gaps.Properties), len(gaps.Operations))
	fmt.Println("(undescribed schemas / undescribed properties / operations without an example request and answer)")
	if !gaps.Empty() {
		os.Exit(1)
	}
}
