// Dropping every capability: the bounding set (so exec cannot bring any back), the ambient and
// inheritable sets, then the effective and permitted sets; securebits locked so that uid 0 inside
// a namespace gains nothing on exec.
#pragma once

namespace mg::sandbox {

// Returns 0 or the errno of the step that failed. Async-signal-safe.
int DropAllCapabilities();

// The two halves of DropAllCapabilities, for callers that change uid in between: first the
// bounding and ambient sets and the locked securebits (SECBIT_NO_SETUID_FIXUP keeps a uid
// change from touching the sets), then the effective, permitted and inheritable sets.
int DropBoundingSetAndLock();
int ClearCapabilitySets();

// Sets PR_SET_NO_NEW_PRIVS (required for unprivileged seccomp and Landlock; setuid bits and file
// capabilities stop working). Returns 0 or errno.
int SetNoNewPrivs();

}  // namespace mg::sandbox
