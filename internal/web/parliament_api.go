package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/assemblies/parliament"
	"github.com/comuna/comuna/internal/comuna"
)

// apiOrgan is an organ with its seats and roster as the API returns it.
type apiOrgan struct {
	ID          int64                `json:"id"`
	Kind        parliament.OrganKind `json:"kind"`
	Unit        string               `json:"unit"`
	Commune     string               `json:"commune"`
	State       string               `json:"state"`
	Name        string               `json:"name"`
	Size        int                  `json:"size"`
	Quorum      string               `json:"quorum"` // more than this fraction of seated members
	Tie         parliament.TieRule   `json:"tie"`
	Weekday     int                  `json:"weekday"`
	Time        string               `json:"time"`
	Seated      *int                 `json:"seated,omitempty"`
	Vacant      []int                `json:"vacant,omitempty"`
	Seats       []apiSeat            `json:"seats,omitempty"`
	NextSitting string               `json:"next_session,omitempty"`
}

type apiSeat struct {
	ID        int64               `json:"id"`
	Position  int                 `json:"position"`
	Role      parliament.SeatRole `json:"role"`
	Holder    string              `json:"holder"`
	Gender    string              `json:"gender,omitempty"`
	Committee string              `json:"committee,omitempty"`
	Start     string              `json:"start"`
	End       string              `json:"end"`
	ElectedBy string              `json:"elected_by,omitempty"`
	Expiring  bool                `json:"expiring,omitempty"`
	Active    bool                `json:"active"`
}

func toAPIOrgan(o *parliament.Organ) apiOrgan {
	return apiOrgan{ID: o.ID, Kind: o.Kind, Unit: o.UnitCode, Commune: o.Commune, State: o.State, Name: o.Name, Size: o.Size,
		Quorum: strconv.Itoa(o.QuorumNum) + "/" + strconv.Itoa(o.QuorumDen), Tie: o.Tie, Weekday: int(o.Weekday),
		Time: (&Page{}).Clock(o.Minute)}
}

func (s *Server) apiOrgans(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.parl()
	if err != nil {
		return err
	}
	os, err := ps.Organs(r.Context(), strings.TrimSpace(r.URL.Query().Get("unit")))
	if err != nil {
		return err
	}
	out := []apiOrgan{}
	for _, o := range os {
		out = append(out, toAPIOrgan(o))
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"organs": out})
	return nil
}

func (s *Server) apiOrgan(w http.ResponseWriter, r *http.Request) error {
	ps, o, err := s.loadOrgan(r)
	if err != nil {
		return err
	}
	seats, err := ps.Seats(r.Context(), o.ID)
	if err != nil {
		return err
	}
	now := s.now()
	a := toAPIOrgan(o)
	ro := parliament.RosterOn(o.Size, seats, now.In(parliament.Local))
	a.Seated, a.Vacant = &ro.Seated, ro.Vacant
	a.NextSitting = o.NextMeetings(now, parliament.Local, 1)[0].Format(time.RFC3339)
	a.Seats = []apiSeat{}
	for _, st := range seats {
		a.Seats = append(a.Seats, apiSeat{ID: st.ID, Position: st.Position, Role: st.Role, Holder: st.Holder, Gender: st.Gender,
			Committee: st.Committee, Start: st.Start.Format(time.DateOnly), End: st.End.Format(time.DateOnly), ElectedBy: st.ElectedBy,
			Expiring: st.Expiring(now), Active: st.ActiveOn(now)})
	}
	s.writeJSON(w, http.StatusOK, a)
	return nil
}

// apiOrganInput is the body of POST /api/v1/organs.
type apiOrganInput struct {
	Kind      parliament.OrganKind `json:"kind"`
	Unit      string               `json:"unit"`
	Name      string               `json:"name"`
	Size      int                  `json:"size"`
	QuorumNum int                  `json:"quorum_num"`
	QuorumDen int                  `json:"quorum_den"`
	Tie       parliament.TieRule   `json:"tie"`
	Weekday   int                  `json:"weekday"`
	Time      string               `json:"time"`
}

