// Package app is Fanout's application core: the operations a user can ask
// for (upload a file, manage accounts, log in, check, import cookies, publish,
// follow and cancel tasks), with their validation and rules. Every surface —
// the native /api/v1, the original tool's web API, and whatever comes next
// (MCP, CLI, console) — is a thin translation onto these methods, so a rule
// lives in one place. It speaks domain errors (*job.Error with codes and
// field errors) and knows nothing of HTTP, envelopes or status codes.
package app

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"fanout/pkg/filestore"
	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/secret"
	"fanout/pkg/web"
)

// Store is what the application needs from Postgres (*postgres.Store).
type Store interface {
	Ping(ctx context.Context) error
	TokenValid(ctx context.Context, hash []byte) (bool, error)
	CreateSession(ctx context.Context, tokenHash, sessionHash []byte, ttl time.Duration) error
	SessionValid(ctx context.Context, sessionHash []byte) (bool, error)

	CreateAccount(ctx context.Context, id string, p platform.Name, name, proxy string) (job.Account, error)
	GetAccount(ctx context.Context, id string) (job.Account, error)
	ListAccounts(ctx context.Context, p platform.Name) ([]job.Account, error)
	UpdateAccount(ctx context.Context, id string, name, proxy *string) (job.Account, error)
	DeleteAccount(ctx context.Context, id string) error
	SetAccountStatus(ctx context.Context, id string, status job.AccountStatus) error
	SaveCookies(ctx context.Context, id string, cookies []web.Cookie, status job.AccountStatus, login bool) error
	AccountSecrets(ctx context.Context, id string) ([]web.Cookie, string, error)

	CreateFile(ctx context.Context, f job.File) (job.File, error)
	GetFile(ctx context.Context, id string) (job.File, error)
	ListFiles(ctx context.Context) ([]job.File, error)
	DeleteFile(ctx context.Context, id string) (job.File, bool, error)

	CreateTasks(ctx context.Context, ts []job.NewTask) ([]job.Task, error)
	GetTask(ctx context.Context, id string) (job.Task, error)
	GetTasks(ctx context.Context, ids []string) ([]job.Task, error)
	ListTasks(ctx context.Context, f job.TaskFilter) ([]job.Task, string, error)
	PendingTasks(ctx context.Context, kind job.Kind) ([]job.Task, error)
	Events(ctx context.Context, taskID string, afterID int64, limit int) ([]job.Event, error)
	AllEvents(ctx context.Context, afterID int64, limit int) ([]job.Event, error)
	LastEventID(ctx context.Context) (int64, error)
	RequestCancel(ctx context.Context, id string) (job.Task, error)
	SetInput(ctx context.Context, id string, a platform.Answer) (job.Task, error)

	CreateWebhook(ctx context.Context, w job.Webhook) (job.Webhook, error)
	ListWebhooks(ctx context.Context) ([]job.Webhook, error)
	DeleteWebhook(ctx context.Context, id string) error
	Deliveries(ctx context.Context, webhookID string, limit int) ([]job.Delivery, error)

	// The original tool's integer ids (see numbered.go).
	SeqAccounts(ctx context.Context) ([]job.SeqAccount, error)
	SeqAccount(ctx context.Context, seq int64) (job.SeqAccount, error)
	SeqAccountByID(ctx context.Context, id string) (job.SeqAccount, error)
	AccountByName(ctx context.Context, p platform.Name, name string) (job.SeqAccount, error)
	SeqFiles(ctx context.Context) ([]job.SeqFile, error)
	SeqFile(ctx context.Context, seq int64) (job.SeqFile, error)
	SeqFileByID(ctx context.Context, id string) (job.SeqFile, error)
}

// Queue is what the application needs from the task queue (*task.Queue).
type Queue interface {
	Ping(ctx context.Context) error
	Enqueue(ctx context.Context, t job.Task) error
	Cancel(ctx context.Context, t job.Task) error
}

// Config tunes the application.
type Config struct {
	// MaxUploadBytes caps one uploaded file.
	MaxUploadBytes int64
	// Location is the time zone of daily schedules ("HH:MM" times).
	Location *time.Location
	// Poll is how often a wait on tasks or events looks again.
	Poll time.Duration
	// Now is the clock (tests pin it).
	Now func() time.Time
	// MaxTasks bounds the tasks one publish request (or batch) may create.
	MaxTasks int
	// MaxJSONBytes bounds a JSON request body.
	MaxJSONBytes int64
	// AllowPrivateProxy lets account proxies point at loopback, link-local
	// and private addresses.
	AllowPrivateProxy bool
	// AllowPrivateWebhooks lets webhook URLs point at loopback, link-local
	// and private addresses.
	AllowPrivateWebhooks bool
	// Events tells webhooks what happens here (a queued task canceled);
	// nil tells nobody.
	Events Emitter
	// TokenCacheTTL is how long a checked token is trusted without asking
	// Postgres again (and so how long a revoked token may still work);
	// negative disables the cache.
	TokenCacheTTL time.Duration
}

// DefaultMaxTasks is Config.MaxTasks unless set.
const DefaultMaxTasks = 1000

