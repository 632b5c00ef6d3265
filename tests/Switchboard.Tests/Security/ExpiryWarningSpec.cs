using Akka.Actor;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;
using Switchboard.Testing.Pki;

namespace Switchboard.Tests.Security;

/// <summary>An agent certificate about to run out is named in the log once, before its link breaks, not at every reconnect.</summary>
public sealed class ExpiryWarningSpec : TestKit, IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-expiry-").FullName;
    private PkiLayout _pki = null!;
    private AgentFleet _fleet = null!;

    public ExpiryWarningSpec() : base(Support.Settings.Config("""
        akka.loglevel = WARNING
        switchboard.backoff.min = 200ms
        switchboard.backoff.max = 1s
        """))
    {
    }

    public async Task InitializeAsync()
    {
        _pki = PkiLayout.Generate(Path.Combine(_directory, "pki"), 2);
        var expiring = PkiLayout.AgentName(0);
        using (var ca = CertificateAuthority.Load(_pki.CaCertificate, _pki.CaKey))
        {
            ca.Issue(expiring, notAfter: DateTimeOffset.UtcNow.AddDays(3)).WriteTo(_pki.AgentCertificate(expiring), _pki.AgentKey(expiring));
        }

        _fleet = await AgentFleet.StartAsync(_pki, 2, port: 0);
    }

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_certificate_that_expires_in_three_days_is_warned_about_once()
    {
        var settings = SettingsLoader.Load(Sys.Settings.Config) with { Endpoints = [.. _fleet.Endpoints()] };
        settings = settings with { Tls = settings.Tls with { Ca = _pki.CaCertificate, Certificate = _pki.MasterCertificate, PrivateKey = _pki.MasterKey } };
        SwitchboardRuntime? runtime = null;

        await EventFilter.Warning(contains: "agent-00000's certificate").ExpectOneAsync(async () =>
        {
            runtime = SwitchboardRuntime.Start(Sys, settings);
            await AwaitConnected(runtime, handshakes: 2);
        });

        // A reconnect sees the same certificate again: no second warning.
        await EventFilter.Warning(contains: "certificate (serial").ExpectAsync(0, async () =>
        {
            _fleet.DropAllLinks();
            await AwaitConnected(runtime!, handshakes: 4);
        }, TimeSpan.FromSeconds(1));
    }

    private async Task AwaitConnected(SwitchboardRuntime runtime, long handshakes) =>
        await AwaitAssertAsync(async () =>
        {
            var status = await runtime.Supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(3));
            Assert.True(status.Connected == 2 && status.FullHandshakes + status.ResumedHandshakes >= handshakes, $"{status.Connected} connected");
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50));
}
