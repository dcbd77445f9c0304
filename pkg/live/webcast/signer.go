package webcast

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Signer adds Douyin's anti-bot request signature (a_bogus, and whatever
// else the web and companion endpoints ask for: msToken, X-Bogus, the
// x-secsdk-csrf-token header) to a request before it is sent. Douyin changes
// these algorithms often, so Fanout does not carry one: a deployment runs a
// signer service and points FANOUT_LIVE_SIGNER_URL at it (see HTTPSigner).
type Signer interface {
	Sign(ctx context.Context, r SignRequest) (Signature, error)
}

// SignRequest is what a signer sees of a request: never its cookies.
type SignRequest struct {
	Method    string `json:"method"`
	URL       string `json:"url"`
	Body      string `json:"body"`
	UserAgent string `json:"user_agent"`
}

// Signature is what a signer adds: query parameters (a_bogus…) and headers.
type Signature struct {
	Query   map[string]string `json:"query"`
	Headers map[string]string `json:"headers"`
}

// NoSigner signs nothing. Real Douyin endpoints then answer with an error or
// an empty body; it is only useful against a fake that does not check.
type NoSigner struct{}

// Sign implements Signer.
func (NoSigner) Sign(context.Context, SignRequest) (Signature, error) { return Signature{}, nil }

// HTTPSigner asks an external signer service: POST URL with the
// SignRequest as JSON, answered by a Signature as JSON
// ({"query":{"a_bogus":"…"},"headers":{…}}). The service is the
// deployment's own, so it is called directly, not through an account proxy.
type HTTPSigner struct {
	URL  string
	HTTP *http.Client
}

// Sign implements Signer.
func (s HTTPSigner) Sign(ctx context.Context, r SignRequest) (Signature, error) {
	var sig Signature
	b, _ := json.Marshal(r)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(b))
	if err != nil {
		return sig, fmt.Errorf("webcast: signer: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	hc := s.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	res, err := hc.Do(req)
	if err != nil {
		return sig, fmt.Errorf("webcast: signer: %w", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if res.StatusCode != http.StatusOK {
		return sig, fmt.Errorf("webcast: signer: HTTP %d: %.200s", res.StatusCode, body)
	}
	if err := json.Unmarshal(body, &sig); err != nil {
		return sig, fmt.Errorf("webcast: signer: decode: %w", err)
	}
	return sig, nil
}
