package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/task"
)

type accountRequest struct {
	Platform *string `json:"platform"`
	Name     *string `json:"name"`
	Proxy    *string `json:"proxy"`
}

func validProxy(p string) bool {
	u, err := url.Parse(p)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "socks5") && u.Host != ""
}

func (s *Server) createAccount(c *gin.Context) {
	var req accountRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	var fe job.FieldErrors
	var p platform.Name
	switch {
	case req.Platform == nil || *req.Platform == "":
		fe.Add("platform", "required")
	case !platform.Name(*req.Platform).Valid():
		fe.Add("platform", "unknown platform %q (supported: %v)", *req.Platform, platform.Names())
	default:
		p = platform.Name(*req.Platform)
	}
	name := ""
	if req.Name != nil {
		name = strings.TrimSpace(*req.Name)
	}
	checkName(&fe, name)
	proxy := ""
	if req.Proxy != nil && *req.Proxy != "" {
		if proxy = *req.Proxy; !validProxy(proxy) {
			fe.Add("proxy", "must be a URL like http://host:port or socks5://host:port")
		}
	}
	if err := fe.Err(); err != nil {
		s.fail(c, err)
		return
	}
	a, err := s.store.CreateAccount(c.Request.Context(), uuid.NewString(), p, name, proxy)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/accounts/"+a.ID)
	c.JSON(http.StatusCreated, a)
}

func checkName(fe *job.FieldErrors, name string) {
	switch {
	case name == "":
		fe.Add("name", "required")
	case utf8.RuneCountInString(name) > 100:
		fe.Add("name", "at most 100 characters")
	}
}

func (s *Server) listAccounts(c *gin.Context) {
	p := platform.Name(c.Query("platform"))
	if p != "" && !p.Valid() {
		s.fail(c, invalid("platform", "unknown platform"))
		return
	}
	as, err := s.store.ListAccounts(c.Request.Context(), p)
	s.reply(c, http.StatusOK, gin.H{"items": as}, err)
}

func (s *Server) getAccount(c *gin.Context) {
	if a, ok := loadByID(s, c, s.store.GetAccount); ok {
		c.JSON(http.StatusOK, a)
	}
}

func (s *Server) updateAccount(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req accountRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	var fe job.FieldErrors
	if req.Platform != nil {
		fe.Add("platform", "cannot be changed; create a new account")
	}
	if req.Name != nil {
		n := strings.TrimSpace(*req.Name)
		req.Name = &n
		checkName(&fe, n)
	}
	if req.Proxy != nil && *req.Proxy != "" && !validProxy(*req.Proxy) {
		fe.Add("proxy", "must be a URL like http://host:port or socks5://host:port")
	}
	if err := fe.Err(); err != nil {
		s.fail(c, err)
		return
	}
	a, err := s.store.UpdateAccount(c.Request.Context(), id, req.Name, req.Proxy)
	s.reply(c, http.StatusOK, a, err)
}

func (s *Server) deleteAccount(c *gin.Context) {
	_, ok := loadByID(s, c, func(ctx context.Context, id string) (struct{}, error) {
		return struct{}{}, s.store.DeleteAccount(ctx, id)
	})
	if ok {
		c.Status(http.StatusNoContent)
	}
}

func (s *Server) loginAccount(c *gin.Context) { s.accountTask(c, job.KindLogin) }
func (s *Server) checkAccount(c *gin.Context) { s.accountTask(c, job.KindCheck) }

// accountTask queues a login or a cookie check for an account.
func (s *Server) accountTask(c *gin.Context, kind job.Kind) {
	a, ok := loadByID(s, c, s.store.GetAccount)
	if !ok {
		return
	}
	ts, err := s.createAndEnqueue(c, []job.NewTask{{ID: uuid.NewString(), Kind: kind, Platform: a.Platform,
		AccountID: a.ID, MaxAttempts: task.Policies[kind].MaxAttempts}})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/tasks/"+ts[0].ID)
	c.JSON(http.StatusAccepted, gin.H{"task_id": ts[0].ID})
}

// createAndEnqueue commits tasks to Postgres, then rings the queue. A Redis
// failure does not lose a task: it stays queued in Postgres and the worker's
// sweeper enqueues it again, so the client still gets its task IDs.
func (s *Server) createAndEnqueue(c *gin.Context, nts []job.NewTask) ([]job.Task, error) {
	ts, err := s.store.CreateTasks(c.Request.Context(), nts)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if err := s.queue.Enqueue(c.Request.Context(), t); err != nil {
			s.log.Warn("enqueue failed; the sweeper will retry", "task_id", t.ID, "err", err)
		}
	}
	return ts, nil
}
