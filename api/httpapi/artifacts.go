package httpapi

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"github.com/gin-gonic/gin"

	"fanout/pkg/job"
)

// artifactName is what the worker writes (attempt-N-screenshot.png,
// attempt-N-page.html); anything else, including traversal, is refused.
var artifactName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$`)

func (s *Server) artifactDir(taskID string) string {
	return filepath.Join(s.files.Dir(), "artifacts", taskID)
}

// listArtifacts names the screenshots and page dumps kept for a task's
// failed browser steps.
func (s *Server) listArtifacts(c *gin.Context) {
	t, ok := loadByID(s, c, s.store.GetTask)
	if !ok {
		return
	}
	names := []string{}
	entries, err := os.ReadDir(s.artifactDir(t.ID))
	if err != nil && !os.IsNotExist(err) {
		s.fail(c, err)
		return
	}
	for _, e := range entries {
		if !e.IsDir() && artifactName.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	c.JSON(http.StatusOK, gin.H{"items": names})
}

// getArtifact serves one artifact.
func (s *Server) getArtifact(c *gin.Context) {
	t, ok := loadByID(s, c, s.store.GetTask)
	if !ok {
		return
	}
	name := c.Param("name")
	if !artifactName.MatchString(name) {
		s.fail(c, invalid("name", "not an artifact name"))
		return
	}
	path := filepath.Join(s.artifactDir(t.ID), name)
	if _, err := os.Stat(path); err != nil {
		s.fail(c, job.NotFound("artifact"))
		return
	}
	c.File(path)
}
