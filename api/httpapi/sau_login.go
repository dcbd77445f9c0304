package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/task"
)

// sauLoginOutcome is how a legacy login stream ended.
type sauLoginOutcome struct {
	ok  bool
	msg string
}

// sauLogin is the original's QR login over SSE: GET /login?type=&id= where id
// is the account's display name. It finds or creates that account, queues
// the same login task as POST /api/v1/accounts/{id}/login and streams the
// task's QR code and outcome as the original's frontend reads them — plain
// "data:" frames, the QR image src first, then 200 or 500 — or, with
// format=json, as the seed's JSON events ({"status":"qrcode","qrcodeUrl"},
// scanned, success, error+message). Unlike the original the stream always
// ends: on success, on failure, when the QR code expires, when no QR code
// shows within cfg.LoginQRWait, and when the client leaves (which cancels
// the login task, freeing its browser).
func (s *Server) sauLogin(c *gin.Context) {
	ctx := c.Request.Context()
	jsonMode := c.Query("format") == "json"
	name := strings.TrimSpace(c.Query("id"))
	switch {
	case c.Query("type") == "":
		s.sauFail(c, sauErr(job.EInvalid, "平台类型不能为空"))
		return
	case name == "":
		s.sauFail(c, sauErr(job.EInvalid, "账号名称(id)不能为空"))
		return
	case utf8.RuneCountInString(name) > 100:
		s.sauFail(c, sauErr(job.EInvalid, "账号名称最多 100 个字符"))
		return
	}
	pt, err := sauPlatform(c.Query("type"))
	if err != nil {
		s.sauFail(c, err)
		return
	}
	acc, err := s.accountNamed(ctx, pt.Name, name)
	if err != nil {
		s.sauFail(c, err)
		return
	}
	// A new login replaces one still waiting for a scan on this account.
	s.cancelAccountTasks(ctx, acc.ID, job.KindLogin)
	ts, err := s.createAndEnqueue(c, []job.NewTask{{ID: uuid.NewString(), Kind: job.KindLogin, Platform: acc.Platform,
		AccountID: acc.ID, MaxAttempts: task.Policies[job.KindLogin].MaxAttempts}})
	if err != nil {
		s.sauFail(c, err)
		return
	}
	taskID := ts[0].ID
	s.log.Info("legacy login", "request_id", c.GetString("request_id"), "task_id", taskID, "account_id", acc.ID)

	c.Header("Content-Type", "text/event-stream")
	c.Header("Cache-Control", "no-cache")
	c.Header("X-Accel-Buffering", "no")
	c.Header("Connection", "keep-alive")
	c.Header("X-Task-Id", taskID)
	c.Status(http.StatusOK)
	c.Writer.Flush()

	send := func(plain string, event map[string]string) {
		if jsonMode {
			b, _ := json.Marshal(event)
			plain = string(b)
		}
		fmt.Fprintf(c.Writer, "data: %s\n\n", strings.NewReplacer("\r", "", "\n", "").Replace(plain))
		c.Writer.Flush()
	}
	out := s.followLogin(ctx, taskID, func(qr string) {
		send(qr, map[string]string{"status": "qrcode", "qrcodeUrl": qr})
	}, func() {
		if jsonMode {
			send("", map[string]string{"status": "scanned"})
		}
	}, func() {
		fmt.Fprint(c.Writer, ": keep-alive\n\n")
		c.Writer.Flush()
	})
	if ctx.Err() != nil {
		s.cancelTaskByID(context.WithoutCancel(ctx), taskID)
		return
	}
	if !out.ok {
		s.cancelTaskByID(ctx, taskID) // a no-op once the task has ended
	}
	if out.ok {
		send("200", map[string]string{"status": "success"})
	} else {
		send("500", map[string]string{"status": "error", "message": out.msg})
	}
	// Let the frontend close first (see Config.LoginLinger).
	linger := time.NewTimer(s.cfg.LoginLinger)
	defer linger.Stop()
	select {
	case <-ctx.Done():
	case <-linger.C:
	}
}

// accountNamed returns the account called name on p, creating it (status
// new) on first use: the original's login took a display name and created
// the account row afterwards.
func (s *Server) accountNamed(ctx context.Context, p platform.Name, name string) (job.SeqAccount, error) {
	a, err := s.store.AccountByName(ctx, p, name)
	if job.ErrorCode(err) != job.ENotFound {
		return a, err
	}
	_, err = s.store.CreateAccount(ctx, uuid.NewString(), p, name, "")
	if err != nil && job.ErrorCode(err) != job.EConflict { // conflict: created meanwhile
		return a, err
	}
	return s.store.AccountByName(ctx, p, name)
}

// followLogin follows a login task's events until it ends, calling onQR for
// each new QR code and onScanned when it was scanned, and keepAlive on idle
// streams. It gives up (and reports failure) when the QR code expires, when
// none shows within cfg.LoginQRWait, or after the login kind's own timeout.
func (s *Server) followLogin(ctx context.Context, taskID string, onQR func(string), onScanned, keepAlive func()) sauLoginOutcome {
	start := time.Now()
	overall := task.Policies[job.KindLogin].Timeout + time.Minute
	tick := time.NewTicker(s.cfg.EventPoll)
	defer tick.Stop()
	var after int64
	lastQR, lastWrite := "", time.Now()
	for {
		evs, err := s.store.Events(ctx, taskID, after, 100)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("legacy login events", "task_id", taskID, "err", err)
			}
			return sauLoginOutcome{msg: "登录状态读取失败"}
		}
		for _, e := range evs {
			after = e.ID
			if e.State.Terminal() {
				return s.loginOutcome(ctx, taskID, e.State)
			}
			var lr job.LoginResult
			if len(e.Data) == 0 || json.Unmarshal(e.Data, &lr) != nil {
				continue
			}
			switch lr.Phase {
			case platform.PhaseQRCode:
				if lr.QRCode != "" && lr.QRCode != lastQR {
					lastQR = lr.QRCode
					onQR(lr.QRCode)
					lastWrite = time.Now()
				}
			case platform.PhaseScanned:
				onScanned()
				lastWrite = time.Now()
			case platform.PhaseExpired:
				return sauLoginOutcome{msg: "二维码已过期，请重新登录"}
			}
		}
		if len(evs) > 0 {
			continue
		}
		switch {
		case lastQR == "" && time.Since(start) > s.cfg.LoginQRWait:
			return sauLoginOutcome{msg: fmt.Sprintf("%s 内未能获取登录二维码", s.cfg.LoginQRWait)}
		case time.Since(start) > overall:
			return sauLoginOutcome{msg: "登录超时"}
		case time.Since(lastWrite) > 15*time.Second:
			keepAlive()
			lastWrite = time.Now()
		}
		select {
		case <-ctx.Done():
			return sauLoginOutcome{msg: "client gone"}
		case <-tick.C:
		}
	}
}

// loginOutcome reads how a finished login task ended.
func (s *Server) loginOutcome(ctx context.Context, taskID string, st job.State) sauLoginOutcome {
	if st == job.StateSucceeded {
		return sauLoginOutcome{ok: true}
	}
	msg := "登录失败"
	if t, err := s.store.GetTask(ctx, taskID); err == nil && t.Error != nil {
		switch t.Error.Code {
		case job.CodeLoginTimeout:
			msg = "登录超时：未扫码或未确认"
		case job.CodeCanceled:
			msg = "登录已取消"
		default:
			msg = "登录失败: " + t.Error.Message
		}
	}
	return sauLoginOutcome{msg: msg}
}