func (s *Server) apiOrganCreate(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.parl()
	if err != nil {
		return err
	}
	var in apiOrganInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	o := &parliament.Organ{Kind: in.Kind, UnitCode: in.Unit, Name: in.Name, Size: in.Size, QuorumNum: in.QuorumNum,
		QuorumDen: in.QuorumDen, Tie: in.Tie, Weekday: time.Weekday(in.Weekday)}
	if in.Time != "" {
		t, err := time.Parse("15:04", in.Time)
		if err != nil {
			return comuna.FieldError("time", "a time like 18:00")
		}
		o.Minute = t.Hour()*60 + t.Minute()
	}
	// Who may create it depends on the commune the unit lies in.
	if !o.Kind.Valid() {
		return comuna.FieldError("kind", "unknown organ kind %q", o.Kind)
	}
	path, err := s.store.Unit(r.Context(), 0, o.Kind.Level(), o.UnitCode)
	if comuna.ErrorCode(err) == comuna.ENotFound {
		return comuna.FieldError("unit", "no %s %q in the territory", o.Kind.Level(), o.UnitCode)
	} else if err != nil {
		return err
	}
	o.Commune = o.UnitCode
	for _, a := range path.Ancestors {
		if a.Level == comuna.LevelCommune {
			o.Commune = a.Code
		}
	}
	if err := s.authorize(r, organTarget(o)); err != nil {
		return err
	}
	if err := ps.CreateOrgan(r.Context(), o); err != nil {
		return err
	}
	s.writeJSON(w, http.StatusCreated, toAPIOrgan(o))
	return nil
}

// apiSeatInput is the body of POST /api/v1/organs/{organ}/seats.
type apiSeatInput struct {
	ID        int64               `json:"id"`
	Position  int                 `json:"position"`
	Role      parliament.SeatRole `json:"role"`
	Holder    string              `json:"holder"`
	Gender    string              `json:"gender"`
	Committee string              `json:"committee"`
	Start     string              `json:"start"`
	End       string              `json:"end"`
	ElectedBy string              `json:"elected_by"`
}

func (s *Server) apiSeatSave(w http.ResponseWriter, r *http.Request) error {
	ps, o, err := s.loadOrgan(r)
	if err != nil {
		return err
	}
	if err := s.authorize(r, organTarget(o)); err != nil {
		return err
	}
	var in apiSeatInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	st := parliament.Seat{ID: in.ID, OrganID: o.ID, Position: in.Position, Role: in.Role, Holder: in.Holder, Gender: in.Gender,
		Committee: in.Committee, ElectedBy: in.ElectedBy}
	for _, d := range []struct {
		name string
		v    string
		dst  *time.Time
	}{{"start", in.Start, &st.Start}, {"end", in.End, &st.End}} {
		if d.v == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.v)
		if err != nil {
			return comuna.FieldError(d.name, "a date like 2026-01-31")
		}
		*d.dst = t
	}
	if err := ps.SaveSeat(r.Context(), &st); err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"id": st.ID, "end": st.End.Format(time.DateOnly)})
	return nil
}

func (s *Server) apiSessions(w http.ResponseWriter, r *http.Request) error {
	ps, o, err := s.loadOrgan(r)
	if err != nil {
		return err
	}
	list, err := ps.Sessions(r.Context(), o.ID)
	if err != nil {
		return err
	}
	type row struct {
		ID        int64  `json:"id"`
		Number    int    `json:"number"`
		Scheduled string `json:"scheduled"`
		Status    string `json:"status"`
		Minutes   string `json:"minutes,omitempty"`
	}
	out := []row{}
	for _, ss := range list {
		out = append(out, row{ss.ID, ss.Number, ss.Scheduled.Format(time.RFC3339), string(ss.Status), string(ss.Minutes)})
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"sessions": out})
	return nil
}

