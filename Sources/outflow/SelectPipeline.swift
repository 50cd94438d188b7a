import ArgumentParser
import OutflowCore
import OutflowWorkspace

/// The pipeline a `--pipeline ID|NAME` names, or the error every command gives for one that names
/// none: the workspace's pipelines on stderr and exit status 64, a usage error (DESIGN 11), in `run`
/// and `state reset`; `preview` passes 1, the status its own contract gives any problem before the
/// first line (DESIGN 11: "1 when the pipeline is invalid or the source unreadable").
func selectPipeline(_ reference: String, in file: WorkspaceFile, exitCode: Int32 = 64) throws -> Pipeline {
    if let pipeline = file.workspace.pipeline(reference) { return pipeline }
    let names = file.workspace.pipelines.map { "\($0.id.map(String.init) ?? "-") \"\($0.name)\"" }
    printError("\(file.path): no pipeline has the id or name \"\(reference)\"; pipelines: \(names.joined(separator: ", "))")
    throw ExitCode(exitCode)
}
