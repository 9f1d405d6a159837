package pb

// StepRuns reports how many MES runs completions have made so far.
func StepRuns() int { return stepRuns }
