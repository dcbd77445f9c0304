package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"fanout/pkg/secret"
	"fanout/pkg/testenv"
)

// fanout-api mcp speaks MCP on stdin/stdout (nothing else may reach
// stdout), reads FANOUT_MCP_UPLOAD_DIR, and ends when the client hangs up.
func TestMCPCommand(t *testing.T) {
	dsn := testenv.Postgres(t)
	addr, db := testenv.Redis(t)
	uploads := t.TempDir()
	if err := os.WriteFile(filepath.Join(uploads, "clip.mp4"), mustRead(t, testenv.Testdata("sample.mp4")), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"DATABASE_URL": dsn, "REDIS_URL": fmt.Sprintf("redis://%s/%d", addr, db),
		"FANOUT_SECRET_KEY": secret.NewKey(), "FANOUT_DATA_DIR": t.TempDir(), "FANOUT_MCP_UPLOAD_DIR": uploads,
		"FANOUT_LOG_LEVEL": "debug",
	}
	getenv := func(k string) string { return env[k] }
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := run(ctx, []string{"migrate"}, getenv, io.Discard, io.Discard, nil); err != nil {
		t.Fatal(err)
	}

	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	old := stdin
	stdin = inR
	t.Cleanup(func() { stdin = old })
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"mcp"}, getenv, outW, io.Discard, nil)
		outW.Close()
	}()

	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil).Connect(ctx, &sdk.IOTransport{Reader: outR, Writer: inW}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: "upload_file", Arguments: map[string]any{"path": "clip.mp4"}})
	if err != nil || res.IsError {
		t.Fatalf("upload_file: %v %+v", err, res)
	}
	var f struct {
		ID       string `json:"id"`
		Filename string `json:"filename"`
	}
	b, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(b, &f); err != nil || f.ID == "" || f.Filename != "clip.mp4" {
		t.Fatalf("uploaded %s", b)
	}
	if res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: "list_accounts"}); err != nil || res.IsError {
		t.Fatalf("list_accounts: %v %+v", err, res)
	}
	cs.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("mcp ended with %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("mcp did not end when the client hung up")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
