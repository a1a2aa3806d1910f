// Package news is the newsdesk domain: articles, authors, categories, tags,
// their validation, filters and cursors, the coded errors, and the store
// interface that the SQLite (and later PostgreSQL) stores implement and the
// transports (GraphQL, REST, feeds) consume.
//
// It holds no SQL and no HTTP.
package news

import (
	"errors"
	"fmt"
)

// Error codes. They are what clients see: GraphQL's extensions.code and the
// REST error code. Every transport maps them to its own status with one table.
const (
	EINVALID         = "BAD_USER_INPUT"
	ENOTFOUND        = "NOT_FOUND"
	ECONFLICT        = "CONFLICT"
	EUNAUTHENTICATED = "UNAUTHENTICATED"
	EFORBIDDEN       = "FORBIDDEN"
	ERATELIMITED     = "RATE_LIMITED"
	EUNAVAILABLE     = "UNAVAILABLE" // the store cannot take writes now (disk full, read-only), or the server is too busy to take a request
	EINTERNAL        = "INTERNAL"
)

// Error is a domain error meant for the client: its Code and Message are safe
// to show. Field names the input field at fault, when there is one.
type Error struct {
	Code    string
	Message string
	Field   string
}

// Error implements error.
func (e *Error) Error() string {
	return e.Message
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a BAD_USER_INPUT error naming the field at fault.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: field + ": " + fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, and
// EINTERNAL for any other non-nil error. It returns "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of err if it is (or wraps) an *Error, and
// "internal error" for any other error: internal details never reach a client.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
