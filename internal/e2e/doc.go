// Package e2e holds Comuna's end-to-end tests: they build the real
// comuna binary, start it on a free port with the demo, and drive it from
// headless Chromium (Debian's chromium, never a downloaded browser).
package e2e
