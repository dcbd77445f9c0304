package v1

import (
	"context"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"fanout/pkg/app"
	"fanout/pkg/job"
	"fanout/pkg/platform"
)

func (h *handler) createAccount(c *gin.Context) {
	var in app.AccountInput
	if err := h.bindJSON(c, &in); err != nil {
		h.fail(c, err)
		return
	}
	a, err := h.app.CreateAccount(c.Request.Context(), in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/accounts/"+a.ID)
	c.JSON(http.StatusCreated, a)
}

func (h *handler) listAccounts(c *gin.Context) {
	as, err := h.app.ListAccounts(c.Request.Context(), platform.Name(c.Query("platform")))
	h.reply(c, http.StatusOK, gin.H{"items": as}, err)
}

func (h *handler) getAccount(c *gin.Context) {
	if a, ok := byID(h, c, h.app.GetAccount); ok {
		c.JSON(http.StatusOK, a)
	}
}

func (h *handler) updateAccount(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	var in app.AccountInput
	if err := h.bindJSON(c, &in); err != nil {
		h.fail(c, err)
		return
	}
	a, err := h.app.UpdateAccount(c.Request.Context(), id, in)
	h.reply(c, http.StatusOK, a, err)
}

func (h *handler) deleteAccount(c *gin.Context) {
	_, ok := byID(h, c, func(ctx context.Context, id string) (struct{}, error) {
		return struct{}{}, h.app.DeleteAccount(ctx, id)
	})
	if ok {
		c.Status(http.StatusNoContent)
	}
}

func (h *handler) loginAccount(c *gin.Context) { h.accountTask(c, h.app.StartLogin) }
func (h *handler) checkAccount(c *gin.Context) { h.accountTask(c, h.app.StartCheck) }

// accountTask answers 202 with the task a login or a check queued.
func (h *handler) accountTask(c *gin.Context, start func(context.Context, string) (job.Task, error)) {
	t, ok := byID(h, c, start)
	if !ok {
		return
	}
	c.Header("Location", "/api/v1/tasks/"+t.ID)
	c.JSON(http.StatusAccepted, gin.H{"task_id": t.ID})
}

// importCookies takes a Playwright storage state or a cookie array.
func (h *handler) importCookies(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, app.MaxCookieBytes+1))
	if err != nil {
		h.fail(c, err)
		return
	}
	cookies, err := app.ParseCookies(body)
	if err != nil {
		h.fail(c, err)
		return
	}
	out, err := h.app.ImportCookies(c.Request.Context(), id, cookies)
	h.reply(c, http.StatusOK, out, err)
}

// exportCookies returns the account's cookies as a Playwright storage state.
func (h *handler) exportCookies(c *gin.Context) {
	if st, ok := byID(h, c, h.app.ExportCookies); ok {
		c.JSON(http.StatusOK, st)
	}
}
