// Package config reads the settings both binaries share from environment
// variables (the single place they are documented is the README's table and
// deploy/env.example) and builds the logger. caarlos0/env does the parsing:
// it is small, well kept, and handles defaults, required values, durations
// and *_FILE secrets without hand-written code.
package config

import (
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
	"github.com/hibiken/asynq"

	"fanout/pkg/secret"
)

// Common is the configuration shared by the api and the worker.
type Common struct {
	DatabaseURL string `env:"DATABASE_URL" envDefault:"postgres://postgres@127.0.0.1:5432/fanout?sslmode=disable"`
	// RedisURL is redis://, rediss://, redis-sentinel://…?master=NAME or
	// redis-cluster://host:port,host:port (see Redis).
	RedisURL string `env:"REDIS_URL" envDefault:"redis://127.0.0.1:6379/0"`
	// Sentinel, given apart: when SentinelAddrs is set it wins over
	// REDIS_URL (the master's password and database too).
	SentinelAddrs    string `env:"FANOUT_REDIS_SENTINEL_ADDRS"`
	SentinelMaster   string `env:"FANOUT_REDIS_SENTINEL_MASTER"`
	SentinelPassword string `env:"FANOUT_REDIS_SENTINEL_PASSWORD"`
	RedisPassword    string `env:"FANOUT_REDIS_PASSWORD"`
	RedisDB          int    `env:"FANOUT_REDIS_DB"`
	// SecretKey seals account cookies and proxies (AES-256-GCM), base64 of
	// 32 bytes. FANOUT_SECRET_KEY_FILE reads it from a file instead.
	SecretKey       string        `env:"FANOUT_SECRET_KEY"`
	DataDir         string        `env:"FANOUT_DATA_DIR" envDefault:"./data"`
	LogLevel        string        `env:"FANOUT_LOG_LEVEL" envDefault:"info"`
	LogFormat       string        `env:"FANOUT_LOG_FORMAT" envDefault:"text"`
	ShutdownTimeout time.Duration `env:"FANOUT_SHUTDOWN_TIMEOUT" envDefault:"30s"`
	// AllowPrivateProxy lets account proxies point at loopback, link-local
	// and private addresses (refused by default: the server would connect
	// there on a client's behalf).
	AllowPrivateProxy bool `env:"FANOUT_ALLOW_PRIVATE_PROXY" envDefault:"false"`
	// AllowPrivateWebhooks lets webhook URLs point at loopback, link-local
	// and private addresses (refused by default, when created and when
	// delivering).
	AllowPrivateWebhooks bool `env:"FANOUT_WEBHOOK_ALLOW_PRIVATE" envDefault:"false"`
}

// Load fills cfg (a struct embedding Common, or any env-tagged struct) from
// getenv, so tests pass their own environment. Every variable X may instead
// be given as X_FILE, a path whose content is the value (for secrets mounted
// as files).
func Load(cfg any, getenv func(string) string) error {
	envs := map[string]string{}
	for _, k := range keys(cfg) {
		if v := getenv(k); v != "" {
			envs[k] = v
		}
		if path := getenv(k + "_FILE"); path != "" && envs[k] == "" {
			b, err := os.ReadFile(path)
			if err != nil {
				return fmt.Errorf("config: %s_FILE: %w", k, err)
			}
			envs[k] = strings.TrimSpace(string(b))
		}
	}
	if err := env.ParseWithOptions(cfg, env.Options{Environment: envs}); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}

func keys(cfg any) []string {
	var out []string
	params, err := env.GetFieldParams(cfg)
	if err != nil {
		return nil
	}
	for _, p := range params {
		out = append(out, p.Key)
	}
	return out
}

// Box builds the secret box, failing with a helpful message without a key.
func (c Common) Box() (*secret.Box, error) {
	if c.SecretKey == "" {
		return nil, fmt.Errorf("config: FANOUT_SECRET_KEY is required (generate one with: openssl rand -base64 32)")
	}
	return secret.NewBox(c.SecretKey)
}

// Redis parses REDIS_URL for asynq.
func (c Common) Redis() (asynq.RedisConnOpt, error) {
	if c.SentinelAddrs != "" {
		return asynq.RedisFailoverClientOpt{MasterName: c.SentinelMaster, SentinelAddrs: splitAddrs(c.SentinelAddrs),
			SentinelPassword: c.SentinelPassword, Password: c.RedisPassword, DB: c.RedisDB}, nil
	}
	u, err := url.Parse(c.RedisURL)
	if err != nil {
		return nil, fmt.Errorf("config: REDIS_URL: %w", err)
	}
	switch u.Scheme {
	case "redis-sentinel":
		// redis-sentinel://[:sentinel-password@]host:port,host:port[/db]?master=NAME[&password=MASTER-PASSWORD]
		opt := asynq.RedisFailoverClientOpt{MasterName: u.Query().Get("master"), SentinelAddrs: splitAddrs(u.Host),
			Password: u.Query().Get("password")}
		if p, ok := u.User.Password(); ok {
			opt.SentinelPassword = p
		}
		if opt.MasterName == "" {
			return nil, fmt.Errorf("config: REDIS_URL: a redis-sentinel URL needs ?master=NAME")
		}
		if db := strings.Trim(u.Path, "/"); db != "" {
			if opt.DB, err = strconv.Atoi(db); err != nil {
				return nil, fmt.Errorf("config: REDIS_URL: database %q: %w", db, err)
			}
		}
		return opt, nil
	case "redis-cluster":
		// redis-cluster://[:password@]host:port,host:port
		opt := asynq.RedisClusterClientOpt{Addrs: splitAddrs(u.Host)}
		if p, ok := u.User.Password(); ok {
			opt.Password = p
		}
		return opt, nil
	}
	opt, err := asynq.ParseRedisURI(c.RedisURL)
	if err != nil {
		return nil, fmt.Errorf("config: REDIS_URL: %w", err)
	}
	return opt, nil
}

func splitAddrs(s string) []string {
	var out []string
	for _, a := range strings.Split(s, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// Logger builds the process logger.
func (c Common) Logger(w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if strings.EqualFold(c.LogFormat, "json") {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
