import AIMCore
import CProcessControl
import Foundation

/// `aim-runtime exec-engine`: what the launcher's `Process` runs, to become the engine.
///
/// Foundation's `Process` hands its child the launcher's blocked signals and ignored dispositions,
/// and has no hook for PR_SET_PDEATHSIG. So the child is aim-runtime itself, which puts that right
/// and then `execve`s the engine: the engine stays the launcher's direct child, leads its own process
/// group (Foundation's POSIX_SPAWN_SETPGROUP), and dies with the launcher.
public enum EngineTrampoline {
    public static let subcommand = "exec-engine"

    /// The trampoline's arguments: `exec-engine PARENT-PID EXECUTABLE -- ARGV…`.
    static func arguments(parent: pid_t, executable: String, argv: [String]) -> [String] {
        [subcommand, String(parent), executable, "--"] + argv
    }

    /// Whether this process was started as the trampoline (checked first thing in `main`).
    public static func isRequested(_ arguments: [String]) -> Bool {
        arguments.count > 1 && arguments[1] == subcommand
    }

    /// Runs the steps, then becomes the engine; never returns. `arguments` is the whole command line.
    public static func run(_ arguments: [String]) -> Never {
        resetSignals()
        let rest = Array(arguments.dropFirst(2))
        guard rest.count >= 4, rest[2] == "--", let parent = pid_t(rest[0]), parent > 0 else {
            fail("usage: aim-runtime \(subcommand) PARENT-PID EXECUTABLE -- ARGV…; serve runs this itself")
        }
        // PDEATHSIG set, then the parent checked: a launcher that died before the prctl is noticed.
        guard aim_set_parent_death_signal(SIGKILL) == 0, getppid() == parent else {
            fail("the launcher (pid \(parent)) is gone; not starting the engine")
        }
        if getpgrp() != getpid() { setpgid(0, 0) }
        aim_close_descriptors_from(3)
        let executable = rest[1]
        let argv = Array(rest.dropFirst(3))
        var cArguments = argv.map { strdup($0) } + [nil]
        execv(executable, &cArguments)
        fail("cannot start the engine \(executable): \(String(cString: strerror(errno)))")
    }

    /// Default disposition for every signal, then an empty mask: a stop signal that arrived since
    /// the spawn was held pending by the inherited mask and now takes effect.
    private static func resetSignals() {
        aim_reset_signal_dispositions()
        var none = sigset_t()
        sigemptyset(&none)
        sigprocmask(SIG_SETMASK, &none, nil)
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(OneLineText.escape(message))\n".utf8))
        exit(127)
    }
}
