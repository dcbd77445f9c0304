package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"fanout/pkg/secret"
	"fanout/pkg/testenv"
)

// TestRun exercises the binary's own wiring: migrate, token create, serve
// with an authenticated request, and a clean shutdown.
func TestRun(t *testing.T) {
	dsn := testenv.Postgres(t)
	addr, db := testenv.Redis(t)
	env := map[string]string{
		"DATABASE_URL": dsn, "REDIS_URL": fmt.Sprintf("redis://%s/%d", addr, db),
		"FANOUT_SECRET_KEY": secret.NewKey(), "FANOUT_DATA_DIR": t.TempDir(), "FANOUT_HTTP_ADDR": "127.0.0.1:0",
	}
	getenv := func(k string) string { return env[k] }
	ctx := context.Background()

	if err := run(ctx, []string{"serve"}, getenv, io.Discard, io.Discard, nil); err == nil || !strings.Contains(err.Error(), "migrate") {
		t.Fatalf("serve on an unmigrated database: %v, want a hint to migrate", err)
	}
	if err := run(ctx, []string{"migrate"}, getenv, io.Discard, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"token", "create", "-name", "ci"}, getenv, &out, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(out.String())
	if !strings.HasPrefix(token, "fo_") || strings.Contains(token, "\n") {
		t.Fatalf("token output %q", out.String())
	}
	if err := run(ctx, []string{"bogus"}, getenv, io.Discard, io.Discard, nil); err == nil {
		t.Fatal("unknown command accepted")
	}
	noKey := func(k string) string {
		if k == "FANOUT_SECRET_KEY" {
			return ""
		}
		return env[k]
	}
	if err := run(ctx, nil, noKey, io.Discard, io.Discard, nil); err == nil || !strings.Contains(err.Error(), "FANOUT_SECRET_KEY") {
		t.Fatalf("serve without a key: %v", err)
	}

	sctx, cancel := context.WithCancel(ctx)
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(sctx, nil, getenv, io.Discard, io.Discard, ready) }()
	var base string
	select {
	case a := <-ready:
		base = "http://" + a
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start")
	}
	res, err := http.Get(base + "/readyz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", res, err)
	}
	res.Body.Close()
	req, _ := http.NewRequest("GET", base+"/api/v1/accounts", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err = http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("authenticated request: %v %v", res, err)
	}
	res.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("shutdown hung")
	}
}
