namespace Switchboard.Configuration;

public static partial class SettingsLoader
{
    private const string RemoteTcp = "akka.remote.dot-netty.tcp";

    private static ClusterSettings ReadCluster(ConfigReader reader)
    {
        const string c = "switchboard.cluster";
        var replicate = reader.Bool($"{c}.replicate-sessions");
        if (replicate)
        {
            RequireMutualTlsRemoting(reader, $"{c}.replicate-sessions");
        }

        return new ClusterSettings(
            reader.Int($"{c}.max-shards", 1, 100_000),
            reader.Duration($"{c}.reconcile-interval", TimeSpan.FromHours(1)),
            replicate,
            reader.Duration($"{c}.replication.flush-interval", TimeSpan.FromMinutes(1)),
            reader.Duration($"{c}.replication.timeout", TimeSpan.FromMinutes(1)));
    }

    /// <summary>
    /// Replicated sessions are secrets (a session's resumption secret lets whoever holds it resume as this
    /// master), so they may only travel over Akka.Remote with TLS that authenticates both ends and verifies
    /// the peer's chain. Akka's own defaults for the two ssl flags are the safe ones, so an absent key passes.
    /// </summary>
    private static void RequireMutualTlsRemoting(ConfigReader reader, string path)
    {
        var unsafeParts = new List<string>();
        if (!Flag(reader, $"{RemoteTcp}.enable-ssl", false))
        {
            unsafeParts.Add($"{RemoteTcp}.enable-ssl is off");
        }

        if (!Flag(reader, $"{RemoteTcp}.ssl.require-mutual-authentication", true))
        {
            unsafeParts.Add($"{RemoteTcp}.ssl.require-mutual-authentication is off");
        }

        if (Flag(reader, $"{RemoteTcp}.ssl.suppress-validation", false))
        {
            unsafeParts.Add($"{RemoteTcp}.ssl.suppress-validation is on");
        }

        if (unsafeParts.Count > 0)
        {
            reader.Problem(path, $"replicated sessions carry resumption secrets and may only travel over Akka.Remote with mutual TLS, but {string.Join(" and ", unsafeParts)}");
        }
    }

    /// <summary>An Akka setting that reference.conf does not hold: absent means Akka's own default.</summary>
    private static bool Flag(ConfigReader reader, string key, bool absent) =>
        reader.Text(key, required: false) is null ? absent : reader.Bool(key);
}
