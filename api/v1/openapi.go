package v1

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"
	"github.com/goccy/go-yaml"
)

// The documents are written by hand in YAML, beside the handlers they
// describe, because a reviewer reads them in a diff: YAML keeps a schema on
// a few lines where JSON needs dozens. The tests keep openapi.yaml honest
// (api/apitest validates every /api/v1 request and response against it).
var (
	//go:embed openapi.yaml
	specYAML []byte
	//go:embed openapi-compat.yaml
	compatYAML []byte
)

// Spec is the OpenAPI 3.1 document of /api/v1 (and /healthz, /readyz), as
// written.
func Spec() []byte { return specYAML }

// CompatSpec is the OpenAPI 3.1 document of the routes whose shapes the
// seeds fix (the legacy web API and the live assistant), as written.
func CompatSpec() []byte { return compatYAML }

// The JSON forms are converted once, at the first request, with the YAML
// library gin already links (goccy/go-yaml), keeping the key order.
var (
	specJSON   = sync.OnceValues(func() ([]byte, error) { return toJSON(specYAML) })
	compatJSON = sync.OnceValues(func() ([]byte, error) { return toJSON(compatYAML) })
)

func toJSON(y []byte) ([]byte, error) {
	j, err := yaml.YAMLToJSON(y)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	var out bytes.Buffer
	if err := json.Compact(&out, j); err != nil {
		return nil, fmt.Errorf("openapi: not JSON after conversion: %w", err)
	}
	return out.Bytes(), nil
}

// serveDoc answers with a document. It needs no token: the document holds
// nothing a client is not meant to know (the routes are in the README), and
// the tools that read it — client generators, API consoles, agents deciding
// how to call Fanout — fetch it before they have credentials.
func (h *handler) serveDoc(doc func() ([]byte, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		b, err := doc()
		if err != nil {
			h.fail(c, err)
			return
		}
		c.Header("Cache-Control", "no-cache")
		c.Data(http.StatusOK, "application/json; charset=utf-8", b)
	}
}
