// Package refdata finds the reference data tests run against: the small
// set kept in the repository's testdata/ folder, and the full reference
// corpus, which lives outside the repository and is used only when it is
// there.
//
// The full corpus is the folder named by COMUNA_REFERENCE_DIR or, when
// that is unset, the ../shared folder beside the repository. When
// COMUNA_REFERENCE_DIR is set the folder must exist (a missing one fails
// the test, so CI never skips silently); when neither is there the tests
// that want it log that they skipped it.
package refdata

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// EnvDir names the environment variable that points at the full corpus.
const EnvDir = "COMUNA_REFERENCE_DIR"

var (
	rootOnce sync.Once
	root     string
	rootErr  error
)

// Root is the repository's root: the nearest folder upwards from the
// working directory that holds go.mod.
func Root(t testing.TB) string {
	t.Helper()
	rootOnce.Do(func() {
		dir, err := os.Getwd()
		if err != nil {
			rootErr = err
			return
		}
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				root = dir
				return
			}
			up := filepath.Dir(dir)
			if up == dir {
				rootErr = os.ErrNotExist
				return
			}
			dir = up
		}
	})
	if rootErr != nil {
		t.Fatalf("refdata: no go.mod above the working directory: %v", rootErr)
	}
	return root
}

// Small is the folder of the small reference set inside the repository,
// testdata/<sub> (for example testdata/pabulib).
func Small(t testing.TB, sub string) string {
	t.Helper()
	return filepath.Join(Root(t), "testdata", sub)
}

// Full is <corpus>/<sub> of the full reference corpus, or "" when the
// corpus is not available (the test's output says so). When
// COMUNA_REFERENCE_DIR is set but the folder is missing the test fails.
func Full(t testing.TB, sub string) string {
	t.Helper()
	if env := os.Getenv(EnvDir); env != "" {
		dir := filepath.Join(env, sub)
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			t.Fatalf("%s=%s but %s is not a folder: %v", EnvDir, env, dir, err)
		}
		return dir
	}
	dir := filepath.Join(filepath.Dir(Root(t)), "shared", sub)
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return dir
	}
	t.Logf("full reference corpus skipped: set %s to a folder holding %s/ (the small set in testdata/%s ran)", EnvDir, sub, sub)
	return ""
}
