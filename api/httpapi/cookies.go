package httpapi

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/task"
	"fanout/pkg/web"
)

// maxCookieBody bounds an imported storage state.
const maxCookieBody = 1 << 20

// importCookies stores cookies exported from a browser (a Playwright storage
// state or a cookie array) for an account, sealed like a QR login's, and
// queues a check so the account's status soon says whether they work. It is
// the way in for platforms whose login cannot be automated.
func (s *Server) importCookies(c *gin.Context) {
	a, ok := loadByID(s, c, s.store.GetAccount)
	if !ok {
		return
	}
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, maxCookieBody+1))
	if err != nil {
		s.fail(c, err)
		return
	}
	if len(body) > maxCookieBody {
		s.fail(c, &job.Error{Code: job.ETooLarge, Message: "storage state too large", Fields: []job.FieldError{{Field: "cookies", Message: "at most 1 MiB"}}})
		return
	}
	cookies, err := web.ParseCookies(body)
	if err != nil {
		s.fail(c, invalid("cookies", err.Error()))
		return
	}
	if err := s.store.SaveCookies(c.Request.Context(), a.ID, cookies, job.AccountActive, true); err != nil {
		s.fail(c, err)
		return
	}
	ts, err := s.createAndEnqueue(c, []job.NewTask{{ID: uuid.NewString(), Kind: job.KindCheck, Platform: a.Platform,
		AccountID: a.ID, MaxAttempts: task.Policies[job.KindCheck].MaxAttempts}})
	if err != nil {
		s.fail(c, err)
		return
	}
	a, err = s.store.GetAccount(c.Request.Context(), a.ID)
	s.reply(c, http.StatusOK, gin.H{"account": a, "cookies": len(cookies), "check_task_id": ts[0].ID}, err)
}

// exportCookies returns the account's cookies as a Playwright storage state.
func (s *Server) exportCookies(c *gin.Context) {
	a, ok := loadByID(s, c, s.store.GetAccount)
	if !ok {
		return
	}
	cookies, _, err := s.store.AccountSecrets(c.Request.Context(), a.ID)
	if err == nil && len(cookies) == 0 {
		err = job.Errorf(job.ENotFound, "the account has no cookies yet; log it in first")
	}
	s.reply(c, http.StatusOK, web.NewStorageState(cookies), err)
}
