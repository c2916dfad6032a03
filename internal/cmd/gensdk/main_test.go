package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turnkey-go/turnkey/api"
)

func TestGoName(t *testing.T) {
	for in, want := range map[string]string{
		"CreateWallet":          "CreateWallet",
		"GetApiKeys":            "GetAPIKeys",
		"CreateApiKeysIntentV2": "CreateAPIKeysIntentV2",
		"GetWalletAccount":      "GetWalletAccount",
		"OauthLogin":            "OauthLogin",
		"InitOtp":               "InitOtp",
	} {
		if got := goName(in); got != want {
			t.Errorf("goName(%q) = %q, want %q", in, got, want)
		}
	}
}

// The checked-in sdk/operations.gen.go, sdk/decode_activity.gen.go and
// sdk/encode_request.gen.go are what the spec, models and minimums generate.
func TestGeneratedFileIsCurrent(t *testing.T) {
	dir := t.TempDir()
	out, decodeOut := filepath.Join(dir, "operations.gen.go"), filepath.Join(dir, "decode_activity.gen.go")
	encodeOut := filepath.Join(dir, "encode_request.gen.go")
	if err := run("../../../api/openapi.yaml", "../../../gen/models.gen.go", "../../../sdk/encode.go", out, decodeOut, encodeOut); err != nil {
		t.Fatal(err)
	}
	for file, checkedIn := range map[string]string{out: "../../../sdk/operations.gen.go", decodeOut: "../../../sdk/decode_activity.gen.go",
		encodeOut: "../../../sdk/encode_request.gen.go"} {
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(checkedIn)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Fatalf("%s is out of date: run scripts/regen.sh", checkedIn)
		}
	}
}

// One template renders the submit method of any (operation, version) pair:
// a second version of an operation gets its own method and table entry, sent
// through the same generated client method as the documented one.
func TestSubmitTemplateRendersEveryVersion(t *testing.T) {
	op := &opData{Operation: api.Operation{Name: "create_thing", Path: "/public/v1/submit/create_thing", Kind: api.KindSubmit, Summary: "Create Thing"},
		Method: "CreateThing", Var: "opCreateThing", Send: "CreateThingWithBody", Decode: "decodeActivities"}
	for _, v := range []struct{ suffix, typ string }{{"", "ACTIVITY_TYPE_CREATE_THING_V1"}, {"V2", "ACTIVITY_TYPE_CREATE_THING_V2"}} {
		op.Submits = append(op.Submits, submitData{Op: op, Activity: api.Activity{Type: v.typ, Intent: "createThingIntent" + v.suffix, Result: "createThingResult"},
			Method: "CreateThing" + v.suffix, Var: "opCreateThing" + v.suffix, RequestType: "CreateThingRequest" + v.suffix,
			TypeConst: "CreateThingRequest" + v.suffix + "TypeX", IntentType: "CreateThingIntent" + v.suffix, ResultType: "CreateThingResult", ResultField: "CreateThingResult"})
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, []*opData{op}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"func (c *Client) CreateThing(ctx context.Context, params gen.CreateThingIntent,",
		"func (c *Client) CreateThingV2(ctx context.Context, params gen.CreateThingIntentV2,",
		`ActivityType: "ACTIVITY_TYPE_CREATE_THING_V2"`,
		"c.submit(ctx, cc, opCreateThingV2, req.OrganizationID, (*bodyCreateThingRequestV2)(&req))",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if n := strings.Count(out, "(*gen.Client).CreateThingWithBody, decodeActivities}"); n != 2 {
		t.Errorf("%d table entries send through CreateThingWithBody, want 2", n)
	}
	if !strings.Contains(out, "var operations = []*route{\n\topCreateThing,\n}") {
		t.Error("the operations list holds the documented version only")
	}
}

// Decoder function names are Go identifiers for every type the walk meets.
func TestMangle(t *testing.T) {
	for in, want := range map[string]string{
		"*[]gen.AppProof": "PtrSliceAppProof", "*string": "PtrString", "*map[string]any": "PtrMapStringAny",
		"[]map[string]string": "SliceMapStringString", "gen.Intent": "Intent",
	} {
		if got := mangle(in); got != want {
			t.Errorf("mangle(%q) = %q, want %q", in, got, want)
		}
	}
}
