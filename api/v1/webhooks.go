package v1

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"fanout/pkg/app"
)

func (h *handler) createWebhook(c *gin.Context) {
	var in app.WebhookInput
	if err := h.bindJSON(c, &in); err != nil {
		h.fail(c, err)
		return
	}
	w, err := h.app.CreateWebhook(c.Request.Context(), in)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/webhooks/"+w.ID)
	c.JSON(http.StatusCreated, w)
}

func (h *handler) listWebhooks(c *gin.Context) {
	ws, err := h.app.ListWebhooks(c.Request.Context())
	h.reply(c, http.StatusOK, gin.H{"items": ws}, err)
}

func (h *handler) deleteWebhook(c *gin.Context) {
	_, ok := byID(h, c, func(ctx context.Context, id string) (struct{}, error) {
		return struct{}{}, h.app.DeleteWebhook(ctx, id)
	})
	if ok {
		c.Status(http.StatusNoContent)
	}
}

func (h *handler) webhookDeliveries(c *gin.Context) {
	if ds, ok := byID(h, c, h.app.Deliveries); ok {
		c.JSON(http.StatusOK, gin.H{"items": ds})
	}
}
