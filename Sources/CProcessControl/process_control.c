#define _GNU_SOURCE
#include "CProcessControl.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int aim_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, signal, 0, 0, 0);
}

int aim_become_subreaper(void) {
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

void aim_reset_signal_dispositions(void) {
    // All zero but the handler, which is SIG_DFL (0): the layout of the kernel's struct does not matter.
    unsigned long action[4] = {0, 0, 0, 0};
    for (int sig = 1; sig <= 64; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        syscall(SYS_rt_sigaction, sig, action, NULL, 8);
    }
}

void aim_close_descriptors_from(int lowest) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)lowest, ~0U, 0) == 0) return;
#endif
    struct rlimit limit;
    long highest = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY ? (long)limit.rlim_cur : 65536;
    for (long fd = lowest; fd < highest; fd++) close((int)fd);
}

void aim_release_free_memory(void) {
    malloc_trim(0);
}

static int child_exit_pipe = -1;

static void on_child_exit(int signal) {
    (void)signal;
    int saved = errno;
    char byte = 1;
    ssize_t ignored = write(child_exit_pipe, &byte, 1);  // a full pipe already says "look again"
    (void)ignored;
    errno = saved;
}

int aim_notify_child_exits(int write_fd) {
    child_exit_pipe = write_fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_child_exit;
    action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGCHLD, &action, NULL);
}
