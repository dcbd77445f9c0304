package kuaishou

// LoginURL exposes the passport login URL the driver opens, for tests.
func LoginURL(d *Driver) string { return d.loginURL() }