// App holds the application's dependencies; its methods are the operations.
type App struct {
	store Store
	queue Queue
	files *filestore.Store
	log   *slog.Logger
	cfg   Config

	closeOnce sync.Once
	done      chan struct{}
	tokens    tokenCache
}

// New builds the application core.
func New(store Store, queue Queue, files *filestore.Store, log *slog.Logger, cfg Config) *App {
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = 4 << 30
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 250 * time.Millisecond
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxTasks <= 0 {
		cfg.MaxTasks = DefaultMaxTasks
	}
	if cfg.MaxJSONBytes <= 0 {
		cfg.MaxJSONBytes = 1 << 20
	}
	if cfg.TokenCacheTTL == 0 {
		cfg.TokenCacheTTL = 5 * time.Second
	}
	return &App{store: store, queue: queue, files: files, log: log, cfg: cfg, done: make(chan struct{})}
}

// Close tells every wait and stream to end: the server is shutting down,
// and in-flight requests must finish within its grace period.
func (a *App) Close() { a.closeOnce.Do(func() { close(a.done) }) }

// Done is closed by Close.
func (a *App) Done() <-chan struct{} { return a.done }

// Location is the time zone daily schedules and legacy listings use.
func (a *App) Location() *time.Location { return a.cfg.Location }

// Poll is how often waits look again; surfaces that stream use it too.
func (a *App) Poll() time.Duration { return a.cfg.Poll }

// MaxJSONBytes is the largest JSON body a route reads.
func (a *App) MaxJSONBytes() int64 { return a.cfg.MaxJSONBytes }

// MaxUploadBytes is the largest file an upload may carry.
func (a *App) MaxUploadBytes() int64 { return a.cfg.MaxUploadBytes }

// ErrBadToken is an unknown or revoked API token.
var ErrBadToken = job.Errorf(job.EUnauthorized, "invalid token")

// Authenticate accepts a valid API token. Tokens are compared by hash; the
// token itself is never stored or logged. A valid token is remembered for
// TokenCacheTTL, so a busy client costs no database read per request, and a
// revoked token stops working within that time.
func (a *App) Authenticate(ctx context.Context, token string) error {
	if token == "" {
		return job.Errorf(job.EUnauthorized, "missing bearer token")
	}
	hash := secret.HashToken(token)
	if a.tokens.valid(hash) {
		return nil
	}
	ok, err := a.store.TokenValid(ctx, hash)
	if err != nil {
		return err
	}
	if !ok {
		return ErrBadToken
	}
	a.tokens.remember(hash, a.cfg.TokenCacheTTL)
	return nil
}

// tokenCache remembers recently valid token hashes.
type tokenCache struct {
	mu    sync.Mutex
	until map[string]time.Time
}

func (c *tokenCache) valid(hash []byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.until[string(hash)]
	return ok && time.Now().Before(t)
}

func (c *tokenCache) remember(hash []byte, ttl time.Duration) {
	if ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.until == nil || len(c.until) > 10000 {
		c.until = map[string]time.Time{} // bounded: forget everything rather than grow
	}
	c.until[string(hash)] = time.Now().Add(ttl)
}

// SessionTTL is how long a browser session lasts.
const SessionTTL = 7 * 24 * time.Hour

// StartSession opens a browser session for a valid API token and returns
// its id, which goes into an HttpOnly cookie. The cookie never holds the
// token itself: a session id reaches only the read-only link routes, and
// revoking the token ends it.
func (a *App) StartSession(ctx context.Context, token string) (string, error) {
	tok, _ := secret.NewToken()
	id := "fs_" + strings.TrimPrefix(tok, "fo_")
	if err := a.store.CreateSession(ctx, secret.HashToken(token), secret.HashToken(id), SessionTTL); err != nil {
		return "", err
	}
	return id, nil
}

// AuthenticateSession accepts a live browser session id.
func (a *App) AuthenticateSession(ctx context.Context, id string) error {
	if !strings.HasPrefix(id, "fs_") {
		return ErrBadToken
	}
	ok, err := a.store.SessionValid(ctx, secret.HashToken(id))
	if err != nil {
		return err
	}
	if !ok {
		return ErrBadToken
	}
	return nil
}

// Readiness is each dependency's answer: nil when it is usable.
type Readiness struct {
	Postgres error
	Redis    error
}

// Ready reports whether Postgres and Redis each answer within budget. They
// are asked at once, each with its own budget, so a slow one is never
// blamed on the other.
func (a *App) Ready(ctx context.Context, budget time.Duration) Readiness {
	var r Readiness
	var wg sync.WaitGroup
	check := func(ping func(context.Context) error, into *error) {
		defer wg.Done()
		cctx, cancel := context.WithTimeout(ctx, budget)
		defer cancel()
		*into = ping(cctx)
	}
	wg.Add(2)
	go check(a.store.Ping, &r.Postgres)
	go check(a.queue.Ping, &r.Redis)
	wg.Wait()
	return r
}

// OK reports whether every dependency answered.
func (r Readiness) OK() bool { return r.Postgres == nil && r.Redis == nil }

// invalid is a one-field validation error.
func invalid(field, msg string) *job.Error {
	return &job.Error{Code: job.EInvalid, Message: "invalid request", Fields: []job.FieldError{{Field: field, Message: msg}}}
}
