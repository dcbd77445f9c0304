// Package httpapi is Fanout's HTTP API on gin: the native /api/v1 routes,
// health checks, token auth and the one error envelope. Handlers validate,
// write to Postgres, ring the queue and answer at once; they never wait for a
// browser.
package httpapi

import (
	"context"
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"fanout/pkg/filestore"
	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/web"
)

// Store is what the API needs from Postgres.
type Store interface {
	Ping(ctx context.Context) error
	TokenValid(ctx context.Context, hash []byte) (bool, error)

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
	DeleteFile(ctx context.Context, id string) (job.File, error)

	CreateTasks(ctx context.Context, ts []job.NewTask) ([]job.Task, error)
	GetTask(ctx context.Context, id string) (job.Task, error)
	ListTasks(ctx context.Context, f job.TaskFilter) ([]job.Task, string, error)
	Events(ctx context.Context, taskID string, afterID int64, limit int) ([]job.Event, error)
	RequestCancel(ctx context.Context, id string) (job.Task, error)

	// For the original tool's web API (sau_*.go): integer ids and lookups.
	SeqAccounts(ctx context.Context) ([]job.SeqAccount, error)
	SeqAccount(ctx context.Context, seq int64) (job.SeqAccount, error)
	SeqAccountByID(ctx context.Context, id string) (job.SeqAccount, error)
	AccountByName(ctx context.Context, p platform.Name, name string) (job.SeqAccount, error)
	SeqFiles(ctx context.Context) ([]job.SeqFile, error)
	SeqFile(ctx context.Context, seq int64) (job.SeqFile, error)
	SeqFileByID(ctx context.Context, id string) (job.SeqFile, error)
	PendingTasks(ctx context.Context, kind job.Kind) ([]job.Task, error)
	GetTasks(ctx context.Context, ids []string) ([]job.Task, error)
}

// Queue is what the API needs from the task queue.
type Queue interface {
	Ping(ctx context.Context) error
	Enqueue(ctx context.Context, t job.Task) error
	Cancel(ctx context.Context, t job.Task) error
}

// Config tunes the API.
type Config struct {
	// MaxUploadBytes caps one uploaded file.
	MaxUploadBytes int64
	// Location is the time zone of daily schedules ("HH:MM" times).
	Location *time.Location
	// EventPoll is how often an SSE stream looks for new task events.
	EventPoll time.Duration
	// Now is the clock (tests pin it).
	Now func() time.Time
	// ValidAccountsWait bounds how long /getValidAccounts waits for the
	// cookie checks it queued before answering with what it has.
	ValidAccountsWait time.Duration
	// LoginQRWait bounds how long the legacy SSE /login waits for the login
	// task's first QR code before it ends the stream with a failure.
	LoginQRWait time.Duration
	// LoginLinger keeps the legacy SSE /login open this long after its last
	// frame: the original frontend closes the stream itself about a second
	// after "200" and shows a connection error if the server closes first.
	LoginLinger time.Duration
	// Live serves the Douyin live assistant's routes (seed 001); nil turns
	// them into a 500.
	Live LiveService
}

// Server holds the API's dependencies; its methods are the handlers.
type Server struct {
	store Store
	queue Queue
	files *filestore.Store
	log   *slog.Logger
	cfg   Config
}

// New builds the API handler.
func New(store Store, queue Queue, files *filestore.Store, log *slog.Logger, cfg Config) *gin.Engine {
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = 4 << 30
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.EventPoll <= 0 {
		cfg.EventPoll = 250 * time.Millisecond
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ValidAccountsWait <= 0 {
		cfg.ValidAccountsWait = 5 * time.Second
	}
	if cfg.LoginQRWait <= 0 {
		cfg.LoginQRWait = 60 * time.Second
	}
	if cfg.LoginLinger <= 0 {
		cfg.LoginLinger = 2 * time.Second
	}
	s := &Server{store: store, queue: queue, files: files, log: log, cfg: cfg}
	return s.routes()
}

func (s *Server) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// Route on the raw path so an encoded slash stays inside its parameter
	// (and is rejected there with a field name) instead of changing the route.
	r.UseRawPath = true
	r.Use(s.requestID, s.accessLog, s.recovery, corsAll())
	r.NoRoute(func(c *gin.Context) {
		s.fail(c, job.Errorf(job.ENotFound, "no route %s %s", c.Request.Method, c.Request.URL.Path))
	})
	r.NoMethod(func(c *gin.Context) { s.fail(c, &job.Error{Code: "method_not_allowed", Message: "method not allowed"}) })

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)

	v1 := r.Group("/api/v1", s.auth)
	v1.POST("/files", s.uploadFile)
	v1.GET("/files", s.listFiles)
	v1.GET("/files/:id", s.getFile)
	v1.GET("/files/:id/content", s.fileContent)
	v1.DELETE("/files/:id", s.deleteFile)

	v1.POST("/accounts", s.createAccount)
	v1.GET("/accounts", s.listAccounts)
	v1.GET("/accounts/:id", s.getAccount)
	v1.PATCH("/accounts/:id", s.updateAccount)
	v1.DELETE("/accounts/:id", s.deleteAccount)
	v1.POST("/accounts/:id/login", s.loginAccount)
	v1.POST("/accounts/:id/check", s.checkAccount)
	v1.PUT("/accounts/:id/cookies", s.importCookies)
	v1.GET("/accounts/:id/cookies", s.exportCookies)

	v1.POST("/publish", s.publish)

	v1.GET("/tasks", s.listTasks)
	v1.GET("/tasks/:id", s.getTask)
	v1.GET("/tasks/:id/events", s.taskEvents)
	v1.POST("/tasks/:id/cancel", s.cancelTask)
	v1.GET("/tasks/:id/artifacts", s.listArtifacts)
	v1.GET("/tasks/:id/artifacts/:name", s.getArtifact)

	s.sauRoutes(r)
	s.liveRoutes(r)
	return r
}
