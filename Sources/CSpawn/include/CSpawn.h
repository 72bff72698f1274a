#ifndef AIM_CSPAWN_H
#define AIM_CSPAWN_H

#include <sys/types.h>

/// Starts `path` with `argv` and `envp` as the leader of a new process group, with an
/// empty signal mask and default signal dispositions (whatever the calling thread had),
/// stdin from /dev/null, stdout/stderr on the given descriptors, and SIGKILL sent to it
/// if the launcher dies. Returns the pid, or -1 with `*error` set to the errno of the
/// failed step (exec included: the parent learns of it through a close-on-exec pipe).
pid_t aim_spawn(const char *path, char *const argv[], char *const envp[], int stdout_fd, int stderr_fd, int *error);

/// A pipe whose ends close on exec, so only the child it is meant for inherits one.
int aim_pipe(int fds[2]);

/// Waits at most `timeout_ms` for the child `pid` to end and reaps it (pidfd_open and poll; a 10 ms
/// waitpid loop on kernels without pidfd). Returns 1 with `*status` set once reaped, 0 if it still runs,
/// -1 on error (errno set).
int aim_wait_child(pid_t pid, int timeout_ms, int *status);

#endif
