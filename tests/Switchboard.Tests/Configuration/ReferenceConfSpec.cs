using Switchboard.Configuration;
using Switchboard.Tls;

namespace Switchboard.Tests.Configuration;

public sealed class ReferenceConfSpec : IDisposable
{
    private readonly ConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Reference_conf_is_embedded_and_defines_every_section()
    {
        var reference = SettingsLoader.LoadReference();

        foreach (var section in new[] { "tls", "io", "io.dispatcher", "connection", "backoff", "admission", "listener", "resumption" })
        {
            Assert.True(reference.HasPath($"switchboard.{section}"), $"reference.conf lacks switchboard.{section}");
        }

        var endpoints = reference.GetValue("switchboard.endpoints");
        Assert.False(endpoints.IsString() || endpoints.IsObject());
        Assert.Empty(endpoints.GetArray());
    }

    [Fact]
    public void Every_setting_gets_its_documented_default()
    {
        var result = _dir.Read(string.Empty);

        Assert.Empty(result.Problems);
        var s = result.Settings!;

        Assert.Equal(TlsVersion.Tls12, s.Tls.MinVersion);
        Assert.Equal(TlsVersion.Tls13, s.Tls.MaxVersion);
        Assert.False(s.Tls.AllowPskWithoutDhe);

        Assert.Empty(s.Endpoints);

        Assert.Equal(Environment.ProcessorCount, s.Io.Actors);
        Assert.Equal(16 * 1024, s.Io.ReceiveBufferSize);
        Assert.Equal(1024 * 1024, s.Io.MaxSendBufferBytes);
        Assert.Equal(1024 * 1024, s.Io.MaxFrameSize);

        Assert.Equal(new ConnectionSettings(
            ConnectTimeout: TimeSpan.FromSeconds(15),
            HandshakeTimeout: TimeSpan.FromSeconds(10),
            HeartbeatInterval: TimeSpan.FromSeconds(20),
            IdleTimeout: TimeSpan.FromSeconds(60),
            TcpKeepAlive: true,
            SendQueueSize: 1000,
            CloseTimeout: TimeSpan.FromSeconds(5),
            Acknowledgements: true, SendTimeout: TimeSpan.FromSeconds(60)), s.Connection);

        Assert.Equal(new BackoffSettings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30)), s.Backoff);

        Assert.Equal(new AdmissionSettings(true, 64 * Environment.ProcessorCount, 8 * Environment.ProcessorCount, 1024 * Environment.ProcessorCount, TimeSpan.FromMilliseconds(2500), 0), s.Admission);

        Assert.Equal(new ListenerSettings(null, 0, 1000, 1024), s.Listener);

        Assert.Equal(new ResumptionSettings(
            Enabled: true,
            PersistPath: null,
            PersistInterval: TimeSpan.FromSeconds(30),
            MaxBytes: null,
            MaxAge: TimeSpan.FromHours(2),
            TicketsPerEndpoint: 4,
            SubCaches: 32,
            TicketKeyRotation: TimeSpan.FromHours(12),
            PersistTicketKeys: false,
            MaxChainAge: TimeSpan.FromHours(24)), s.Resumption);
    }

    [Fact]
    public void Reference_conf_alone_lacks_only_the_three_tls_files()
    {
        var result = ConfigDirectory.ReadString(string.Empty);

        Assert.Null(result.Settings);
        Assert.Equal(
            ["switchboard.tls.ca", "switchboard.tls.certificate", "switchboard.tls.private-key"],
            result.Problems.Select(p => p.Path));
        Assert.All(result.Problems, p => Assert.StartsWith("required", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Derived_admission_cap_is_64_per_io_actor()
    {
        var result = _dir.Read("io.actors = 3");

        Assert.Equal(3, result.Settings!.Io.Actors);
        Assert.Equal(192, result.Settings.Admission.MaxConcurrentHandshakes);
    }

    [Fact]
    public void Explicit_admission_cap_is_kept()
    {
        var result = _dir.Read("io.actors = 3\nadmission { max-concurrent-handshakes = 10, handshakes-per-second = 250.5 }");

        Assert.Equal((10, 250.5), (result.Settings!.Admission.MaxConcurrentHandshakes, result.Settings.Admission.HandshakesPerSecond));
    }

    [Fact]
    public void A_fixed_admission_limit_and_explicit_adaptive_bounds_are_read()
    {
        var result = _dir.Read("io.actors = 2\nadmission { limit = fixed, max-concurrent-handshakes = 10, adaptive { min = 4, max = 400, latency-target = 1s } }");

        Assert.Equal(new AdmissionSettings(false, 10, 4, 400, TimeSpan.FromSeconds(1), 0), result.Settings!.Admission);
    }

    [Theory]
    [InlineData("admission.limit = sometimes", "switchboard.admission.limit")]
    [InlineData("admission.adaptive { min = 50, max = 10 }", "switchboard.admission.adaptive.min")]
    [InlineData("admission.adaptive.latency-target = 10s", "switchboard.admission.adaptive.latency-target")]
    public void Bad_admission_settings_are_named_by_path(string line, string path)
    {
        var result = _dir.Read(line);

        Assert.Null(result.Settings);
        Assert.Contains(result.Problems, p => p.Path == path);
    }
}
