package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/comuna/comuna/internal/assemblies/parliament"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
)

var (
	givenF   = []string{"María", "Yusmary", "Carmen", "Luisa", "Ana", "Yelitza", "Rosa", "Milagros", "Daniela", "Xiomara", "Nelly", "Gabriela"}
	givenM   = []string{"José", "Luis", "Carlos", "Pedro", "Jesús", "Ramón", "Omar", "Wilmer", "Freddy", "Richard", "Yonny", "Ángel"}
	surnames = []string{"Pérez", "González", "Rodríguez", "Hernández", "Rivas", "Mendoza", "Colmenares", "Salazar", "Quintero", "Urdaneta", "Bracho", "Paredes", "Fernández", "Montilla"}
	motions  = []struct{ title, text, amend string }{
		{"Plan de mantenimiento de la red de agua", "Aprobar el plan de mantenimiento trimestral de la red de agua potable de la comuna.\n\nEncargar a la vocería de agua de cada consejo el informe mensual.\n\nSolicitar al banco comunal la reserva de los materiales.", "Incluir a las mesas técnicas de agua en la ejecución del plan."},
		{"Jornada de limpieza de quebradas", "Convocar una jornada comunal de limpieza de quebradas antes del período de lluvias.\n\nCoordinar con los consejos comunales el traslado de los desechos.", "Convocar dos jornadas, una por cada sector."},
		{"Rendición de cuentas del proyecto de alumbrado", "Recibir la rendición de cuentas del proyecto de alumbrado público financiado en la consulta.\n\nPublicar los comprobantes en la cartelera de la casa comunal.", "Publicar también las fotografías de la obra terminada."},
		{"Reforma del reglamento de debates", "Limitar cada intervención a tres minutos.\n\nAlternar el derecho de palabra entre voceras y voceros.", "Limitar cada intervención a cinco minutos."},
		{"Propuesta para la próxima consulta: casa comunal", "Proponer a la próxima consulta popular la rehabilitación de la casa comunal.\n\nPedir a la contraloría comunal el seguimiento del proyecto.", "Incluir el techado de la cancha anexa."},
	}
)

// personName is the demo's i-th spokesperson, with their gender.
func personName(i int) (string, string) {
	g, first := "f", givenF[i%len(givenF)]
	if i%2 == 1 {
		g, first = "m", givenM[(i/2)%len(givenM)]
	}
	return fmt.Sprintf("%s %s %s", first, surnames[(i*5)%len(surnames)], surnames[(i*3+5)%len(surnames)]), g
}

// loadParliaments gives every commune its parliament and executive
// council with their seats, and the first communes' parliaments a few
// weekly sessions played through the domain: attendance, a motion with an
// amendment, votes, minutes approved at the next session and logged.
func loadParliaments(ctx context.Context, st *sqlstore.DB, d *Data) error {
	var ps parliament.Store = st
	councils := map[string]int{} // commune → councils
	circuitCommune := map[string]string{}
	var communes []comuna.Unit
	for _, u := range d.Units {
		switch u.Level {
		case comuna.LevelCommune:
			communes = append(communes, u)
		case comuna.LevelCircuit:
			circuitCommune[u.Code] = u.Parent
		case comuna.LevelCouncil:
			councils[circuitCommune[u.Parent]]++
		}
	}
	if len(communes) == 0 {
		return nil
	}
	termStart := time.Date(2024, 9, 2, 0, 0, 0, 0, time.UTC)
	person := 0
	for ci, c := range communes {
		size := parliament.DefaultSize(parliament.KindParliament, councils[c.Code])
		o := &parliament.Organ{Kind: parliament.KindParliament, UnitCode: c.Code, Name: "Parlamento comunal de la " + c.Name, Size: size,
			Weekday: time.Wednesday, Minute: 18 * 60}
		ex := &parliament.Organ{Kind: parliament.KindExecutive, UnitCode: c.Code, Name: "Consejo ejecutivo de la " + c.Name, Size: 5,
			Weekday: time.Monday, Minute: 17 * 60}
		for _, org := range []*parliament.Organ{o, ex} {
			if err := ps.CreateOrgan(ctx, org); err != nil {
				return fmt.Errorf("demo organ of %s: %w", c.Code, err)
			}
			for pos := 1; pos <= org.Size; pos++ {
				committee := ""
				if org.Kind == parliament.KindParliament {
					switch {
					case pos <= councils[c.Code]:
						committee = fmt.Sprintf("Consejo comunal %d", pos)
					case pos <= councils[c.Code]+3:
						committee = "Organización socioproductiva"
					default:
						committee = "Banco de la comuna"
					}
				}
				for _, role := range []parliament.SeatRole{parliament.Principal, parliament.Alternate} {
					if role == parliament.Alternate && org.Kind == parliament.KindParliament && pos > councils[c.Code] {
						continue // only councils' spokespeople have alternates in the parliament
					}
					name, g := personName(person)
					person++
					start := termStart
					if pos == 2 && role == parliament.Principal {
						start = time.Date(2023, 12, 20, 0, 0, 0, 0, time.UTC) // a term ending soon
					}
					st := parliament.Seat{OrganID: org.ID, Position: pos, Role: role, Holder: name, Gender: g, Committee: committee,
						Start: start, ElectedBy: "Asamblea de ciudadanos del 2024-08-25"}
					if pos == 3 && role == parliament.Principal && org.Kind == parliament.KindExecutive {
						continue // a vacancy: the alternate steps in
					}
					if err := ps.SaveSeat(ctx, &st); err != nil {
						return fmt.Errorf("demo seat: %w", err)
					}
				}
			}
		}
		if ci < 2 {
			if err := demoSessions(ctx, ps, o, ci); err != nil {
				return fmt.Errorf("demo sessions of %s: %w", c.Code, err)
			}
		}
	}
	return nil
}

