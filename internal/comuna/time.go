package comuna

import "time"

// Time is a moment stored as UTC with second precision in every backend.
type Time = time.Time

// Now returns the current time truncated to what the stores keep.
func Now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }
