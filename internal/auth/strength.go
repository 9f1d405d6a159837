package auth

import (
	"fmt"
	"strings"

	"github.com/trustelem/zxcvbn"
)

// MinPasswordScore is the lowest zxcvbn score (0 to 4) a new password may
// have: 3 means "safely unguessable", about 10^8 guesses or more, which
// common passwords, keyboard walks, dates and words with digits never
// reach.
const MinPasswordScore = 3

// CheckPasswordStrength refuses a password a person chooses if it is
// shorter than MinPasswordLen or easy to guess: a common password, a
// dictionary word with digits, a keyboard pattern, or built from the
// account's own username or name (userInputs). It uses zxcvbn, Dropbox's
// strength estimator, through its Go port.
func CheckPasswordStrength(pw string, userInputs ...string) error {
	if len([]rune(pw)) < MinPasswordLen {
		return ErrShortPassword
	}
	var inputs []string
	for _, in := range userInputs {
		inputs = append(inputs, strings.Fields(strings.ToLower(in))...)
	}
	if len(pw) > 100 {
		pw = pw[:100] // zxcvbn's cost grows with length; 100 characters are plenty
	}
	if r := zxcvbn.PasswordStrength(pw, inputs); r.Score < MinPasswordScore {
		return fmt.Errorf("%w (strength %d of 4, want at least %d): avoid common passwords, names and keyboard patterns; several unrelated words work well",
			ErrWeakPassword, r.Score, MinPasswordScore)
	}
	return nil
}

// ErrWeakPassword is wrapped by CheckPasswordStrength for a guessable
// password.
var ErrWeakPassword = fmt.Errorf("this password is too easy to guess")
