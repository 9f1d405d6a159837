// Package pb decides which projects a participatory budget or a popular
// consultation funds. Its rules are pure functions over an Instance (the
// projects, their exact costs and the budget) and a Profile (the ballots);
// they do no I/O, and package pabulib reads and writes the files they are
// usually fed from.
//
// # Using it
//
// Build the instance and profile from plain values and call Allocate:
//
//	inst := &pb.Instance{
//		Budget: big.NewRat(1_000_000, 1),
//		Projects: []pb.Project{
//			{ID: "P1", Cost: big.NewRat(400_000, 1)},
//			{ID: "P2", Cost: big.NewRat(250_000, 1)},
//		},
//	}
//	// A ballot lists indices into inst.Projects; Count lets one ballot
//	// stand for many identical ones.
//	prof := &pb.Profile{Kind: pb.Approval, Ballots: []pb.Ballot{
//		{Projects: []int{0, 1}, Count: 1200},
//		{Projects: []int{1}, Count: 800},
//	}}
//	out, err := pb.Allocate(inst, prof, pb.Options{Rule: pb.RuleMES, Completion: pb.CompletionAdd1})
//	// out.Selected lists ids in selection order, out.Cost their total and
//	// out.Explanations[id] says why each project won or lost.
//
// A consultation circuit, where each voter picks one project and the k most
// voted win, needs only its tally: ChooseOne turns vote counts into a profile
// of weighted ballots, so twenty million voters are a handful of ballots, and
// Options{Rule: RuleTopK, K: k} picks the winners.
//
// # Rules
//
// The rules reproduce pabutools 1.2.3, the reference implementation, exactly:
// greedy utilitarian welfare (Greedy), the Method of Equal Shares
// (EqualShares) with the completions "increase" (budget raised by 1% per
// step) and "add1" (one currency unit more per voter per step) and an
// optional greedy fill, sequential Phragmén (Phragmen) and top-k (TopK).
// Satisfaction is the cost of an approved project (SatCost), one per approved
// project (SatCard), the points given (SatPoints) or the Borda score
// length − position − 1 (SatBorda). Ties go to the project id compared as a
// string unless Options.TieBreak gives an order, such as a published lottery.
//
// # Exactness and speed
//
// Every decision is exact. Costs, budgets and prices are big.Rat values, but
// most comparisons are settled by floats carrying error bounds, and exact
// arithmetic is spent only where floats cannot decide. In MES, voters with
// the same payment history share one budget; a budget's exact value is
// derived on demand from the chain of exact round prices, and the total held
// by voters who pay everything is an integer combination of the share and
// past prices. The completions need not rerun MES at every step: each run
// records linear certificates (the winner stays affordable and cheapest,
// dropped projects stay unaffordable) that bound how many steps leave the
// selection unchanged, and the loop jumps there, with an outcome identical
// to stepping by one. On the shared fixtures the bound is often a single
// step (Warsaw 2026: 186 runs for 184 steps of add1; Budapest 2024: about
// 11,700 runs for 22,000 steps), so the completions' speed comes mostly from
// the speed of each run: identical ballots are merged first, a price scan
// pops supporters from a heap only as far as the price, exact prices are
// integer combinations over one common denominator, and the next steps'
// runs start speculatively on the other cores.
//
// Sequential Phragmén merges identical approval sets and keeps, per
// project, how many supporters carry each round's load, so a project's next
// load is a sum over rounds rather than voters and buying a project touches
// only its supporters' groups; exact loads share one denominator as well.
//
// comuna pbbench ../shared/pabulib times every reference record, parsing
// included, beside pabutools' own time; the README shows the table.
package pb
