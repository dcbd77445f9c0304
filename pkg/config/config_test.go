package config

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

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

// REDIS_URL and the separate settings reach asynq's failover and cluster
// clients.
func TestRedisHA(t *testing.T) {
	opt, err := Common{RedisURL: "redis-sentinel://:spass@s1:26379,s2:26379/3?master=mymaster&password=mpass"}.Redis()
	f, ok := opt.(asynq.RedisFailoverClientOpt)
	if err != nil || !ok || f.MasterName != "mymaster" || len(f.SentinelAddrs) != 2 || f.SentinelPassword != "spass" || f.Password != "mpass" || f.DB != 3 {
		t.Fatalf("sentinel URL: %#v %v", opt, err)
	}
	if _, err := (Common{RedisURL: "redis-sentinel://s1:26379"}).Redis(); err == nil {
		t.Error("a sentinel URL without a master was accepted")
	}
	opt, err = Common{RedisURL: "redis-cluster://:cpass@n1:6379,n2:6379,n3:6379"}.Redis()
	c, ok := opt.(asynq.RedisClusterClientOpt)
	if err != nil || !ok || len(c.Addrs) != 3 || c.Password != "cpass" {
		t.Fatalf("cluster URL: %#v %v", opt, err)
	}
	opt, err = Common{RedisURL: "redis://ignored:6379", SentinelAddrs: "a:26379, b:26379", SentinelMaster: "m", RedisDB: 2}.Redis()
	if f, ok := opt.(asynq.RedisFailoverClientOpt); err != nil || !ok || f.MasterName != "m" || len(f.SentinelAddrs) != 2 || f.DB != 2 {
		t.Fatalf("separate sentinel settings: %#v %v", opt, err)
	}
	if opt, err := (Common{RedisURL: "redis://127.0.0.1:6379/4"}).Redis(); err != nil || opt.(asynq.RedisClientOpt).DB != 4 {
		t.Fatalf("plain URL: %#v %v", opt, err)
	}
}
