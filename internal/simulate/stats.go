package simulate

import (
	"slices"
	"sync"
	"time"
)

// Latency summarises request latencies in milliseconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// Phase reports one phase of the vote day: how many requests it sent,
// what they were answered, how fast, and how many went wrong.
type Phase struct {
	Requests int64            `json:"requests"`
	Outcomes map[string]int64 `json:"outcomes"` // answer → count: accepted, already_voted, waiting…
	Retries  int64            `json:"retries"`  // requests sent again with the same key after a network error or 5xx
	Replayed int64            `json:"replayed"` // answers marked as replays of an earlier request
	Errors   int64            `json:"errors"`   // failed requests and answers that were not the expected ones
	Seconds  float64          `json:"seconds"`
	PerSec   float64          `json:"per_second"`
	Latency  Latency          `json:"latency_ms"`
}

// recorder gathers one phase's figures from many goroutines.
type recorder struct {
	mu        sync.Mutex
	start     time.Time
	latencies []time.Duration
	phase     Phase
}

func newRecorder(capacity int) *recorder {
	return &recorder{start: time.Now(), latencies: make([]time.Duration, 0, capacity),
		phase: Phase{Outcomes: map[string]int64{}}}
}

// record notes one request: its latency (of the last attempt), the answer,
// how many times it was retried and whether the server called it a replay.
func (r *recorder) record(d time.Duration, outcome string, retries int, replayed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.latencies = append(r.latencies, d)
	r.phase.Requests++
	r.phase.Retries += int64(retries)
	if outcome != "" {
		r.phase.Outcomes[outcome]++
	}
	if replayed {
		r.phase.Replayed++
	}
}

// fail counts an error: a request that failed for good or an answer that
// was not the one expected.
func (r *recorder) fail() {
	r.mu.Lock()
	r.phase.Errors++
	r.mu.Unlock()
}

// finish computes the throughput and the percentiles.
func (r *recorder) finish() Phase {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.phase
	p.Seconds = time.Since(r.start).Seconds()
	if p.Seconds > 0 {
		p.PerSec = float64(p.Requests) / p.Seconds
	}
	p.Latency = percentiles(r.latencies)
	return p
}

// percentiles returns the nearest-rank percentiles of ds in milliseconds.
func percentiles(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(q float64) float64 {
		i := int(q*float64(len(s))+0.999999) - 1
		i = max(0, min(i, len(s)-1))
		return ms(s[i])
	}
	return Latency{P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: ms(s[len(s)-1])}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
