using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Resumption;
using Switchboard.Supervision;
using Switchboard.Tests.Resumption;
using Switchboard.Tls;

namespace Switchboard.Tests.Security;

/// <summary>
/// A session must not outlive the trust it was made under: not the chain age, not the peer certificate, not
/// the CA bundle. Each case offers what a restart would restore, and expects a full handshake instead.
/// </summary>
public sealed class SessionTrustSpec : TestKit, IDisposable
{
    private const string Key = "agent-00001|127.0.0.1:1|ab|cd";
    private static readonly SessionFileKey FileKey = SessionFileKey.Derive("this master's private key"u8);
    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-trust-").FullName;
    private readonly ResumptionSettings _settings;

    public SessionTrustSpec()
    {
        _settings = Support.Settings.Load().Resumption with { PersistPath = Path.Combine(_directory, "sessions") };
    }

    public new void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        base.Dispose();
    }

    private Io.OpenLink Open(long linkId) =>
        new(linkId, "agent-00001", new IPEndPoint(IPAddress.Loopback, 1), null!, null, Key, TestActor, Sys.DeadLetters);

    /// <summary>A real session on file as a restart would find it, with the chain given.</summary>
    private IActorRef RestoredWith(SessionChain chain)
    {
        using var ticket = ResumptionCacheActorSpec.Tickets(TlsVersion.Tls13)[^1];
        var persisted = new PersistedSession(Key, ticket.ExportWithoutPeer(), DateTime.UtcNow.AddHours(1), (byte)TlsVersion.Tls13, chain);
        Assert.True(Support.SessionFiles.TrySave(_settings.PersistPath!, new SessionFileContents([persisted], null), DateTime.UtcNow, FileKey, out var error), error);
        return Sys.ActorOf(ResumptionCacheActor.Props(_settings, TestActor, new ResumptionGauges(), FileKey));
    }

    [Fact]
    public void A_session_whose_chain_is_younger_than_its_age_limit_and_its_certificate_is_offered()
    {
        var cache = RestoredWith(new SessionChain(DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddYears(1)));
        cache.Tell(Open(1));
        using var offer = ExpectMsg<Io.OpenLink>().Resume;
        Assert.NotNull(offer);
    }

    [Fact]
    public void A_session_whose_chain_is_older_than_max_chain_age_is_not_offered()
    {
        var cache = RestoredWith(new SessionChain(DateTime.UtcNow - _settings.ChainAge - TimeSpan.FromMinutes(1), DateTime.UtcNow.AddYears(1)));
        cache.Tell(Open(1));
        Assert.Null(ExpectMsg<Io.OpenLink>().Resume);
    }

    [Fact]
    public void A_session_past_its_peer_certificates_not_after_is_not_offered()
    {
        var cache = RestoredWith(new SessionChain(DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddMinutes(-1)));
        cache.Tell(Open(1));
        Assert.Null(ExpectMsg<Io.OpenLink>().Resume);
    }

    [Fact]
    public void A_resumption_inherits_the_chain_of_the_session_it_resumed()
    {
        var started = DateTime.UtcNow.AddHours(-3);
        var cache = RestoredWith(new SessionChain(started, DateTime.UtcNow.AddYears(1)));
        cache.Tell(Open(1));
        ExpectMsg<Io.OpenLink>().Resume?.Dispose();

        // The resumed handshake's fresh ticket carries the chain on: it is not a new full handshake.
        cache.Tell(new ClientSessionsReceived(Key, ResumptionCacheActorSpec.Tickets(TlsVersion.Tls13), Resumed: true));
        cache.Tell(new ResumptionCacheActor.PersistNow());
        ExpectMsg<ResumptionCacheActor.Persisted>();

        var saved = Assert.Single(SessionFile.Load(_settings.PersistPath!, DateTime.UtcNow, FileKey).Contents.Sessions);
        Assert.Equal(started, saved.Chain.StartedUtc);
    }

    [Fact]
    public void Sessions_are_kept_per_ca_bundle_so_a_reload_that_changes_it_starts_afresh()
    {
        var endpoint = new EndpointSettings("agent-00001", "127.0.0.1", 5665);
        var pki = Support.TestPki.Instance;
        var otherBundle = Path.Combine(_directory, "other-ca.crt");
        File.WriteAllText(otherBundle, File.ReadAllText(pki.Layout.CaCertificate).TrimEnd() + "\n" + File.ReadAllText(pki.ForeignCaCertificate));
        using var before = TlsContext.CreateClient(Tls.TlsContexts.MasterOptions());
        using var same = TlsContext.CreateClient(Tls.TlsContexts.MasterOptions());
        using var after = TlsContext.CreateClient(Tls.TlsContexts.MasterOptions() with { CaPath = otherBundle });

        Assert.Equal(EndpointActor.ResumptionKey(endpoint, before), EndpointActor.ResumptionKey(endpoint, same));
        Assert.NotEqual(EndpointActor.ResumptionKey(endpoint, before), EndpointActor.ResumptionKey(endpoint, after));
    }
}
