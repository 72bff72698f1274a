import AIMFuzzTargets
import CFuzzerDriver
import Foundation

// libFuzzer's entry. This target exists only when Package.swift sees AIM_FUZZ=1, and is built by
// scripts/fuzz.sh with `-sanitize=fuzzer -parse-as-library`. SwiftPM links an executable with
// `main` aliased to `aim_fuzz_main`, so that function hands the command line to libFuzzer's driver.

/// The target to fuzz, read once from FUZZ_TARGET.
private let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(
            Data("error: FUZZ_TARGET='\(name)' is not a fuzz target; set it to one of: \(names)\n".utf8))
        exit(2)
    }
    return target
}()

@_cdecl("aim_fuzz_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    _ = selectedTarget
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        FuzzTarget.run(selectedTarget, UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }
}
