#define _GNU_SOURCE
#include "CSpawn.h"

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <time.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// Between fork and exec only async-signal-safe calls are made: the Swift runtime's
// threads and locks do not exist in the child.
static void child(const char *path, char *const argv[], char *const envp[], int out, int err, int report, pid_t parent) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the launcher died before prctl took effect
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL);
    }
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, STDIN_FILENO);
    if (out >= 0) dup2(out, STDOUT_FILENO);
    if (err >= 0) dup2(err, STDERR_FILENO);
    // Close every other descriptor; the report pipe is close-on-exec already.
    if (report > 3) syscall(SYS_close_range, 3, report - 1, 0);
    if (syscall(SYS_close_range, report + 1, ~0U, 0) != 0) {
        for (int fd = report + 1; fd < 65536; fd++) close(fd);
    }
    execve(path, argv, envp);
    int code = errno;
    ssize_t ignored = write(report, &code, sizeof code);
    (void)ignored;
    _exit(127);
}

pid_t aim_spawn(const char *path, char *const argv[], char *const envp[], int stdout_fd, int stderr_fd, int *error) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) {
        *error = errno;
        return -1;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        *error = errno;
        close(report[0]);
        close(report[1]);
        return -1;
    }
    if (pid == 0) child(path, argv, envp, stdout_fd, stderr_fd, report[1], parent);
    setpgid(pid, pid);  // also from the parent, so the group exists before anyone signals it
    close(report[1]);
    int code = 0;
    ssize_t count;
    do {
        count = read(report[0], &code, sizeof code);
    } while (count < 0 && errno == EINTR);
    close(report[0]);
    if (count == sizeof code) {
        int status;
        waitpid(pid, &status, 0);
        *error = code;
        return -1;
    }
    *error = 0;
    return pid;
}

int aim_pipe(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int aim_wait_child(pid_t pid, int timeout_ms, int *status) {
    pid_t done = waitpid(pid, status, WNOHANG);
    if (done != 0) return done == pid ? 1 : -1;
#ifdef SYS_pidfd_open
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (fd >= 0) {
        struct pollfd ready = {.fd = fd, .events = POLLIN};
        int count;
        do {
            count = poll(&ready, 1, timeout_ms);
        } while (count < 0 && errno == EINTR);  // a signal restarts the wait: at worst a little longer
        close(fd);
        done = waitpid(pid, status, WNOHANG);
        return done == pid ? 1 : (done == 0 ? 0 : -1);
    }
#endif
    struct timespec step = {0, 10 * 1000 * 1000};
    for (int waited = 0; waited < timeout_ms; waited += 10) {
        nanosleep(&step, NULL);
        done = waitpid(pid, status, WNOHANG);
        if (done != 0) return done == pid ? 1 : -1;
    }
    return 0;
}
