package legacy

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"fanout/api/httpx"
	"fanout/pkg/app"
	"fanout/pkg/job"
)

// login is the original's QR login over SSE: GET /login?type=&id= where id
// is the account's display name. It finds or creates that account, queues
// the same login task as POST /api/v1/accounts/{id}/login and streams the
// task's QR code and outcome as the original's frontend reads them — plain
// "data:" frames, the QR image src first, then 200 or 500 — or, with
// format=json, as the seed's JSON events ({"status":"qrcode","qrcodeUrl"},
// scanned, success, error+message). Unlike the original the stream always
// ends: on success, on failure, when the QR code expires, when no QR code
// shows within cfg.LoginQRWait, and when the client leaves (which cancels
// the login task, freeing its browser).
func (h *handler) login(c *gin.Context) {
	ctx := c.Request.Context()
	jsonMode := c.Query("format") == "json"
	name := strings.TrimSpace(c.Query("id"))
	switch {
	case c.Query("type") == "":
		h.fail(c, sauErr(job.EInvalid, "平台类型不能为空"))
		return
	case name == "":
		h.fail(c, sauErr(job.EInvalid, "账号名称(id)不能为空"))
		return
	case utf8.RuneCountInString(name) > 100:
		h.fail(c, sauErr(job.EInvalid, "账号名称最多 100 个字符"))
		return
	}
	pt, err := sauPlatform(c.Query("type"))
	if err != nil {
		h.fail(c, err)
		return
	}
	acc, err := h.app.AccountNamed(ctx, pt.Name, name)
	if err != nil {
		h.fail(c, err)
		return
	}
	t, err := h.app.RelogIn(ctx, acc.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.log.Info("legacy login", "request_id", c.GetString("request_id"), "task_id", t.ID, "account_id", acc.ID)

	c.Header("Connection", "keep-alive")
	c.Header("X-Task-Id", t.ID)
	httpx.StartStream(c)

	send := func(plain string, event map[string]string) {
		if jsonMode {
			b, _ := json.Marshal(event)
			plain = string(b)
		}
		fmt.Fprintf(c.Writer, "data: %s\n\n", strings.NewReplacer("\r", "", "\n", "").Replace(plain))
		c.Writer.Flush()
	}
	out := h.app.FollowLogin(ctx, t.ID, app.LoginWatch{
		QRWait: h.cfg.LoginQRWait,
		OnQR:   func(qr string) { send(qr, map[string]string{"status": "qrcode", "qrcodeUrl": qr}) },
		OnScanned: func() {
			if jsonMode {
				send("", map[string]string{"status": "scanned"})
			}
		},
		KeepAlive: func() { httpx.KeepAlive(c) },
	})
	if ctx.Err() != nil {
		h.app.CancelQuietly(context.WithoutCancel(ctx), t.ID)
		return
	}
	if !out.OK {
		h.app.CancelQuietly(ctx, t.ID) // a no-op once the task has ended
	}
	if out.OK {
		send("200", map[string]string{"status": "success"})
	} else {
		send("500", map[string]string{"status": "error", "message": h.loginMessage(out)})
	}
	// Let the frontend close first (see Config.LoginLinger).
	linger := time.NewTimer(h.cfg.LoginLinger)
	defer linger.Stop()
	select {
	case <-ctx.Done():
	case <-linger.C:
	}
}

// loginMessage is the original's wording of a failed login.
func (h *handler) loginMessage(o app.LoginOutcome) string {
	switch o.Reason {
	case app.LoginQRExpired:
		return "二维码已过期，请重新登录"
	case app.LoginNoQR:
		return fmt.Sprintf("%s 内未能获取登录二维码", h.cfg.LoginQRWait)
	case app.LoginTimedOut:
		return "登录超时"
	case app.LoginReadFailed:
		return "登录状态读取失败"
	case app.LoginClientGone:
		return "client gone"
	case app.LoginShutdown:
		return "服务正在重启，请重新登录"
	}
	switch o.Code {
	case "":
		return "登录失败"
	case job.CodeLoginTimeout:
		return "登录超时：未扫码或未确认"
	case job.CodeCanceled:
		return "登录已取消"
	}
	return "登录失败: " + o.Detail
}
