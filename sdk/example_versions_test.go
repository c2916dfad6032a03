package sdk_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/turnkeytest"
)

// A newer activity version is a method of its own, with its own types;
// CreateUsers still sends the documented ACTIVITY_TYPE_CREATE_USERS_V2.
func ExampleClient_CreateUsersV3() {
	srv, err := turnkeytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	users, act, err := client.CreateUsersV3(context.Background(), gen.CreateUsersIntentV3{Users: []gen.UserParamsV3{{
		UserName:       "ci-bot",
		APIKeys:        []gen.APIKeyParamsV2{},
		Authenticators: []gen.AuthenticatorParamsV2{},
		OauthProviders: []gen.OauthProviderParams{},
		UserTags:       []string{},
	}}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(act.Type, len(users.UserIds), "user")

	op, _ := sdk.LookupOperation("create_users")
	for _, v := range op.Versions {
		fmt.Println(v.Method, v.Type, v.Default)
	}
	// Output:
	// ACTIVITY_TYPE_CREATE_USERS_V3 1 user
	// CreateUsers ACTIVITY_TYPE_CREATE_USERS_V2 true
	// CreateUsersV3 ACTIVITY_TYPE_CREATE_USERS_V3 false
	// CreateUsersV4 ACTIVITY_TYPE_CREATE_USERS_V4 false
}

// An activity of a type this client's spec does not know still carries its
// intent and result, as raw JSON.
func ExampleActivityIntent() {
	act := &gen.Activity{Type: "ACTIVITY_TYPE_SOMETHING_NEW_V2", Intent: gen.Intent{
		AdditionalProperties: map[string]json.RawMessage{"somethingNewIntentV2": json.RawMessage(`{"name":"x"}`)},
	}}
	member, raw, ok := sdk.ActivityIntent(act)
	fmt.Println(member, string(raw), ok)
	// Output:
	// somethingNewIntentV2 {"name":"x"} true
}