// demoSessions plays four weekly sessions of organ o and convenes a fifth.
func demoSessions(ctx context.Context, ps parliament.Store, o *parliament.Organ, seed int) error {
	first := time.Date(2026, 1, 7, 18, 0, 0, 0, parliament.Local)
	seats, err := ps.Seats(ctx, o.ID)
	if err != nil {
		return err
	}
	var principals, alternates []int64
	for _, s := range seats {
		if s.Role == parliament.Principal {
			principals = append(principals, s.ID)
		} else {
			alternates = append(alternates, s.ID)
		}
	}
	for n := 0; n < 5; n++ {
		ss, err := ps.ScheduleSession(ctx, o.ID, first.AddDate(0, 0, 7*n))
		if err != nil {
			return err
		}
		if n == 4 {
			break // the next session, convened
		}
		m := motions[(n+seed)%len(motions)]
		do := func(c parliament.Command) (parliament.Outcome, error) {
			_, out, err := ps.ApplySession(ctx, ss.ID, 0, c, "secretaria")
			if err != nil {
				return out, fmt.Errorf("session %d %s: %w", n+1, c.Op, err)
			}
			return out, nil
		}
		cmds := []parliament.Command{
			{Op: "add-item", Kind: "report", Title: "Informe de la vocería ejecutiva"},
			{Op: "add-item", Kind: "motion", Title: m.title},
			{Op: "open"},
		}
		// Most principals come; the absent first principals send their alternates.
		absent := 2 + (n+seed)%3
		for i, id := range principals {
			if i >= absent && i%5 != 4 {
				cmds = append(cmds, parliament.Command{Op: "attend", Seat: id, Present: true})
			}
		}
		for i := 0; i < absent && i < len(alternates); i++ {
			cmds = append(cmds, parliament.Command{Op: "attend", Seat: alternates[i], Present: true})
		}
		for _, c := range cmds {
			if _, err := do(c); err != nil {
				return err
			}
		}
		s, err := ps.Session(ctx, ss.ID)
		if err != nil {
			return err
		}
		motionItem := len(s.Items) // the motions item is last
		if s.Items[0].Kind == parliament.ItemMinutes {
			if err := voteHands(do, 1, 0, 0, s.QuorumNow(o).Present, 0); err != nil {
				return err
			}
		}
		majority := parliament.Simple
		if n == 1 {
			majority = parliament.TwoThirdsPresent
		}
		voting := s.Voting()
		var talk []int64 // the first members present, who ask for the floor
		for pos := 1; pos <= o.Size && len(talk) < 3; pos++ {
			if mb, ok := voting[pos]; ok {
				talk = append(talk, mb.SeatID)
			}
		}
		steps := []parliament.Command{
			{Op: "open-item", Item: motionItem},
			{Op: "speakers-rules", Item: motionItem, TimeLimit: 180, Alternate: parliament.AlternateByGender},
			{Op: "request-speech", Item: motionItem, Seat: talk[0], Kind: "for"},
			{Op: "request-speech", Item: motionItem, Seat: talk[1], Kind: "against"},
			{Op: "request-speech", Item: motionItem, Seat: talk[2], Kind: "question"},
			{Op: "next-speaker", Item: motionItem},
			{Op: "next-speaker", Item: motionItem},
			{Op: "next-speaker", Item: motionItem},
			{Op: "next-speaker", Item: motionItem},
			{Op: "submit-motion", Item: motionItem, Title: m.title, Text: m.text, Majority: majority, Ref: "Vocería de " + o.Name},
			{Op: "submit-amendment", Motion: 1, Kind: "insert", Paragraph: 1, Text: m.amend, Ref: "Consejo comunal 1"},
			{Op: "motion-status", Motion: 1, Status: parliament.Admitted},
		}
		for _, c := range steps {
			if _, err := do(c); err != nil {
				return err
			}
		}
		present := s.QuorumNow(o).Present
		if err := voteHands(do, motionItem, 1, 1, present-3, 2); err != nil {
			return err
		}
		if _, err := do(parliament.Command{Op: "open-vote", Item: motionItem, Motion: 1, Method: parliament.RollCall}); err != nil {
			return err
		}
		i := 0
		for pos := 1; pos <= o.Size; pos++ {
			mb, ok := voting[pos]
			if !ok {
				continue
			}
			choice := parliament.ChoiceFor
			if i%3 == 2 {
				choice = parliament.ChoiceAgainst // a third against: ⅔ fails, simple passes
			}
			if i%7 == 6 {
				choice = parliament.ChoiceAbstain
			}
			i++
			if _, err := do(parliament.Command{Op: "ballot", Seat: mb.SeatID, Choice: choice}); err != nil {
				return err
			}
		}
		for _, c := range []parliament.Command{{Op: "close-vote"}, {Op: "close"}} {
			if _, err := do(c); err != nil {
				return err
			}
		}
		if _, err := ps.PublishMinutes(ctx, ss.ID); err != nil {
			return err
		}
	}
	return nil
}

// voteHands runs a show-of-hands vote on item (and motion's amendment).
func voteHands(do func(parliament.Command) (parliament.Outcome, error), item, motion, amendment, yes, no int) error {
	for _, c := range []parliament.Command{
		{Op: "open-vote", Item: item, Motion: motion, Amendment: amendment, Method: parliament.ShowOfHands},
		{Op: "totals", Totals: parliament.Totals{For: yes, Against: no}},
		{Op: "close-vote"},
	} {
		if _, err := do(c); err != nil {
			return err
		}
	}
	return nil
}
