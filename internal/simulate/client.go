package simulate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// Client talks to a Comuna server through its JSON API, retrying a request
// with the same idempotency key when the network or the server fails, so
// that a retry never counts twice.
type Client struct {
	// BaseURL is the server's root, such as http://localhost:8080.
	BaseURL string
	// HTTP sends the requests; nil means a client sized for concurrency.
	HTTP *http.Client
	// RetryFor is how long to keep retrying one request; zero means a
	// minute, enough for a server to be restarted.
	RetryFor time.Duration
}

// NewClient returns a client for baseURL that keeps up to conns
// connections open.
func NewClient(baseURL string, conns int) *Client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns * 2,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &Client{BaseURL: strings.TrimSuffix(baseURL, "/"), HTTP: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

// APIError is an answer with an error status that retrying will not fix.
type APIError struct {
	Method, Path string
	Status       int
	Code         string // the API's error code, such as conflict
	Message      string
}

// Error says which request failed and how.
func (e *APIError) Error() string {
	return fmt.Sprintf("%s %s: %d %s: %s", e.Method, e.Path, e.Status, e.Code, e.Message)
}

// result is what one request cost: the latency of its last attempt and
// how many times it was sent again.
type result struct {
	latency time.Duration
	retries int
}

// do sends a request with token (none if empty) and body (JSON, nil for
// none), decoding a 2xx answer into out. Network errors and 5xx answers
// are retried with the same body — hence the same idempotency key — with
// a growing pause, until RetryFor has passed.
func (c *Client) do(ctx context.Context, method, path, token string, body []byte, out any) (result, error) {
	var res result
	retryFor := c.RetryFor
	if retryFor == 0 {
		retryFor = time.Minute
	}
	deadline := time.Now().Add(retryFor)
	pause := 20 * time.Millisecond
	for {
		start := time.Now()
		status, data, err := c.once(ctx, method, path, token, body)
		res.latency = time.Since(start)
		if err == nil && status < 500 {
			if status >= 300 {
				return res, apiError(method, path, status, data)
			}
			if out != nil {
				if err := json.Unmarshal(data, out); err != nil {
					return res, fmt.Errorf("%s %s: decode answer: %w", method, path, err)
				}
			}
			return res, nil
		}
		if err == nil {
			err = apiError(method, path, status, data)
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			return res, fmt.Errorf("after %d retries: %w", res.retries, err)
		}
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(pause):
		}
		pause = min(2*pause, time.Second)
		res.retries++
	}
}

func (c *Client) once(ctx context.Context, method, path, token string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, data, nil
}

func apiError(method, path string, status int, data []byte) *APIError {
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	json.Unmarshal(data, &e)
	if e.Error.Message == "" {
		e.Error.Message = strings.TrimSpace(string(data))
	}
	return &APIError{Method: method, Path: path, Status: status, Code: e.Error.Code, Message: e.Error.Message}
}

// get fetches a public resource into out; GETs are safe to retry.
func (c *Client) get(ctx context.Context, path string, out any) error {
	_, err := c.do(ctx, http.MethodGet, path, "", nil, out)
	return err
}

// getRaw fetches a public resource as bytes.
func (c *Client) getRaw(ctx context.Context, path string) ([]byte, error) {
	status, data, err := c.once(ctx, http.MethodGet, path, "", nil)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, apiError(http.MethodGet, path, status, data)
	}
	return data, nil
}
