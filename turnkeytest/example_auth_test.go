package turnkeytest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
	"github.com/turnkey-go/turnkey/turnkeytest"
)

// An OTP login, offline: the code Turnkey would email is read from the
// outbox, verified, and the verification token logs the user in with a key
// of the client's, which then stamps as the user.
func ExampleServer_LastMessage() {
	srv, err := turnkeytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// A sub-organization for the end user.
	sub, _, err := client.CreateSubOrganization(ctx, gen.CreateSubOrganizationIntentV7{
		SubOrganizationName: "alice", RootQuorumThreshold: 1,
		RootUsers: []gen.RootUserParamsV4{{UserName: "alice", UserEmail: ptr("alice@example.com"),
			APIKeys: []gen.APIKeyParamsV2{}, Authenticators: []gen.AuthenticatorParamsV2{}, OauthProviders: []gen.OauthProviderParams{}}},
	})
	if err != nil {
		log.Fatal(err)
	}

	otp, _, err := client.InitOtp(ctx, gen.InitOtpIntent{OtpType: "OTP_TYPE_EMAIL", Contact: "alice@example.com"})
	if err != nil {
		log.Fatal(err)
	}
	msg, _ := srv.LastMessage("alice@example.com")
	fmt.Println("sent:", msg.Channel, msg.Kind, len(msg.Code), "characters")

	ver, _, err := client.VerifyOtp(ctx, gen.VerifyOtpIntent{OtpID: otp.OtpID, OtpCode: msg.Code})
	if err != nil {
		log.Fatal(err)
	}
	sessionKey, err := stamp.GenerateAPIKey(stamp.CurveP256)
	if err != nil {
		log.Fatal(err)
	}
	login, _, err := client.OtpLogin(ctx, gen.OtpLoginIntent{VerificationToken: ver.VerificationToken, PublicKey: sessionKey.PublicKey()},
		sdk.WithOrganization(sub.SubOrganizationID))
	if err != nil {
		log.Fatal(err)
	}
	claims, err := srv.VerifySessionToken(login.Session)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("session:", claims.SessionType, claims.OrganizationID == sub.SubOrganizationID)

	alice, err := srv.Client(sdk.WithStamper(sessionKey), sdk.WithOrganizationID(sub.SubOrganizationID))
	if err != nil {
		log.Fatal(err)
	}
	who, err := alice.Whoami(ctx, gen.WhoamiRequest{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("whoami:", who.Username)
	// Output:
	// sent: EMAIL OTP 9 characters
	// session: SESSION_TYPE_READ_WRITE true
	// whoami: alice
}

func ptr[T any](v T) *T { return &v }
