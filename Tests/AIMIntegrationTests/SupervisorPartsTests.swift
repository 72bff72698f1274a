import AIMCore
import AIMTestSupport
import Foundation
import Testing

@testable import AIMSupervisor

/// The supervisor's parts that touch the world, each bounded in time and size.
@Suite struct SupervisorPartsTests {
    /// Started by this test runner, whose spawning threads block every signal (and glibc's posix_spawn
    /// leaves its own two ignored), the trampoline still hands the program nothing blocked or ignored, and
    /// no descriptor above 2.
    @Test func theTrampolineHandsTheEngineDefaultSignalsAndNoDescriptors() throws {
        let outcome = try CLI.runProgram(
            CLI.binary,
            [
                "exec-engine", String(getpid()), "/bin/sh", "--", "sh", "-c",
                "grep -E '^Sig(Blk|Ign)' /proc/self/status; ls /proc/self/fd",
            ],
            environment: ["PATH": "/usr/bin:/bin"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("SigBlk:\t0000000000000000"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("SigIgn:\t0000000000000000"), "\(outcome.stdout)")
        // ls's own descriptors: the three standard ones and the folder it lists. Foundation's socket to the
        // child would be a fifth.
        let descriptors = outcome.stdout.split(separator: "\n").filter { !$0.hasPrefix("Sig") }
        #expect(descriptors == ["0", "1", "2", "3"], "\(outcome.stdout)")
    }

    @Test func theTrampolineRefusesAParentThatIsNotItsOwn() throws {
        let outcome = try CLI.runProgram(CLI.binary, ["exec-engine", "1", "/bin/true", "--", "true"], environment: [:])
        #expect(outcome.status == 127)
        #expect(outcome.stderr == "error: the launcher (pid 1) is gone; not starting the engine\n")
        let usage = try CLI.runProgram(CLI.binary, ["exec-engine", "x"], environment: [:])
        #expect(usage.status == 127 && usage.stderr.hasPrefix("error: usage: aim-runtime exec-engine"))
    }

    @Test func statLinesWithOddNamesAreParsed() {
        let entry = ProcessTable.parseStat("42 (a) b (c)) S 7 42 42 0 -1", pid: 42)
        #expect(entry == ProcessTable.Entry(pid: 42, parent: 7, state: "S", name: "a) b (c)"))
        #expect(ProcessTable.parseStat("42 (x) S 99999999999 1", pid: 42) == nil, "a parent beyond pid_t is no entry")
        #expect(ProcessTable.parseStat("garbage", pid: 1) == nil)
        #expect(ProcessTable.parseStat("1 (x)", pid: 1) == nil)
    }

    @Test func descendantsAreFoundAtEveryDepthAndLoopsEnd() {
        let table = ProcessTable(entries: [
            .init(pid: 10, parent: 1, state: "S", name: "serve"),
            .init(pid: 11, parent: 10, state: "S", name: "engine"),
            .init(pid: 12, parent: 11, state: "Z", name: "worker"),
            .init(pid: 13, parent: 12, state: "S", name: "deep"),
            .init(pid: 20, parent: 1, state: "S", name: "other"), .init(pid: 30, parent: 31, state: "S", name: "loop"),
            .init(pid: 31, parent: 30, state: "S", name: "loop"),
        ])
        #expect(Set(table.descendants(of: 10).map(\.pid)) == [11, 12, 13])
        #expect(table.descendants(of: 20).isEmpty)
        #expect(Set(table.descendants(of: 30).map(\.pid)) == [31])
    }

    @Test func listeningSocketsAreReadFromProcNetTables() {
        let table = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 555 1 0000000000000000 100 0 0 10 0
               1: 0100007F:1F40 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 556 1 0000000000000000 20 4 30 10 -1
               2: 00000000:1F41 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 557 1 0000000000000000 100 0 0 10 0
               3: bad line
            """
        #expect(PortHolders.listeningInodes(port: 8000, table: table) == [555], "only LISTEN rows on the port")
        let six = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000000000000:1F40 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 777 1 0 100 0 0 10 0
            """
        #expect(PortHolders.listeningInodes(port: 8000, table: six) == [777])
    }

    @Test func theStatusLockHolderIsReadFromProcLocks() {
        let locks = """
            1: POSIX  ADVISORY  WRITE 900 fe:00:777 0 EOF
            2: FLOCK  ADVISORY  WRITE 4242 fe:00:16238250 0 EOF
            2: -> FLOCK  ADVISORY  WRITE 5151 fe:00:16238250 0 EOF
            3: FLOCK  ADVISORY  WRITE 99999999999 fe:00:555 0 EOF
            """
        #expect(StatusLock.lockHolder(inode: 16238250, locks: locks) == 4242, "the holder, not the waiter")
        #expect(StatusLock.lockHolder(inode: 777, locks: locks) == nil, "POSIX locks are not serve's")
        #expect(StatusLock.lockHolder(inode: 555, locks: locks) == nil, "a pid beyond pid_t is no pid")
        #expect(StatusLock.lockHolder(inode: 1, locks: locks) == nil)
    }

    @Test func aHeldPortIsRefusedNamingThisProcess() throws {
        let holder = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(holder, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        }
        listen(holder, 1)
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(holder, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin6_port))
        #expect(port > 0)
        #expect(throws: AIMError.self) { try PortAvailability.ensureFree(port: port) }
        do {
            try PortAvailability.ensureFree(port: port)
        } catch let error as AIMError {
            #expect(error.status == .configuration)
            #expect(
                error.message.contains("port \(port) (AIM_PORT) is already in use by ")
                    && error.message.contains("pid \(getpid()) ("), "\(error.message)")
        }
        // A group leader's other ports are named by their own variables.
        do {
            try PortAvailability.ensureFree(port: port, variable: "AIM_MASTER_PORT")
            Issue.record("a held port passed")
        } catch let error as AIMError {
            #expect(
                error.message.hasPrefix("port \(port) (AIM_MASTER_PORT) is already in use by ")
                    && error.message.hasSuffix("; stop that process or set AIM_MASTER_PORT to a free port"),
                "\(error.message)")
        }
        close(holder)
        try PortAvailability.ensureFree(port: port)
    }

    @Test func hostileStatusFilesAreRejectedWithoutHangingOrTrapping() async throws {
        let work = try TemporaryDirectory()
        for (name, text) in [
            ("huge-pid", #"{"pid": 99999999999, "phase": "ready", "port": 8000, "served_model_name": "m"}"#),
            ("zero-pid", #"{"pid": 0, "phase": "ready", "port": 8000, "served_model_name": "m"}"#),
            ("negative-pid", #"{"pid": -1, "phase": "ready", "port": 8000, "served_model_name": "m"}"#),
            ("big-port", #"{"pid": 1, "phase": "ready", "port": 70000, "served_model_name": "m"}"#),
            ("deep", String(repeating: "[", count: 60_000)),
        ] {
            #expect(ServeStatus.read(from: try work.write(name, text)) == nil, "\(name)")
        }
        let big = try work.write(
            "big",
            #"{"pid": 1, "phase": "ready", "port": 8000, "served_model_name": ""#
                + String(repeating: "m", count: 1 << 20) + "\"}")
        #expect(ServeStatus.read(from: big) == nil, "a status over 64 KiB is not one")
        let fifo = work.path + "/fifo"
        #expect(mkfifo(fifo, 0o644) == 0)
        let started = Date()
        #expect(ServeStatus.read(from: fifo) == nil)
        #expect(ServeStatus.read(from: "/dev/zero") == nil)
        #expect(Date().timeIntervalSince(started) < 1)
        let live = await HealthCheck.check(ready: false, statusPath: work.path + "/huge-pid", port: 8000)
        #expect(!live.healthy)
    }

    /// Synchronous on purpose: an async test resumes only when the cooperative pool has a free
    /// thread, and under the full suite that wait (tens of seconds) would be measured as the probe's.
    @Test func aTricklingEngineCannotHoldTheHealthCheck() throws {
        // Answers one byte every 0.2 s, for ever: each probe still ends within its 3 s.
        let script = """
            import socket, sys, threading, time
            s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
            print(s.getsockname()[1], flush=True)
            def trickle(c):
                try:
                    c.recv(4096)
                    while True:
                        c.send(b"H"); time.sleep(0.2)
                except OSError:
                    pass
            while True:
                c, _ = s.accept()
                threading.Thread(target=trickle, args=(c,), daemon=True).start()
            """
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = ["-c", script]
        let output = Pipe()
        server.standardOutput = output
        try server.run()
        defer {
            // SIGKILL: the test runner's threads block SIGTERM, and its children inherit the mask.
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty { break }
            line.append(byte)
        }
        let port = try #require(
            Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        let started = Date()
        let answer = LoopbackHTTP.get(port: port, path: "/health", timeout: 3)
        let seconds = Date().timeIntervalSince(started)
        #expect(answer == nil)
        #expect(seconds < 4, "the request took \(seconds) s")
    }
}

/// The state letter of a process from /proc, nil when it is gone.
enum PIDState {
    static func of(_ pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(close, offsetBy: 2)...].split(separator: " ").first.map(String.init)
    }
}
