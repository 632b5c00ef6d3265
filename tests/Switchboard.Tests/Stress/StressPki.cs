using Switchboard.Pki;

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

    private static PkiLayout Generate()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"switchboard-stress-{Environment.ProcessId}-{Guid.NewGuid():N}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return PkiLayout.Generate(directory, Agents);
    }
}
