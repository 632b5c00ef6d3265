using Switchboard.Configuration;
using Switchboard.Supervision;
using Switchboard.Testing.Pki;
using Switchboard.Tests.Tls;
using Switchboard.Tls;

namespace Switchboard.Tests.Security;

/// <summary>A decommissioned agent (or master) is refused once its certificate is on the CRL, in both directions.</summary>
public sealed class RevocationSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-crl-").FullName;
    private readonly PkiLayout _pki;

    public RevocationSpec()
    {
        _pki = PkiLayout.Generate(Path.Combine(_directory, "pki"), 3);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Agent(int i) => PkiLayout.AgentName(i);

    private TlsContextOptions Master(TlsVersion version, bool crl = true, bool required = false) =>
        new(_pki.CaCertificate, _pki.MasterCertificate, _pki.MasterKey, version, version, CrlPath: crl ? _pki.CrlPath() : null, CrlRequired: required);

    private TlsContextOptions AgentSide(int i, TlsVersion version, bool crl = false) =>
        new(_pki.CaCertificate, _pki.AgentCertificate(Agent(i)), _pki.AgentKey(Agent(i)), version, version, CrlPath: crl ? _pki.CrlPath() : null);

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void A_revoked_agent_is_refused_as_a_server_we_connect_to_and_the_others_are_not(string tls)
    {
        var version = TlsContexts.Version(tls);
        Revocation.Revoke(_pki, _pki.AgentCertificate(Agent(1)));
        using var master = TlsContext.CreateClient(Master(version));
        using var revoked = TlsContext.CreateServer(AgentSide(1, version));
        using var healthy = TlsContext.CreateServer(AgentSide(2, version));

        using var refused = TlsPair.Connect(master, revoked, Agent(1));
        using var accepted = TlsPair.Connect(master, healthy, Agent(2));

        Assert.Equal(TlsState.Failed, refused.Client.State);
        Assert.Equal(TlsFailureKind.Verify, refused.Client.Failure!.Kind);
        Assert.Contains("revoked", refused.Client.Failure.Reason);
        Assert.Equal(TlsState.Established, accepted.Client.State);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void A_revoked_client_is_refused_by_our_listener(string tls)
    {
        var version = TlsContexts.Version(tls);
        Revocation.Revoke(_pki, _pki.MasterCertificate);
        using var listener = TlsContext.CreateServer(AgentSide(2, version, crl: true));
        using var client = TlsContext.CreateClient(Master(version, crl: false));

        using var pair = TlsPair.Connect(client, listener, Agent(2));

        Assert.Equal(TlsState.Failed, pair.Server.State);
        Assert.Contains("revoked", pair.Server.Failure!.Reason);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_stale_crl_is_set_aside_or_fails_every_handshake_closed_as_configured(bool required)
    {
        Revocation.Revoke(_pki, _pki.AgentCertificate(Agent(1)), nextUpdate: DateTimeOffset.UtcNow.AddMinutes(-1));
        using var master = TlsContext.CreateClient(Master(TlsVersion.Tls13, required: required));
        using var healthy = TlsContext.CreateServer(AgentSide(2, TlsVersion.Tls13));

        using var pair = TlsPair.Connect(master, healthy, Agent(2));

        Assert.True(master.CrlStale);
        if (required)
        {
            Assert.Equal(TlsState.Failed, pair.Client.State);
            Assert.Contains("CRL has expired", pair.Client.Failure!.Reason);
        }
        else
        {
            Assert.Equal(TlsState.Established, pair.Client.State);
        }
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public async Task A_crl_made_by_openssl_ca_refuses_the_agent_it_revokes(string tls)
    {
        var version = TlsContexts.Version(tls);
        var ca = Path.Combine(_directory, "openssl-ca");
        Directory.CreateDirectory(ca);
        File.WriteAllText(Path.Combine(ca, "index.txt"), string.Empty);
        File.WriteAllText(Path.Combine(ca, "crlnumber"), "01\n");
        var config = Path.Combine(ca, "ca.cnf");
        File.WriteAllText(config, $$"""
            [ ca ]
            default_ca = revoker
            [ revoker ]
            database = {{Path.Combine(ca, "index.txt")}}
            crlnumber = {{Path.Combine(ca, "crlnumber")}}
            certificate = {{_pki.CaCertificate}}
            private_key = {{_pki.CaKey}}
            default_md = sha256
            default_crl_days = 7
            """);
        var crl = Path.Combine(ca, "crl.pem");
        foreach (var arguments in new[]
        {
            new[] { "ca", "-config", config, "-revoke", _pki.AgentCertificate(Agent(1)) },
            ["ca", "-config", config, "-gencrl", "-out", crl],
        })
        {
            var run = await Support.ProcessRun.RunAsync("openssl", arguments, TimeSpan.FromSeconds(20));
            Assert.True(run.ExitCode == 0, $"openssl {string.Join(' ', arguments)}: {run.Stderr}");
        }

        using var master = TlsContext.CreateClient(Master(version, crl: false) with { CrlPath = crl });
        using var revoked = TlsContext.CreateServer(AgentSide(1, version));
        using var healthy = TlsContext.CreateServer(AgentSide(2, version));
        using var refused = TlsPair.Connect(master, revoked, Agent(1));
        using var accepted = TlsPair.Connect(master, healthy, Agent(2));

        Assert.Contains("revoked", refused.Client.Failure!.Reason);
        Assert.Equal(TlsState.Established, accepted.Client.State);
    }

    [Fact]
    public void A_new_crl_retires_every_stored_session()
    {
        var endpoint = new EndpointSettings(Agent(1), "127.0.0.1", 5665);
        Revocation.Revoke(_pki, _pki.AgentCertificate(Agent(0)));
        using var before = TlsContext.CreateClient(Master(TlsVersion.Tls13));
        Revocation.Revoke(_pki, _pki.AgentCertificate(Agent(1)));
        using var after = TlsContext.CreateClient(Master(TlsVersion.Tls13));

        // Another key: the cache drops what the old key held at the endpoint's next attempt, which is a full handshake.
        Assert.NotEqual(EndpointActor.ResumptionKey(endpoint, before), EndpointActor.ResumptionKey(endpoint, after));
    }

    [Fact]
    public void Check_validates_the_crl_and_reports_when_it_and_our_certificate_run_out()
    {
        Revocation.Revoke(_pki, _pki.AgentCertificate(Agent(1)), nextUpdate: DateTimeOffset.UtcNow.AddDays(3));
        var config = Akka.Configuration.ConfigurationFactory.ParseString($$"""
            switchboard.tls { ca = "{{_pki.CaCertificate}}", certificate = "{{_pki.MasterCertificate}}", private-key = "{{_pki.MasterKey}}", crl = "{{_pki.CrlPath()}}" }
            """).WithFallback(SettingsLoader.LoadReference());
        var settings = SettingsLoader.Load(config);

        var expiries = SettingsLoader.Expiries(settings);
        var warning = Assert.Single(SettingsLoader.Warnings(settings));

        Assert.Contains(expiries, e => e.What == "crl" && e.UntilUtc > DateTime.UtcNow.AddDays(2.9) && e.UntilUtc < DateTime.UtcNow.AddDays(3.1));
        Assert.Contains(expiries, e => e.What == "certificate");
        Assert.Equal("switchboard.tls.crl", warning.Path);
        Assert.Contains("nextUpdate in 3.0 days", warning.Message);
    }

    [Fact]
    public void A_file_that_is_no_crl_is_a_config_problem_naming_the_setting()
    {
        var bogus = Path.Combine(_directory, "bogus.crl");
        File.WriteAllText(bogus, "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n");
        var config = Akka.Configuration.ConfigurationFactory.ParseString($$"""
            switchboard.tls { ca = "{{_pki.CaCertificate}}", certificate = "{{_pki.MasterCertificate}}", private-key = "{{_pki.MasterKey}}", crl = "{{bogus}}" }
            """).WithFallback(SettingsLoader.LoadReference());

        var problem = Assert.Single(SettingsLoader.Read(config).Problems);

        Assert.Equal("switchboard.tls.crl", problem.Path);
        Assert.Contains("cannot load CRL", problem.Message);
    }
}
