package tencent

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Algorithm is the Cloud API 3.0 signature algorithm.
const Algorithm = "TC3-HMAC-SHA256"

// ContentType is the body type every call sends; it is part of the signature.
const ContentType = "application/json; charset=utf-8"

// LiveVersion is the CSS API version of the relay actions.
const LiveVersion = "2018-08-01"

// CanonicalRequest is step 1 of TC3-HMAC-SHA256 for a POST with a JSON body
// and the two required signed headers (content-type;host).
func CanonicalRequest(host string, payload []byte) string {
	return "POST\n/\n\n" +
		"content-type:" + ContentType + "\nhost:" + strings.ToLower(host) + "\n\n" +
		"content-type;host\n" + sha256Hex(payload)
}

// StringToSign is step 2: the algorithm, the timestamp, the credential scope
// (UTC date/service/tc3_request) and the hash of the canonical request.
func StringToSign(service string, ts int64, canonical string) string {
	return Algorithm + "\n" + strconv.FormatInt(ts, 10) + "\n" + scope(service, ts) + "\n" + sha256Hex([]byte(canonical))
}

func scope(service string, ts int64) string {
	return time.Unix(ts, 0).UTC().Format("2006-01-02") + "/" + service + "/tc3_request"
}

// Signature is step 3: HMAC-SHA256 chained over the date, the service and
// "tc3_request" from "TC3"+secretKey, then over the string to sign.
func Signature(secretKey, service string, ts int64, stringToSign string) string {
	date := time.Unix(ts, 0).UTC().Format("2006-01-02")
	k := hmacSHA256([]byte("TC3"+secretKey), date)
	k = hmacSHA256(k, service)
	k = hmacSHA256(k, "tc3_request")
	return hex.EncodeToString(hmacSHA256(k, stringToSign))
}

// Authorization is the Authorization header of a POST of payload to host at
// Unix time ts (step 4).
func Authorization(secretID, secretKey, service, host string, ts int64, payload []byte) string {
	sig := Signature(secretKey, service, ts, StringToSign(service, ts, CanonicalRequest(host, payload)))
	return Algorithm + " Credential=" + secretID + "/" + scope(service, ts) +
		", SignedHeaders=content-type;host, Signature=" + sig
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// Client calls Tencent Cloud API 3.0 for one product. The secrets never
// appear in logs or errors.
type Client struct {
	// Endpoint is the API base URL, e.g. https://live.tencentcloudapi.com
	// (a fake's URL in tests).
	Endpoint string
	// Service is the product name in the credential scope ("live").
	Service   string
	SecretID  string
	SecretKey string
	// Region is sent as X-TC-Region when set (CSS does not need it).
	Region string
	// HTTP is the client used; nil means a client with a 30s timeout.
	HTTP *http.Client
	// Now is the clock (tests pin it); nil means time.Now.
	Now func() time.Time
}

// APIError is an error answer of the Cloud API ({"Response":{"Error":…}}).
type APIError struct {
	Action    string
	Code      string
	Message   string
	RequestID string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("tencent: %s: %s: %s (request %s)", e.Action, e.Code, e.Message, e.RequestID)
}

// Configured reports whether the client has what a call needs.
func (c *Client) Configured() bool {
	return c != nil && c.Endpoint != "" && c.SecretID != "" && c.SecretKey != ""
}

// Call sends action with params (JSON) and decodes the Response object into
// out (nil to ignore it).
func (c *Client) Call(ctx context.Context, action, version string, params, out any) error {
	if !c.Configured() {
		return errors.New("tencent: API credentials are not configured")
	}
	payload, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("tencent: %s: encode: %w", action, err)
	}
	u, err := url.Parse(c.Endpoint)
	if err != nil || u.Host == "" {
		return fmt.Errorf("tencent: bad endpoint %q", c.Endpoint)
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	ts := now().Unix()
	service := c.Service
	if service == "" {
		service = strings.SplitN(u.Hostname(), ".", 2)[0]
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(c.Endpoint, "/")+"/", bytes.NewReader(payload))
	if err != nil {
		return fmt.Errorf("tencent: %s: %w", action, err)
	}
	req.Header.Set("Content-Type", ContentType)
	req.Header.Set("X-TC-Action", action)
	req.Header.Set("X-TC-Version", version)
	req.Header.Set("X-TC-Timestamp", strconv.FormatInt(ts, 10))
	if c.Region != "" {
		req.Header.Set("X-TC-Region", c.Region)
	}
	req.Header.Set("Authorization", Authorization(c.SecretID, c.SecretKey, service, u.Host, ts, payload))
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	res, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("tencent: %s: %w", action, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("tencent: %s: read: %w", action, err)
	}
	var env struct {
		Response json.RawMessage `json:"Response"`
	}
	if err := json.Unmarshal(body, &env); err != nil || len(env.Response) == 0 {
		return fmt.Errorf("tencent: %s: HTTP %d, unexpected body %.200q", action, res.StatusCode, body)
	}
	var head struct {
		RequestID string `json:"RequestId"`
		Error     *struct {
			Code    string `json:"Code"`
			Message string `json:"Message"`
		} `json:"Error"`
	}
	if err := json.Unmarshal(env.Response, &head); err != nil {
		return fmt.Errorf("tencent: %s: decode: %w", action, err)
	}
	if head.Error != nil {
		return &APIError{Action: action, Code: head.Error.Code, Message: head.Error.Message, RequestID: head.RequestID}
	}
	if out != nil {
		if err := json.Unmarshal(env.Response, out); err != nil {
			return fmt.Errorf("tencent: %s: decode: %w", action, err)
		}
	}
	return nil
}
