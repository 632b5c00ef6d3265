namespace Switchboard.Bench.Shared;

/// <summary>
/// Where a benchmark writes when not told otherwise: bench/results/tmp/ in the repository (git-ignored), so a
/// run leaves the tree clean and results worth keeping are copied into bench/results/ on purpose. Outside a
/// checkout, a folder under the system's temporary directory.
/// </summary>
internal static class ResultsDirectory
{
    public static string Default()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Actors.sln")))
            {
                return Path.Combine(directory.FullName, "bench", "results", "tmp");
            }
        }

        return Path.Combine(Path.GetTempPath(), "switchboard-bench");
    }
}
