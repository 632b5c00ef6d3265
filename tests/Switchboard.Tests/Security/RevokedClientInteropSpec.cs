using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.Testing.Pki;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Security;

/// <summary>A revoked agent dialing in with OpenSSL's own client is refused by our listener; an agent not on the list is not.</summary>
public sealed class RevokedClientInteropSpec : TestKit, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-revoked-client-").FullName;
    private readonly PkiLayout _pki;

    public RevokedClientInteropSpec() : base(Support.Settings.Config("""
        akka.loglevel = WARNING
        switchboard.listener { host = "127.0.0.1", port = 0 }
        """))
    {
        _pki = PkiLayout.Generate(Path.Combine(_directory, "pki"), 3);
    }

    public new void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        base.Dispose();
    }

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task A_revoked_agent_dialing_in_is_refused_and_one_not_on_the_list_is_served(string version)
    {
        Revocation.Revoke(_pki, _pki.AgentCertificate(PkiLayout.AgentName(1)));
        var settings = SettingsLoader.Load(Sys.Settings.Config);
        settings = settings with { Tls = settings.Tls with { Ca = _pki.CaCertificate, Certificate = _pki.MasterCertificate, PrivateKey = _pki.MasterKey, Crl = _pki.CrlPath() } };
        var master = SwitchboardRuntime.Start(Sys, settings);
        var port = master.Listener!.Address.Port;

        string[] Client(int agent) =>
        [
            "-connect", $"127.0.0.1:{port}", "-servername", "master", "-CAfile", _pki.CaCertificate, version,
            "-cert", _pki.AgentCertificate(PkiLayout.AgentName(agent)), "-key", _pki.AgentKey(PkiLayout.AgentName(agent)),
        ];

        // TLS 1.3 sends the client's certificate after the server's Finished: the refusal arrives as an alert
        // on the first read, so give s_client something to send and wait for the alert.
        var revoked = await ProcessRun.OpenSslClientAsync(Client(1), output => output.Contains("alert", StringComparison.Ordinal), "ping\n"u8.ToArray());
        Assert.Contains("certificate revoked", revoked.All);

        var served = await ProcessRun.OpenSslClientAsync(Client(2), ProcessRun.HandshakeDone);
        Assert.True(ProcessRun.HandshakeDone(served.All), served.All);
        Assert.DoesNotContain("alert", served.All);
    }
}