func (s *Server) apiSessionSchedule(w http.ResponseWriter, r *http.Request) error {
	ps, o, err := s.loadOrgan(r)
	if err != nil {
		return err
	}
	if err := s.authorize(r, organTarget(o)); err != nil {
		return err
	}
	var in struct {
		Scheduled string `json:"scheduled"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	at := o.NextMeetings(s.now(), parliament.Local, 1)[0]
	if in.Scheduled != "" {
		t, err := time.Parse(time.RFC3339, in.Scheduled)
		if err != nil {
			return comuna.FieldError("scheduled", "an RFC 3339 time like 2026-03-04T18:00:00-04:00")
		}
		at = t
	}
	ss, err := ps.ScheduleSession(r.Context(), o.ID, at)
	if err != nil {
		return err
	}
	return s.writeSession(w, r, http.StatusCreated, o, ss)
}

// apiSessionBody is a session with its quorum now, as the API and the
// live page's polling read it.
type apiSessionBody struct {
	ID      int64               `json:"id"`
	Organ   int64               `json:"organ"`
	Version int                 `json:"version"`
	Quorum  parliament.Quorum   `json:"quorum"`
	Session *parliament.Session `json:"session"`
}

func (s *Server) writeSession(w http.ResponseWriter, r *http.Request, status int, o *parliament.Organ, ss *parliament.Session) error {
	w.Header().Set("ETag", sessionETag(ss))
	s.writeJSON(w, status, apiSessionBody{ID: ss.ID, Organ: o.ID, Version: ss.Version, Quorum: ss.QuorumNow(o), Session: ss})
	return nil
}

// apiSession answers the live page's polling: 304 Not Modified while the
// session's ETag is the one the client has.
func (s *Server) apiSession(w http.ResponseWriter, r *http.Request) error {
	_, o, ss, err := s.loadSession(r)
	if err != nil {
		return err
	}
	if r.Header.Get("If-None-Match") == sessionETag(ss) {
		w.Header().Set("ETag", sessionETag(ss))
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	return s.writeSession(w, r, http.StatusOK, o, ss)
}

// apiSessionCommand applies one command. An If-Match header with the
// session's ETag makes it apply only to that version.
func (s *Server) apiSessionCommand(w http.ResponseWriter, r *http.Request) error {
	ps, o, ss, err := s.loadSession(r)
	if err != nil {
		return err
	}
	if err := s.authorize(r, organTarget(o)); err != nil {
		return err
	}
	var c parliament.Command
	if err := decodeJSON(r, &c); err != nil {
		return err
	}
	version := 0
	if m := r.Header.Get("If-Match"); m != "" {
		if m != sessionETag(ss) {
			return comuna.Errorf(comuna.EConflict, "the session changed since %s: it is now %s", m, sessionETag(ss))
		}
		version = ss.Version
	}
	n, out, err := applyRetrying(r.Context(), ps, ss.ID, version, c, reqInfoOf(r).user.Username)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", sessionETag(n))
	s.writeJSON(w, http.StatusOK, map[string]any{"session": apiSessionBody{ID: n.ID, Organ: o.ID, Version: n.Version, Quorum: n.QuorumNow(o), Session: n},
		"decisions": out.Decisions, "approved_minutes": out.ApproveMinutes, "replayed": out.Replayed})
	return nil
}

func (s *Server) apiMinutes(w http.ResponseWriter, r *http.Request) error {
	ps, _, ss, err := s.loadSession(r)
	if err != nil {
		return err
	}
	m, err := ps.Minutes(r.Context(), ss.ID)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, m)
	return nil
}

func (s *Server) apiMinutesChange(w http.ResponseWriter, r *http.Request) error {
	ps, o, ss, err := s.loadSession(r)
	if err != nil {
		return err
	}
	if err := s.authorize(r, organTarget(o)); err != nil {
		return err
	}
	var in struct {
		Text    *string `json:"text"`
		Publish bool    `json:"publish"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var m *parliament.Minutes
	if in.Text != nil {
		if m, err = ps.EditMinutes(r.Context(), ss.ID, *in.Text); err != nil {
			return err
		}
	}
	if in.Publish {
		if m, err = ps.PublishMinutes(r.Context(), ss.ID); err != nil {
			return err
		}
	}
	if m == nil {
		return comuna.FieldError("text", "send the new text, publish: true, or both")
	}
	s.writeJSON(w, http.StatusOK, m)
	return nil
}

func (s *Server) apiDecisions(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.parl()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := parliament.DecisionFilter{Query: q.Get("q"), Unit: q.Get("unit")}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"limit", &f.Limit}, {"offset", &f.Offset}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return comuna.FieldError(p.name, "%s must be a whole number", p.name)
			}
			*p.dst = n
		}
	}
	if v := q.Get("organ"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return comuna.FieldError("organ", "organ must be an organ id")
		}
		f.OrganID = n
	}
	ds, err := ps.Decisions(r.Context(), f)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"decisions": ds})
	return nil
}
