package weibo_test

import (
	"testing"

	"fanout/pkg/platform/platformtest"
)

// TestMain closes the browser the tests share once they are done.
func TestMain(m *testing.M) { platformtest.Main(m) }
