using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.Diagnostics;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;
using Switchboard.Testing.Pki;

namespace Switchboard.Tests.Security;

/// <summary>
/// Revocation on a running master: a reloaded CRL closes the revoked agent's live link and refuses its next
/// handshake, while the other agents stay connected on their first handshake; and the status shows each
/// agent's certificate expiry, as the metrics do.
/// </summary>
public sealed class RevocationReloadSpec : TestKit, IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-revoke-").FullName;
    private PkiLayout _pki = null!;
    private AgentFleet _fleet = null!;

    public RevocationReloadSpec() : base(Support.Settings.Config("""
        akka.loglevel = WARNING
        switchboard.connection.handshake-timeout = 2s
        switchboard.backoff.min = 200ms
        switchboard.backoff.max = 1s
        switchboard.tls.crl-check-interval = 200ms
        """))
    {
    }

    public async Task InitializeAsync()
    {
        _pki = PkiLayout.Generate(Path.Combine(_directory, "pki"), 3);
        _fleet = await AgentFleet.StartAsync(_pki, 3, port: 0);
    }

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private SwitchboardRuntime Start(string? crl = null)
    {
        var settings = SettingsLoader.Load(Sys.Settings.Config) with { Endpoints = [.. _fleet.Endpoints()] };
        settings = settings with { Tls = settings.Tls with { Ca = _pki.CaCertificate, Certificate = _pki.MasterCertificate, PrivateKey = _pki.MasterKey, Crl = crl } };
        return SwitchboardRuntime.Start(Sys, settings);
    }

    private async Task<StatusReport> AwaitStatus(SwitchboardRuntime runtime, Func<StatusReport, bool> condition)
    {
        StatusReport? last = null;
        await AwaitAssertAsync(async () =>
        {
            last = await runtime.Supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(3));
            Assert.True(condition(last), "last status: " + string.Join("; ", last.Endpoints.Select(e => $"{e.Name} {e.State} {e.LastError}")));
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50));
        return last!;
    }

    [Fact]
    public async Task A_reloaded_crl_closes_the_revoked_agents_link_and_refuses_it_while_the_others_stay()
    {
        var runtime = Start();
        await AwaitStatus(runtime, s => s.Connected == 3);

        Revocation.Revoke(_pki, _pki.AgentCertificate(PkiLayout.AgentName(1)));
        Assert.Null(runtime.Reload(runtime.Settings.Tls with { Crl = _pki.CrlPath() }));

        var after = await AwaitStatus(runtime, s =>
            s.Endpoints.Single(e => e.Name == PkiLayout.AgentName(1)) is { State: not EndpointState.Connected, LastError: { } error } && error.Contains("certificate revoked"));
        Assert.Equal(2, after.Connected);
        Assert.All(after.Endpoints.Where(e => e.Name != PkiLayout.AgentName(1)), e => Assert.Equal(1L, e.FullHandshakes + e.ResumedHandshakes));
    }

    [Fact]
    public async Task A_crl_file_that_changes_is_loaded_without_a_signal()
    {
        Revocation.Revoke(_pki, _pki.AgentCertificate(PkiLayout.AgentName(2)));
        var runtime = Start(_pki.CrlPath());
        await AwaitStatus(runtime, s => s.Connected == 2
            && s.Endpoints.Single(e => e.Name == PkiLayout.AgentName(2)).LastError?.Contains("certificate revoked") == true);

        // Its staleness is a gauge: the test CA's lists run for 7 days.
        var nextUpdateIn = new List<double>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SwitchboardMetrics.MeterName && instrument.Name == "switchboard.tls.crl.next_update_in")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<double>((_, value, _, _) => nextUpdateIn.Add(value));
            listener.Start();
            listener.RecordObservableInstruments();
        }

        Assert.Contains(nextUpdateIn, seconds => seconds > TimeSpan.FromDays(6.9).TotalSeconds && seconds <= TimeSpan.FromDays(7).TotalSeconds);

        // The CA publishes a new list by replacing the file; nobody sends SIGHUP.
        Revocation.Revoke(_pki, _pki.AgentCertificate(PkiLayout.AgentName(1)));

        var after = await AwaitStatus(runtime, s => s.Connected == 1
            && s.Endpoints.Single(e => e.Name == PkiLayout.AgentName(1)).LastError?.Contains("certificate revoked") == true);
        Assert.Equal(EndpointState.Connected, after.Endpoints.Single(e => e.Name == PkiLayout.AgentName(0)).State);
    }

    [Fact]
    public async Task Status_and_metrics_show_when_the_agents_certificates_run_out()
    {
        var runtime = Start();
        var status = await AwaitStatus(runtime, s => s.Connected == 3);

        var notAfter = File.ReadAllText(_pki.AgentCertificate(PkiLayout.AgentName(0)));
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(notAfter);
        var agent0 = status.Endpoints.Single(e => e.Name == PkiLayout.AgentName(0));
        Assert.Equal(certificate.NotAfter.ToUniversalTime(), agent0.PeerCertificateNotAfter!.Value.UtcDateTime, TimeSpan.FromSeconds(2));
        Assert.Equal(Revocation.Serial(certificate), agent0.PeerCertificateSerial, StringComparer.OrdinalIgnoreCase);

        var seen = new List<(string Whose, double Seconds)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SwitchboardMetrics.MeterName && instrument.Name == "switchboard.tls.certificate.expires_in")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) => seen.Add(((string)tags[0].Value!, value)));
        listener.Start();
        listener.RecordObservableInstruments();

        // Other systems in this process add their own; this one's agents expire in five years (the test CA's term).
        Assert.Contains(seen, m => m.Whose == "peer" && m.Seconds > TimeSpan.FromDays(300).TotalSeconds);
        Assert.Contains(seen, m => m.Whose == "own" && m.Seconds > 0);
    }
}
