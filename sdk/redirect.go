package sdk

import "net/http"

// withoutRedirects returns a shallow copy of hc that never follows a
// redirect: the 3xx answer itself comes back and becomes an *APIError. A
// stamp is only valid for the body it covers, but a redirect would resend
// it, body and all (307, 308) or as a GET (301, 302, 303), to whatever
// origin the Location names. The copy shares hc's Transport, Jar and
// Timeout; hc itself is left unchanged.
func withoutRedirects(hc *http.Client) *http.Client {
	c := *hc
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}
