package legacy

// Names the external tests (package legacy_test) read.
var (
	UUIDPrefix = uuidPrefix
	SauTypes   = sauTypes
)

// FileRow is a /getFiles row.
type FileRow = fileRow
