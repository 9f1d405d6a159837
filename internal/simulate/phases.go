package simulate

import (
	"context"
	"encoding/json"
	"net/http"
	"sync/atomic"

	"github.com/comuna/comuna/internal/tally"
)

// checkInAnswer is what the simulator reads of a check-in's answer.
type checkInAnswer struct {
	Outcome  string `json:"outcome"`
	Replayed bool   `json:"replayed"`
	CheckIns int64  `json:"check_ins"`
}

// replayEvery picks the accepted check-ins and sheets sent again with the
// same key, to verify that the server answers them as replays.
const replayEvery = 97

// checkIns plays the poll book: every voter and under-age attempt, then
// documents already used elsewhere, then replays of a sample.
func (r *run) checkIns(ctx context.Context) {
	w := r.w
	rec := newRecorder(len(w.Voters) + len(w.Repeats))
	r.bar.Stage("check-ins", int64(len(w.Voters)+len(w.Repeats)))
	r.parallel(ctx, len(w.Voters), func(i int) {
		if r.checkIn(ctx, rec, &w.Voters[i], false) {
			r.ok[i] = true
		}
		r.bar.Add(1)
	})
	r.parallel(ctx, len(w.Repeats), func(i int) {
		a := &w.Repeats[i]
		if r.ok[a.Source] {
			r.checkIn(ctx, rec, a, false)
		}
		r.bar.Add(1)
	})
	var sample []int
	for i := range w.Voters {
		if r.ok[i] && i%replayEvery == 0 {
			sample = append(sample, i)
		}
	}
	r.parallel(ctx, len(sample), func(k int) { r.checkIn(ctx, rec, &w.Voters[sample[k]], true) })
	r.rep.CheckIns = rec.finish()
}

// checkIn sends one attempt and checks the answer against what it must
// be; with replay, the attempt was accepted before and must be answered
// as a replay. It reports whether the voter was accepted anew.
func (r *run) checkIn(ctx context.Context, rec *recorder, a *Attempt, replay bool) bool {
	t := r.w.Tables[a.Table]
	var ans checkInAnswer
	res, err := r.c.do(ctx, http.MethodPost, r.base+"/tables/"+t.Table+"/checkins", r.cfg.Token, a.body(), &ans)
	if err != nil {
		rec.record(res.latency, "", res.retries, false)
		rec.fail()
		r.problem("check-in %s at %s: %v", a.Key, t.Table, err)
		return false
	}
	outcome := ans.Outcome
	if replay {
		outcome = "replay_" + outcome
	}
	rec.record(res.latency, outcome, res.retries, ans.Replayed)
	switch {
	case replay && (ans.Outcome != outcomeAccepted || !ans.Replayed):
		rec.fail()
		r.problem("replayed check-in %s at %s = %s (replayed %v), want accepted as a replay", a.Key, t.Table, ans.Outcome, ans.Replayed)
		return false
	case replay:
		return false
	case ans.Outcome != a.Expect:
		rec.fail()
		r.problem("check-in %s at %s = %s, want %s", a.Key, t.Table, ans.Outcome, a.Expect)
		return false
	case ans.Outcome != outcomeAccepted:
		return false
	}
	atomic.AddInt64(&r.accepted[a.Table], 1)
	r.acks.add(AckRecord{Kind: AckCheckIn, Round: r.w.Round, Table: t.Table, DocumentType: "V",
		DocumentNumber: a.Number, BirthDate: a.BirthDate, Key: a.Key})
	return true
}

// closeTables closes every table's poll book and checks that the server
// counted exactly the check-ins it accepted.
func (r *run) closeTables(ctx context.Context) {
	rec := newRecorder(len(r.w.Tables))
	r.bar.Stage("close", int64(len(r.w.Tables)))
	r.parallel(ctx, len(r.w.Tables), func(i int) {
		defer r.bar.Add(1)
		t := r.w.Tables[i]
		var st struct {
			Closed   bool  `json:"closed"`
			CheckIns int64 `json:"check_ins"`
		}
		res, err := r.c.do(ctx, http.MethodPost, r.base+"/tables/"+t.Table+"/close", r.cfg.Token, []byte("{}"), &st)
		rec.record(res.latency, "closed", res.retries, false)
		if err != nil {
			rec.fail()
			r.problem("close %s: %v", t.Table, err)
			return
		}
		if want := atomic.LoadInt64(&r.accepted[i]); !st.Closed || st.CheckIns != want {
			rec.fail()
			r.problem("closed table %s: closed %v with %d check-ins, want closed with %d", t.Table, st.Closed, st.CheckIns, want)
		}
	})
	r.rep.Closes = rec.finish()
}

// entryAnswer is what the simulator reads of an entry's answer.
type entryAnswer struct {
	Status   string `json:"status"`
	Replayed bool   `json:"replayed"`
}

// enterSheets enters every table's sheet twice, with the two accounts:
// the first entry must wait for the second, which must accept the sheet.
// A sample of accepted second entries is sent again and must be answered
// as replays.
func (r *run) enterSheets(ctx context.Context) {
	n := len(r.w.Tables)
	rec := newRecorder(2 * n)
	r.bar.Stage("tally entries", int64(2*n))
	r.parallel(ctx, n, func(i int) {
		defer r.bar.Add(2)
		sh := r.w.Sheet(i, atomic.LoadInt64(&r.accepted[i]))
		if !r.entry(ctx, rec, i, 1, sh, "waiting") || !r.entry(ctx, rec, i, 2, sh, "accepted") {
			return
		}
		r.mu.Lock()
		r.sheets[sh.Table] = submitted{table: i, sheet: countsOf(sh)}
		r.mu.Unlock()
		if i%replayEvery == 0 {
			r.entry(ctx, rec, i, -2, sh, "accepted")
		}
	})
	r.rep.Entries = rec.finish()
}

// entry sends the n-th entry (1 or 2; -2 replays the second) of table
// i's sheet and checks its status. It reports whether it was as wanted.
func (r *run) entry(ctx context.Context, rec *recorder, i, n int, sh tally.Sheet, want string) bool {
	replay := n < 0
	token := r.cfg.Token
	if n == 2 || n == -2 {
		token = r.cfg.SecondToken
	}
	sh.IdempotencyKey = r.w.entryKey(i, max(n, -n))
	body, _ := json.Marshal(sh)
	var ans entryAnswer
	res, err := r.c.do(ctx, http.MethodPost, r.base+"/tables/"+sh.Table+"/entries", token, body, &ans)
	label := ans.Status
	if replay {
		label = "replay_" + label
	}
	rec.record(res.latency, label, res.retries, ans.Replayed)
	switch {
	case err != nil:
		rec.fail()
		r.problem("entry %d of %s: %v", n, sh.Table, err)
		return false
	case ans.Status != want || (replay && !ans.Replayed):
		rec.fail()
		r.problem("entry %d of %s = %s (replayed %v), want %s", n, sh.Table, ans.Status, ans.Replayed, want)
		return false
	}
	if !replay {
		r.acks.add(AckRecord{Kind: AckEntry, Round: r.w.Round, Table: sh.Table, Key: sh.IdempotencyKey, Entry: n, Status: ans.Status, Sheet: &sh})
	}
	return true
}
