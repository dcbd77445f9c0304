package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fanout/pkg/testenv"
)

// The fanout CLI against the whole system: a built binary talking to the
// real API, with a real worker and Chromium logging in on the fake Douyin
// (the test plays the phone when the CLI has written the QR code), then an
// upload with its progress, and a publish followed to succeeded.
func TestCLIAgainstRunningSystem(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	bin := filepath.Join(t.TempDir(), "fanout")
	build := exec.Command("go", "build", "-o", bin, "fanout/api/cli")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the CLI: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cli := func(args ...string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, bin, append([]string{"--poll", "100ms"}, args...)...)
		cmd.Env = append(os.Environ(), "FANOUT_URL="+s.api.URL, "FANOUT_TOKEN="+s.token, "XDG_CONFIG_HOME="+t.TempDir())
		return cmd
	}

	// Login: follow the CLI's output; scan once it shows the QR code.
	qr := filepath.Join(t.TempDir(), "qr.png")
	login := cli("login", "douyin", "cli-acc", "--qr-file", qr)
	out, err := login.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	login.Stderr = &stderr
	if err := login.Start(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if strings.HasPrefix(sc.Text(), "QR code: ") {
			if b, err := os.ReadFile(qr); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
				t.Fatalf("the QR file is not a PNG: %v", err)
			}
			if err := s.site.Scan(true); err != nil {
				t.Fatalf("scan: %v", err)
			}
		}
	}
	if err := login.Wait(); err != nil {
		t.Fatalf("login: %v\n%s\n%s", err, strings.Join(lines, "\n"), stderr.String())
	}
	joined := strings.Join(lines, "\n")
	if !strings.Contains(joined, "QR code: ") || !strings.Contains(joined, "login ") || !strings.HasSuffix(joined, "succeeded") {
		t.Fatalf("login output:\n%s", joined)
	}

	accs, err := cli("accounts").Output()
	if err != nil || !strings.Contains(string(accs), "cli-acc") || !strings.Contains(string(accs), "active") {
		t.Fatalf("accounts: %v\n%s", err, accs)
	}
	var accID string
	for _, l := range strings.Split(string(accs), "\n") {
		if strings.Contains(l, "cli-acc") {
			accID = strings.Fields(l)[0]
		}
	}

	up := cli("upload", testenv.Testdata("sample.mp4"))
	var upErr bytes.Buffer
	up.Stderr = &upErr
	fileID, err := up.Output()
	if err != nil || !strings.Contains(upErr.String(), "100%") {
		t.Fatalf("upload: %v %q %q", err, fileID, upErr.String())
	}

	pub, err := cli("publish", "--file", strings.TrimSpace(string(fileID)), "--account", accID,
		"--title", "命令行发布", "--tags", "cli,e2e", "--follow").CombinedOutput()
	if err != nil || !strings.Contains(string(pub), "succeeded") {
		t.Fatalf("publish: %v\n%s", err, pub)
	}
	if got := s.site.Published(); len(got) != 1 || got[0].Title != "命令行发布" {
		t.Fatalf("the fake got %+v", got)
	}
}
