// Package comuna holds Comuna's domain: the territory of a consultation,
// rounds and their phases, proposals, ballots, accounts and roles, and the
// services the storage backends implement. It does no I/O of its own.
package comuna

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in the web package and to one
// exit message on the command line.
const (
	EInvalid      = "invalid"      // the input is malformed or breaks a rule
	ENotFound     = "not_found"    // the thing asked for does not exist
	EConflict     = "conflict"     // the thing exists already or changed meanwhile
	EForbidden    = "forbidden"    // the caller may not do this
	EUnauthorized = "unauthorized" // the caller must log in first
	ERateLimited  = "rate_limited" // too many attempts; try later
	ETooLarge     = "too_large"    // the request or upload is over its size limit
	EUnavailable  = "unavailable"  // the database cannot be reached
	EInternal     = "internal"     // a bug or an unexpected failure
)

// Error is Comuna's one error type: a code from the list above, a message a
// person can act on, and, for a bad form or file, the field (and line) at
// fault.
//
// The message is also data: Key names it in the web catalogue and Args are
// its parameters, so a page renders it in its own language; Message is the
// English text, the fallback wherever the catalogue has no entry (the
// command line, logs, an error not yet translated). Errorf and FieldError
// use their English format as the Key, as gettext uses the English text as
// the message id, so every error made with them can be translated by
// adding one line to the catalogue, without touching the code that makes it.
type Error struct {
	Code    string
	Message string
	Field   string // the form field, CSV column or JSON key at fault, if any
	Line    int    // the line of an imported file at fault, if any
	Key     string // the catalogue key of the message; "" means Message itself
	Args    []any  // the parameters of Key's message
}

// Error implements the error interface.
func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = fmt.Sprintf("%s: %s", e.Field, msg)
	}
	if e.Line > 0 {
		msg = fmt.Sprintf("line %d: %s", e.Line, msg)
	}
	return msg
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Key: format, Args: args}
}

// FieldError returns an EInvalid error naming the field at fault.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, Message: fmt.Sprintf(format, args...), Key: format, Args: args}
}

// Keyed returns an *Error whose message has a catalogue key of its own
// (such as "proposal.cost.above"); english is the fallback text, formatted
// with args like the catalogue's message.
func Keyed(code, field, key, english string, args ...any) *Error {
	return &Error{Code: code, Field: field, Key: key, Args: args, Message: fmt.Sprintf(english, args...)}
}

// MessageKey returns the catalogue key of e's message and its parameters:
// Key and Args, or, for an *Error built without a key, its Message alone.
func (e *Error) MessageKey() (string, []any) {
	if e.Key == "" {
		return e.Message, nil
	}
	return e.Key, e.Args
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the message a client may see: the *Error's text, or
// "internal error" so that details of a failure never leak.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return "internal error"
}

// ErrorField returns the field named by the first *Error in err's chain.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
