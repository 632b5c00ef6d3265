using Switchboard.Testing.Pki;

namespace Switchboard.Tests.Stress;

/// <summary>
/// A CA, a master and <see cref="Agents"/> agent certificates (ECDSA P-256), generated once per test run:
/// the storm spec needs 2,000 distinct agent identities, more than <c>TestPki</c> carries.
/// </summary>
internal static class StressPki
{
    public const int Agents = 2000;

    private static readonly Lazy<PkiLayout> Shared = new(Generate);

    public static PkiLayout Layout => Shared.Value;

    private const string Prefix = "switchboard-stress-";

    private static PkiLayout Generate()
    {
        RemoveLeftovers();
        var directory = Path.Combine(Path.GetTempPath(), $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(directory);
        return PkiLayout.Generate(directory, Agents);
    }

    /// <summary>
    /// The test host is often ended before its exit handlers finish deleting 2,000 certificates, so each
    /// run would leave 13 MB behind; a later run removes the directories of processes that are gone.
    /// </summary>
    private static void RemoveLeftovers()
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var pid = Path.GetFileName(directory)[Prefix.Length..].Split('-')[0];
            if (int.TryParse(pid, out _) && !Directory.Exists(Path.Combine("/proc", pid)))
            {
                TryDelete(directory);
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
