import AIMCommands
import AIMCore
import AIMModelStore
import AIMReports
import ArgumentParser

// The library's option values, as ArgumentParser reads them from the command line.

extension LaunchPlanReport.Format: ExpressibleByArgument {}
extension GPUReportView.Format: ExpressibleByArgument {}
extension ProfileListReport.Format: ExpressibleByArgument {}
extension StoreSettings.Layout: ExpressibleByArgument {}
extension DryRunCommand.Format: ExpressibleByArgument {}
extension DoctorReportView.Format: ExpressibleByArgument {}
extension HealthCommand.Format: ExpressibleByArgument {}
extension NodeGroup.Role: ExpressibleByArgument {}

extension StateFilter: ExpressibleByArgument {
    public var defaultValueDescription: String { argument }
    public static var allValueStrings: [String] { allCases.map(\.argument) }
}
