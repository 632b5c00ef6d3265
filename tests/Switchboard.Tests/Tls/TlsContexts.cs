using Switchboard.Tests.Support;
using Switchboard.Tls;

namespace Switchboard.Tests.Tls;

/// <summary>Contexts built from TestPki: the master dials agents (client), agents accept (server).</summary>
internal static class TlsContexts
{
    public static TestPki Certs => TestPki.Instance;

    /// <summary>"1.2" or "1.3" (theory data cannot carry internal enums).</summary>
    public static TlsVersion Version(string tls) => tls switch
    {
        "1.2" => TlsVersion.Tls12,
        "1.3" => TlsVersion.Tls13,
        _ => throw new ArgumentOutOfRangeException(nameof(tls), tls, "expected 1.2 or 1.3"),
    };

    public static TlsContextOptions MasterOptions(TlsVersion min = TlsVersion.Tls12, TlsVersion max = TlsVersion.Tls13) =>
        new(Certs.Layout.CaCertificate, Certs.Master.Certificate, Certs.Master.Key, min, max);

    public static TlsContextOptions AgentOptions(int agent, TlsVersion min = TlsVersion.Tls12, TlsVersion max = TlsVersion.Tls13) =>
        new(Certs.Layout.CaCertificate, Certs.Agent(agent).Certificate, Certs.Agent(agent).Key, min, max);

    public static TlsContext Master(TlsVersion version) => TlsContext.CreateClient(MasterOptions(version, version));

    public static TlsContext Agent(int agent, TlsVersion version, IServerSessionCache? cache = null, TicketKeySet? keys = null) =>
        TlsContext.CreateServer(AgentOptions(agent, version, version), cache, keys);

    public static TicketKey NewTicketKey()
    {
        return new TicketKey(
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(TicketKey.NameLength),
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(TicketKey.SecretLength),
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(TicketKey.SecretLength),
            DateTime.UtcNow);
    }
}
