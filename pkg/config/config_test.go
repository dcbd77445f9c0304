package config

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fanout/pkg/secret"
)

type testConfig struct {
	Common
	Port int `env:"TEST_PORT" envDefault:"8080"`
}

func TestLoadDefaultsOverridesAndFiles(t *testing.T) {
	t.Parallel()
	key := secret.NewKey()
	keyFile := filepath.Join(t.TempDir(), "key")
	os.WriteFile(keyFile, []byte(key+"\n"), 0o600)
	env := map[string]string{"TEST_PORT": "9000", "FANOUT_SECRET_KEY_FILE": keyFile, "FANOUT_SHUTDOWN_TIMEOUT": "3s"}
	var c testConfig
	if err := Load(&c, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if c.Port != 9000 || c.SecretKey != key || c.ShutdownTimeout != 3*time.Second || c.RedisURL != "redis://127.0.0.1:6379/0" {
		t.Fatalf("config %+v", c)
	}
	if _, err := c.Box(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Redis(); err != nil {
		t.Fatal(err)
	}
	env["TEST_PORT"] = "not a number"
	if err := Load(&c, func(k string) string { return env[k] }); err == nil {
		t.Fatal("bad int accepted")
	}
	if _, err := (Common{}).Box(); err == nil || !strings.Contains(err.Error(), "FANOUT_SECRET_KEY") {
		t.Fatalf("missing key: %v", err)
	}
}

func TestLoggerFormats(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	Common{LogFormat: "json", LogLevel: "warn"}.Logger(&buf).Info("hidden")
	Common{LogFormat: "json", LogLevel: "warn"}.Logger(&buf).Warn("shown", "task_id", "x")
	if out := buf.String(); strings.Contains(out, "hidden") || !strings.Contains(out, `"task_id":"x"`) {
		t.Fatalf("log output %q", out)
	}
}
