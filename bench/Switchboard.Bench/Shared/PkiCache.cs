using System.Diagnostics;
using Switchboard.Testing.Pki;

namespace Switchboard.Bench.Shared;

/// <summary>
/// Generated PKIs kept between runs, keyed by agent count and key type: 5,000 RSA-4096 keys take many
/// minutes on two cores. A cache with more agents than asked serves a smaller fleet too.
/// </summary>
internal static class PkiCache
{
    private const string CompleteMarker = ".complete";

    public static string DefaultRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "switchboard-bench", "pki");
    }

    public static PkiLayout Get(string root, int agents, KeyAlgorithm key, TextWriter log)
    {
        var existing = Find(root, agents, key);
        if (existing is not null)
        {
            log.WriteLine($"pki: reusing the {key.Name()} PKI in {existing.Directory}");
            return existing;
        }

        var directory = Path.Combine(root, $"{agents}-{key.Name()}");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true); // an interrupted generation
        }

        log.WriteLine($"pki: generating a {key.Name()} PKI for {agents} agents in {directory} (cached for later runs)...");
        var stopwatch = Stopwatch.StartNew();
        // RSA agents share one key pair (each still has its own certificate and name): the server's
        // private-key operation per handshake is what the storm measures, not key generation.
        var layout = PkiLayout.Generate(directory, agents, key, shareAgentKey: key != KeyAlgorithm.EcdsaP256);
        File.WriteAllText(Path.Combine(directory, CompleteMarker), agents.ToString(System.Globalization.CultureInfo.InvariantCulture));
        log.WriteLine($"pki: generated in {stopwatch.Elapsed.TotalSeconds:F1} s");
        return layout;
    }

    private static PkiLayout? Find(string root, int agents, KeyAlgorithm key)
    {
        if (!Directory.Exists(root))
        {
            return null;
        }

        var suffix = "-" + key.Name();
        return Directory.EnumerateDirectories(root)
            .Select(d => (Directory: d, Name: Path.GetFileName(d)))
            .Where(d => d.Name.EndsWith(suffix, StringComparison.Ordinal) && File.Exists(Path.Combine(d.Directory, CompleteMarker)))
            .Select(d => (d.Directory, Count: int.TryParse(d.Name[..^suffix.Length], out var n) ? n : -1))
            .Where(d => d.Count >= agents)
            .OrderBy(d => d.Count)
            .Select(d => new PkiLayout(d.Directory))
            .FirstOrDefault();
    }
}
