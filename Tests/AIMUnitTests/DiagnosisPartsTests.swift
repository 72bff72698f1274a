import AIMCore
import AIMTestSupport
import Foundation
import Testing

@testable import AIMSupervisor

/// Where a diagnosis goes (the status file, `health --format json`) and the silence report's /proc
/// reading, on fixture files.
@Suite struct DiagnosisPartsTests {
    // MARK: the silence report's /proc reading

    @Test func theEngineGroupsProcessesAreReadFromAFixtureProcTree() throws {
        let proc = try TemporaryDirectory()
        // The engine (pid 100, leader of group 100), its worker, a process of another group, a worker that
        // left for a session of its own, a name with spaces and parentheses, and files that are no /proc.
        _ = try proc.write("100/stat", "100 (python3) S 1 100 100 0 -1 4194560 0 0\n")
        _ = try proc.write("100/wchan", "do_epoll_wait")
        _ = try proc.write("101/stat", "101 (VLLM::Worker) D 100 100 100 0 -1 4194560\n")
        _ = try proc.write("101/wchan", "amdgpu_bo_wait_ioctl\n")
        _ = try proc.write("102/stat", "102 (bash) S 1 102 102 0 -1\n")
        _ = try proc.write("103/stat", "103 (escaped) R 100 103 103 0\n")
        _ = try proc.write("104/stat", "104 (a (b) c) R 100 100 100 0\n")
        _ = try proc.write("104/wchan", "0")
        _ = try proc.write("105/stat", "105 (broken)\n")
        _ = try proc.write("106/stat", "106 (evil) S 100 100 100\n")
        _ = try proc.write("106/wchan", "sym\u{1B}[2Jbol")
        _ = try proc.write("self/stat", "100 (python3) S 1 100 100\n")
        _ = try proc.write("version", "Linux")
        let found = ProcessActivity.read(group: 100, root: proc.path)
        #expect(
            found == [
                ProcessActivity(pid: 100, name: "python3", state: "S", waitChannel: "do_epoll_wait"),
                ProcessActivity(pid: 101, name: "VLLM::Worker", state: "D", waitChannel: "amdgpu_bo_wait_ioctl"),
                ProcessActivity(pid: 104, name: "a (b) c", state: "R", waitChannel: nil),
                ProcessActivity(pid: 106, name: "evil", state: "S", waitChannel: nil),
            ])
        #expect(
            found[1].summary
                == "pid 101 (VLLM::Worker): waiting in the kernel, uninterruptibly (D) in amdgpu_bo_wait_ioctl")
        #expect(found[2].summary == "pid 104 (a (b) c): running (R)")
        #expect(ProcessActivity.read(group: 100, root: proc.path + "/missing").isEmpty)
    }

    @Test func aNameWithControlCharactersStaysOneLine() throws {
        let proc = try TemporaryDirectory()
        _ = try proc.write("7/stat", "7 (bad\nname) S 1 7 7\n")
        let found = ProcessActivity.read(group: 7, root: proc.path)
        #expect(found.map(\.name) == ["bad\\nname"])
    }

    @Test func theRealEngineGroupIsReadFromProc() throws {
        // This test process leads no group of its own in general; its group holds at least itself.
        let group = getpgrp()
        let found = ProcessActivity.read(group: group)
        #expect(found.contains { $0.pid == getpid() }, "\(found)")
    }

    // MARK: the status file

    @Test func theStatusFileKeepsTheDiagnosisAndReadsOldFilesWithout() throws {
        let work = try TemporaryDirectory()
        let path = work.path + "/status.json"
        let diagnosis = EngineFailureDiagnosis(
            cause: .shmTooSmall, fix: FailureCause.shmTooSmall.fix, evidence: "Fatal Python error: Bus error")
        ServeStatus(pid: 42, phase: .stopping, port: 8000, servedModelName: "org/m", diagnosis: diagnosis).write(
            to: path)
        let read = try #require(ServeStatus.read(from: path))
        #expect(read.diagnosis == diagnosis)
        #expect(
            try String(contentsOfFile: path, encoding: .utf8).contains(
                #""diagnosis": {"cause": "shm_too_small", "fix": "#))
        // Written before diagnoses existed.
        _ = try work.write("old.json", #"{"pid": 42, "phase": "ready", "port": 8000, "served_model_name": "org/m"}"#)
        let old = try #require(ServeStatus.read(from: work.path + "/old.json"))
        #expect(old.diagnosis == nil && old.phase == .ready)
        // A diagnosis that is not whole is left out; the status stays.
        _ = try work.write(
            "odd.json",
            #"{"pid": 42, "phase": "ready", "port": 8000, "served_model_name": "org/m", "diagnosis": {"cause": "gremlins", "fix": "x", "evidence": "y"}}"#
        )
        let odd = try #require(ServeStatus.read(from: work.path + "/odd.json"))
        #expect(odd.diagnosis == nil)
    }

    @Test func theLiveStatusFileKeepsTheDiagnosisAcrossLaterPhases() throws {
        let work = try TemporaryDirectory()
        let path = work.path + "/status.json"
        let file = ServeStatusFile(path: path, port: 8000, servedModelName: "org/m", phaseChanged: { _ in })
        file.record(.starting)
        let diagnosis = EngineFailureDiagnosis(cause: .hipOOM, fix: "f", evidence: "e")
        file.record(diagnosis)
        file.record(.starting)
        let read = try #require(ServeStatus.read(from: path))
        #expect(read.phase == .starting && read.diagnosis == diagnosis && read.pid == getpid())
    }

    @Test func healthJSONHasTheStatusAndTheDiagnosis() {
        let status = ServeStatus(
            pid: 42, phase: .stopping, port: 8000, servedModelName: "org/m",
            diagnosis: EngineFailureDiagnosis(cause: .portInUse, fix: "free it", evidence: "[Errno 98]"))
        let report = HealthReport(healthy: false, line: "not live: serve (pid 42) is gone", status: status)
        #expect(
            JSONWriter.write(report.document)
                == #"{"healthy": false, "message": "not live: serve (pid 42) is gone", "phase": "stopping", "pid": 42, "port": 8000, "served_model_name": "org/m", "diagnosis": {"cause": "port_in_use", "fix": "free it", "evidence": "[Errno 98]"}}"#
        )
        let none = HealthReport(healthy: false, line: "not live: no serve status at '/x'", status: nil)
        #expect(
            JSONWriter.write(none.document) == #"{"healthy": false, "message": "not live: no serve status at '/x'"}"#)
    }
}
