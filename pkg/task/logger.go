package task

import (
	"fmt"
	"log/slog"
	"os"
)

// Logger adapts slog to asynq's logger interface.
type Logger struct{ Log *slog.Logger }

// Debug implements asynq.Logger.
func (l Logger) Debug(args ...any) { l.Log.Debug(fmt.Sprint(args...)) }

// Info implements asynq.Logger.
func (l Logger) Info(args ...any) { l.Log.Info(fmt.Sprint(args...)) }

// Warn implements asynq.Logger.
func (l Logger) Warn(args ...any) { l.Log.Warn(fmt.Sprint(args...)) }

// Error implements asynq.Logger.
func (l Logger) Error(args ...any) { l.Log.Error(fmt.Sprint(args...)) }

// Fatal implements asynq.Logger; asynq calls it only on unrecoverable errors.
func (l Logger) Fatal(args ...any) { l.Log.Error(fmt.Sprint(args...)); os.Exit(1) }
