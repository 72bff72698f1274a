#ifndef AIM_CPROCESSCONTROL_H
#define AIM_CPROCESSCONTROL_H

// What Swift cannot call itself: prctl is variadic, and glibc's close_range and malloc_trim are
// not in Swift's Glibc module. Nothing here forks.

/// prctl(PR_SET_PDEATHSIG, signal): the calling process gets `signal` when the thread that
/// started it ends. Returns 0, or -1 with errno set.
int aim_set_parent_death_signal(int signal);

/// prctl(PR_SET_CHILD_SUBREAPER, 1): orphaned descendants are re-parented to this process.
int aim_become_subreaper(void);

/// Sets every signal's disposition to default with the raw system call: glibc refuses to touch its
/// own two (32 and 33), which posix_spawn leaves ignored in the child, and an exec keeps them ignored.
void aim_reset_signal_dispositions(void);

/// Closes every descriptor from `lowest` up (close_range, or one by one where the kernel lacks it).
void aim_close_descriptors_from(int lowest);

/// Installs a SIGCHLD handler that writes one byte to `write_fd` (non-blocking) for each signal, so a
/// thread can wait for children to end on a pipe. A Swift closure cannot be a signal handler safely.
int aim_notify_child_exits(int write_fd);

/// Returns freed heap memory to the system (glibc's malloc_trim).
void aim_release_free_memory(void);

#endif
