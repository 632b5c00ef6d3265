namespace Switchboard.Configuration;

/// <summary>
/// Resolves relative paths in a config against the directory of the file it came from, so a config and
/// its pki/ folder can be moved together and the daemon can be started from any working directory.
/// </summary>
internal sealed class FileResolver
{
    private readonly string _baseDirectory;

    /// <param name="baseDirectory">null = the current directory (configs not loaded from a file).</param>
    public FileResolver(string? baseDirectory) =>
        _baseDirectory = Path.GetFullPath(baseDirectory ?? Directory.GetCurrentDirectory());

    public string Resolve(string path) => Path.GetFullPath(Path.Combine(_baseDirectory, path));

    /// <summary>How to show a path in a message: as written, plus where it was looked for if it was relative.</summary>
    public string Describe(string written, string resolved) =>
        Path.IsPathRooted(written) ? written : $"{written} (resolved to {resolved})";
}
