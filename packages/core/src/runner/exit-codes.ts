/**
 * Process exit codes of `drainer` (stable: scripts and supervisors key on them).
 *
 * | code | name          | meaning                                                                                      |
 * |------|---------------|----------------------------------------------------------------------------------------------|
 * | 0    | Ok            | clean stop (signal or end of input): drained, flushed, checkpoint saved `consistent: true`    |
 * | 1    | Internal      | an unexpected error (a bug): checkpoint saved `consistent: false` at the last safe point      |
 * | 2    | Config        | invalid configuration; nothing was started                                                   |
 * | 3    | Startup       | a sink, checkpoint store or upstream could not be opened / loaded                            |
 * | 4    | Fatal         | a fatal runtime error (sink, decode, checkpoint save): checkpoint stays before the failure    |
 * | 5    | DrainTimeout  | graceful stop did not drain within the deadline: writes aborted, `consistent: false`         |
 * | 130  | Forced        | a second SIGINT/SIGTERM forced an immediate stop (128 + SIGINT, the shell convention)         |
 */
export const ExitCode = {
  Ok: 0,
  Internal: 1,
  Config: 2,
  Startup: 3,
  Fatal: 4,
  DrainTimeout: 5,
  Forced: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
