// Command fanout-api serves Fanout's HTTP API. It validates requests, writes
// tasks to Postgres, enqueues them on Redis and answers at once; the worker
// does the browser work.
//
//	fanout-api [serve]              serve the API (default)
//	fanout-api migrate              apply database migrations and exit
//	fanout-api token create -name N create an API token and print it once
//	fanout-api token revoke -name N delete the tokens named N (and their browser sessions)
//	fanout-api mcp                  serve MCP over stdin/stdout (for an agent that runs it)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/google/uuid"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"fanout/api/mcp"
	"fanout/api/server"
	"fanout/pkg/app"
	"fanout/pkg/config"
	"fanout/pkg/deps"
	"fanout/pkg/live"
	"fanout/pkg/postgres"
	"fanout/pkg/secret"
)

// Config is the API's configuration, from the environment.
type Config struct {
	config.Common
	HTTPAddr       string `env:"FANOUT_HTTP_ADDR" envDefault:":8080"`
	MaxUploadBytes int64  `env:"FANOUT_MAX_UPLOAD_BYTES" envDefault:"4294967296"`
	RunMigrations  bool   `env:"FANOUT_RUN_MIGRATIONS" envDefault:"false"`
	TimeZone       string `env:"FANOUT_TIMEZONE" envDefault:"Asia/Shanghai"`
	// DBTimeout bounds one Postgres call, so with the database down or
	// partitioned a request answers 503 within it.
	DBTimeout time.Duration `env:"FANOUT_DB_TIMEOUT" envDefault:"2s"`
	// MaxTasksPerRequest bounds the tasks one publish (or legacy batch) may
	// create; MaxJSONBytes bounds a JSON body.
	MaxTasksPerRequest int   `env:"FANOUT_MAX_TASKS_PER_REQUEST" envDefault:"1000"`
	MaxJSONBytes       int64 `env:"FANOUT_MAX_JSON_BYTES" envDefault:"1048576"`
	// TokenCacheTTL is how long a checked token is trusted without a
	// database read (a revoked token works at most this long).
	TokenCacheTTL time.Duration `env:"FANOUT_TOKEN_CACHE_TTL" envDefault:"5s"`
	// WebDir is a built browser app (index.html, assets/) served at / from
	// the API's own origin, so its links and EventSource can use the
	// session cookie; empty serves none.
	WebDir string `env:"FANOUT_WEB_DIR"`
	// SauValidAccountsWait and SauLoginQRWait bound the original tool's web
	// API routes /getValidAccounts and /login (see server.Config).
	SauValidAccountsWait time.Duration `env:"FANOUT_SAU_VALID_ACCOUNTS_WAIT" envDefault:"5s"`
	SauLoginQRWait       time.Duration `env:"FANOUT_SAU_LOGIN_QR_WAIT" envDefault:"60s"`
	// Live configures the Douyin live assistant (FANOUT_LIVE_*, FANOUT_TENCENT_*).
	Live live.Config
	// MCPUploadDir is the only directory MCP's upload_file reads server-side
	// files from; empty turns such uploads off (URLs still work).
	MCPUploadDir string `env:"FANOUT_MCP_UPLOAD_DIR"`
	// MCPAllowPrivateURLs lets upload_file download from loopback,
	// link-local and private addresses.
	MCPAllowPrivateURLs bool `env:"FANOUT_MCP_ALLOW_PRIVATE_URLS" envDefault:"false"`
}

// server is the HTTP server's configuration but the live service (the
// core's part is the stdio MCP server's too).
func (c Config) server(loc *time.Location) server.Config {
	return server.Config{
		MaxUploadBytes: c.MaxUploadBytes, Location: loc, MaxTasks: c.MaxTasksPerRequest, MaxJSONBytes: c.MaxJSONBytes,
		AllowPrivateProxy: c.AllowPrivateProxy, TokenCacheTTL: c.TokenCacheTTL,
		ValidAccountsWait: c.SauValidAccountsWait, LoginQRWait: c.SauLoginQRWait,
		AllowPrivateWebhooks: c.AllowPrivateWebhooks, WebDir: c.WebDir,
		MCP: mcp.Config{UploadDir: c.MCPUploadDir, AllowPrivateURLs: c.MCPAllowPrivateURLs},
	}
}

// stdin is what fanout-api mcp reads (tests replace it).
var stdin io.Reader = os.Stdin

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "fanout-api:", err)
		os.Exit(1)
	}
}

// run is main without globals, so tests run the real binary's code. ready,
// when not nil, receives the listening address once the server accepts.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready chan<- string) error {
	var cfg Config
	if err := config.Load(&cfg, getenv); err != nil {
		return err
	}
	log := cfg.Logger(stderr)
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "migrate":
		n, err := postgres.Migrate(ctx, cfg.DatabaseURL)
		if err != nil {
			return err
		}
		log.Info("migrations applied", "count", n)
		return nil
	case "token":
		return tokenCmd(ctx, cfg, args, stdout)
	case "serve":
		return serveWith(ctx, cfg, log, ready)
	case "mcp":
		return mcpStdio(ctx, cfg, log, stdin, stdout)
	default:
		return fmt.Errorf("unknown command %q (serve, migrate, token create, mcp)", cmd)
	}
}

// mcpStdio serves MCP over in and out until the client hangs up or ctx
// ends. It asks no token: whoever can run the binary with its environment
// holds the database and the key already. Logs go to stderr; out is the
// protocol's alone.
func mcpStdio(ctx context.Context, cfg Config, log *slog.Logger, in io.Reader, out io.Writer) error {
	loc, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		return fmt.Errorf("FANOUT_TIMEZONE: %w", err)
	}
	st, err := deps.Open(ctx, cfg.Common, cfg.DBTimeout)
	if err != nil {
		return err
	}
	defer st.Close()
	scfg := cfg.server(loc)
	core := app.New(st.Store, st.Queue, st.Files, log, scfg.App())
	defer core.Close()
	err = mcp.NewServer(core, log, scfg.MCP).Run(ctx, &sdk.IOTransport{Reader: io.NopCloser(in), Writer: nopCloser{out}})
	if ctx.Err() != nil || errors.Is(err, io.EOF) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mcp: %w", err)
	}
	return nil
}

// nopCloser leaves closing stdout to the process.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func tokenCmd(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	const usage = "usage: fanout-api token create|revoke -name NAME"
	if len(args) == 0 || (args[0] != "create" && args[0] != "revoke") {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("token "+args[0], flag.ContinueOnError)
	name := fs.String("name", "default", "a label for the token")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	pool, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	store := postgres.NewStore(pool, nil)
	if args[0] == "revoke" {
		// Deleting the token ends its browser sessions too (ON DELETE CASCADE).
		n, err := store.RevokeTokens(ctx, *name)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "revoked %d token(s) named %q\n", n, *name)
		return err
	}
	token, hash := secret.NewToken()
	if err := store.CreateToken(ctx, uuid.NewString(), *name, hash); err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, token)
	return err
}
