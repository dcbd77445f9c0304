package webcasttest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
)

// Proxy is a loopback HTTP forward proxy that demands Basic proxy
// credentials and counts what it forwards, so a test can prove that an
// account's calls really went through the account's proxy.
type Proxy struct {
	User, Pass string
	mu         sync.Mutex
	forwarded  int
	denied     int
	hosts      map[string]int
	srv        *httptest.Server
}

// NewProxy starts a proxy for the test that accepts user:pass.
func NewProxy(t testing.TB, user, pass string) *Proxy {
	p := &Proxy{User: user, Pass: pass, hosts: map[string]int{}}
	p.srv = httptest.NewServer(p)
	t.Cleanup(p.srv.Close)
	return p
}

// URL is the proxy URL with its credentials (http://user:pass@host:port).
func (p *Proxy) URL() string {
	u, _ := url.Parse(p.srv.URL)
	u.User = url.UserPassword(p.User, p.Pass)
	return u.String()
}

// Forwarded is how many requests went through with valid credentials.
func (p *Proxy) Forwarded() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.forwarded
}

// Denied is how many requests were refused with 407.
func (p *Proxy) Denied() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.denied
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !r.URL.IsAbs() {
		http.Error(w, "this is a proxy: absolute URLs only", http.StatusBadRequest)
		return
	}
	probe := &http.Request{Header: http.Header{"Authorization": r.Header.Values("Proxy-Authorization")}}
	user, pass, ok := probe.BasicAuth()
	if !ok || user != p.User || pass != p.Pass {
		p.mu.Lock()
		p.denied++
		p.mu.Unlock()
		w.Header().Set("Proxy-Authenticate", `Basic realm="fanout-test"`)
		w.WriteHeader(http.StatusProxyAuthRequired)
		return
	}
	p.mu.Lock()
	p.forwarded++
	p.hosts[r.URL.Host]++
	p.mu.Unlock()
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.Header.Del("Proxy-Authorization")
	out.Header.Del("Proxy-Connection")
	res, err := http.DefaultTransport.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	for k, vs := range res.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(res.StatusCode)
	_, _ = io.Copy(w, res.Body)
}
