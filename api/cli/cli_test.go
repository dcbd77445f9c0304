package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fanout/api/apitest"
	"fanout/pkg/job"
	"fanout/pkg/testenv"
)

// fanout runs one command line against the API and returns its output.
func fanout(t *testing.T, a *apitest.API, env map[string]string, args ...string) (string, error) {
	t.Helper()
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		switch k {
		case "FANOUT_URL":
			return a.Srv.URL
		case "FANOUT_TOKEN":
			return a.Token
		case "HOME":
			return t.TempDir()
		}
		return ""
	}
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := run(ctx, append(args, "--poll", "20ms"), getenv, &out, &errOut)
	return out.String(), err
}

// worker plays the worker for the next task of kind: claims it, lets act
// report on it, then finishes it with state.
func worker(t *testing.T, a *apitest.API, kind job.Kind, act func(job.Task), state job.State) func() {
	t.Helper()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		ctx := context.Background()
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			var tasks []job.Task
			ts, _, err := a.Store.ListTasks(ctx, job.TaskFilter{State: job.StateQueued, Kind: kind, Limit: 10})
			if err == nil {
				tasks = ts
			}
			for _, tk := range tasks {
				if _, _, err := a.Store.Claim(ctx, tk.ID, "w", time.Minute); err != nil {
					t.Error(err)
					return
				}
				if act != nil {
					act(tk)
				}
				if err := a.Store.Finish(ctx, tk.ID, "w", state, map[string]any{"phase": "succeeded"}, nil); err != nil {
					t.Error(err)
				}
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Errorf("no queued %s task came", kind)
	}()
	return wg.Wait
}

func TestLoginUploadPublishFollow(t *testing.T) {
	a := apitest.Setup(t)
	png, err := os.ReadFile(testenv.Testdata("cover.png"))
	if err != nil {
		t.Fatal(err)
	}
	qr := filepath.Join(t.TempDir(), "qr.png")
	wait := worker(t, a, job.KindLogin, func(tk job.Task) {
		if err := a.Store.SetResult(context.Background(), tk.ID, "w", map[string]any{"phase": "qrcode",
			"qrcode": "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)}, "qr"); err != nil {
			t.Error(err)
		}
		// The phone scans once the QR code is on screen (the file).
		for i := 0; i < 500; i++ {
			if _, err := os.Stat(qr); err == nil {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Error("the QR code was never written")
	}, job.StateSucceeded)
	out, err := fanout(t, a, nil, "login", "douyin", "alice", "--qr-file", qr)
	wait()
	if err != nil || !strings.Contains(out, "QR code: "+qr) || !strings.Contains(out, "succeeded") {
		t.Fatalf("login: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(qr); !bytes.Equal(b, png) {
		t.Fatal("the QR file is not the QR image")
	}

	out, err = fanout(t, a, nil, "accounts")
	if err != nil || !strings.Contains(out, "alice") || !strings.Contains(out, "douyin") {
		t.Fatalf("accounts: %v\n%s", err, out)
	}
	accID := strings.Fields(strings.Split(out, "\n")[1])[0]

	out, err = fanout(t, a, nil, "upload", testenv.Testdata("sample.mp4"))
	fileID := strings.TrimSpace(out)
	if err != nil || len(fileID) != 36 {
		t.Fatalf("upload: %v %q", err, out)
	}

	wait = worker(t, a, job.KindPublish, nil, job.StateSucceeded)
	out, err = fanout(t, a, nil, "publish", "--file", fileID, "--account", accID, "--title", "t", "--tags", "a,b", "--follow")
	wait()
	if err != nil || !strings.Contains(out, "succeeded") {
		t.Fatalf("publish: %v\n%s", err, out)
	}
	taskID := strings.TrimSpace(strings.Split(out, "\n")[0])
	out, err = fanout(t, a, nil, "tasks")
	if err != nil || !strings.Contains(out, taskID) {
		t.Fatalf("tasks: %v\n%s", err, out)
	}

	// A refusal is the API's, named.
	if _, err := fanout(t, a, nil, "publish", "--file", fileID, "--account", accID, "--title", "t", "--at", "2020-01-01T00:00:00Z"); err == nil || !strings.Contains(err.Error(), "schedule.at") {
		t.Fatalf("publish in the past: %v", err)
	}
	if _, err := fanout(t, a, nil, "answer", taskID, "123456"); err == nil || !strings.Contains(err.Error(), "conflict") {
		t.Fatalf("answer a finished task: %v", err)
	}
}

// Flag, then environment, then the config file; no token is a clear error.
func TestSettings(t *testing.T) {
	a := apitest.Setup(t)
	if _, err := fanout(t, a, map[string]string{"FANOUT_TOKEN": ""}, "accounts"); err == nil || !strings.Contains(err.Error(), "no API token") {
		t.Fatalf("without a token: %v", err)
	}
	cfg := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(cfg, []byte(`{"url":"`+a.Srv.URL+`","token":"`+a.Token+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := fanout(t, a, map[string]string{"FANOUT_TOKEN": "", "FANOUT_URL": ""}, "accounts", "--config", cfg); err != nil {
		t.Fatalf("from the config file: %v", err)
	}
	if _, err := fanout(t, a, nil, "accounts", "--token", "fo_wrong"); err == nil || !strings.Contains(err.Error(), "unauthorized") {
		t.Fatalf("the flag wins over the environment: %v", err)
	}
	if out, err := fanout(t, a, nil, "completion", "bash"); err != nil || !strings.Contains(out, "fanout") {
		t.Fatalf("completion: %v", err)
	}
}
