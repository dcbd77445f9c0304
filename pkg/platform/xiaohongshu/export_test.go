package xiaohongshu

// URLs exposes the login and publish URLs the driver opens, for tests.
func URLs(d *Driver) (login, publish string) { return d.base + pathLogin, d.base + pathPublish }
