namespace Switchboard.Bench.Shared;

/// <summary>A temporary directory for a run's session files and plans, removed afterwards on a best-effort basis.</summary>
internal static class ScratchDirectory
{
    public static string Create(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>A scratch directory left behind (a file still open) is not worth failing a benchmark for.</summary>
    public static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
