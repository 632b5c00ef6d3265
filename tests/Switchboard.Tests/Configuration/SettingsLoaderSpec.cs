using Akka.Configuration;
using Switchboard.Configuration;
using Switchboard.Tls;

namespace Switchboard.Tests.Configuration;

public sealed class SettingsLoaderSpec : IDisposable
{
    private readonly ConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_design_contract_example_parses()
    {
        // The HOCON contract (architecture §12), verbatim apart from the session file's directory.
        var path = _dir.Write("""
            switchboard {
              tls {
                ca = "pki/ca.crt"                 # PEM CA bundle used to verify peers
                certificate = "pki/master.crt"    # our certificate (PEM), presented to peers
                private-key = "pki/master.key"    # PEM private key (EC or RSA)
              }
              endpoints = [
                { name = "agent-00001", host = "127.10.0.1", port = 5665 }   # name = SNI and expected peer identity
              ]
              resumption.persist-path = "var/switchboard.sessions"             # optional; absent = memory only
            }
            """);

        var settings = SettingsLoader.LoadFile(path);

        Assert.Equal([new EndpointSettings("agent-00001", "127.10.0.1", 5665)], settings.Endpoints.ToArray());
        Assert.Equal(_dir.PathOf("pki/ca.crt"), settings.Tls.Ca);
        Assert.Equal(_dir.PathOf("pki/master.crt"), settings.Tls.Certificate);
        Assert.Equal(_dir.PathOf("pki/master.key"), settings.Tls.PrivateKey);
        Assert.Equal(_dir.PathOf("var/switchboard.sessions"), settings.Resumption.PersistPath);
    }

    [Fact]
    public void A_full_config_sets_every_section()
    {
        var result = _dir.Read("""
            tls { min-version = "1.3", max-version = "1.3", tls13-resumption-key-exchange = "psk_ke" }
            endpoints = [
              { name = "agent-00001", host = "127.10.0.1", port = 5665 }
              { name = "agent_b.example", host = "agents.example.com", port = 1 }
              { name = "v6", host = "::1", port = 65535 }
              { name = "v6-bracketed", host = "[fe80::1]", port = 443 }
            ]
            io { actors = 4, receive-buffer-size = 32 KiB, max-send-buffer = 4 MiB, max-frame-size = 64k }
            connection { connect-timeout = 3s, handshake-timeout = 2500ms, heartbeat-interval = 1m, idle-timeout = 3 minutes, tcp-keepalive = off, send-queue-size = 7, close-timeout = 1s, acknowledgements = off, send-timeout = 90s }
            backoff { min = 200ms, max = 2m, stable-after = 10s }
            admission { max-concurrent-handshakes = 100, handshakes-per-second = 500 }
            listener { host = "127.0.0.1", port = 5665, max-pending-handshakes = 50, backlog = 128 }
            resumption { enabled = off, persist-path = "/var/lib/switchboard/sessions", persist-interval = 5s, max-bytes = 1 MiB, max-age = 1h, tickets-per-endpoint = 2, sub-caches = 8, ticket-key-rotation = 6h, persist-ticket-keys = on, max-chain-age = 12h }
            """);

        Assert.Empty(result.Problems);
        var s = result.Settings!;
        Assert.Equal((TlsVersion.Tls13, TlsVersion.Tls13, true), (s.Tls.MinVersion, s.Tls.MaxVersion, s.Tls.AllowPskWithoutDhe));
        Assert.Equal(
            [
                new EndpointSettings("agent-00001", "127.10.0.1", 5665),
                new EndpointSettings("agent_b.example", "agents.example.com", 1),
                new EndpointSettings("v6", "::1", 65535),
                new EndpointSettings("v6-bracketed", "fe80::1", 443),
            ],
            s.Endpoints.ToArray());
        Assert.Equal(new IoSettings(4, 32 * 1024, 4 * 1024 * 1024, 64 * 1024), s.Io);
        Assert.Equal(new ConnectionSettings(TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(2500), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(3), false, 7, TimeSpan.FromSeconds(1), Acknowledgements: false, SendTimeout: TimeSpan.FromSeconds(90)), s.Connection);
        Assert.Equal(new BackoffSettings(TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10)), s.Backoff);
        Assert.Equal((100, 500.0), (s.Admission.MaxConcurrentHandshakes, s.Admission.HandshakesPerSecond));
        Assert.Equal(new ListenerSettings("127.0.0.1", 5665, 50, 128), s.Listener);
        Assert.Equal(new ResumptionSettings(false, "/var/lib/switchboard/sessions", TimeSpan.FromSeconds(5), 1024 * 1024, TimeSpan.FromHours(1), 2, 8, TimeSpan.FromHours(6), PersistTicketKeys: true, MaxChainAge: TimeSpan.FromHours(12)), s.Resumption);
    }

    [Fact]
    public void Relative_paths_resolve_against_the_config_files_directory_not_the_working_directory()
    {
        // The config lives in a sub-directory with its own pki/ beside it; the working directory is elsewhere.
        var nested = Path.Combine(_dir.Path, "etc");
        Directory.CreateDirectory(Path.Combine(nested, "pki"));
        foreach (var file in new[] { "ca.crt", "master.crt", "master.key" })
        {
            File.Copy(_dir.PathOf("pki/" + file), Path.Combine(nested, "pki", file));
        }

        var path = _dir.WriteSwitchboard("resumption.persist-path = \"../state/sessions\"", "etc/switchboard.conf");

        var settings = SettingsLoader.LoadFile(path);

        Assert.NotEqual(_dir.Path, Directory.GetCurrentDirectory());
        Assert.Equal(Path.Combine(nested, "pki", "ca.crt"), settings.Tls.Ca);
        Assert.Equal(Path.Combine(nested, "pki", "master.key"), settings.Tls.PrivateKey);
        Assert.Equal(Path.Combine(_dir.Path, "state", "sessions"), settings.Resumption.PersistPath);
    }

    [Fact]
    public void A_config_not_from_a_file_resolves_relative_paths_against_the_given_base_directory()
    {
        var config = ConfigurationFactory.ParseString($"switchboard {{ {ConfigDirectory.TlsBlock} }}");

        var settings = SettingsLoader.Load(config, _dir.Path);

        Assert.Equal(_dir.PathOf("pki/master.crt"), settings.Tls.Certificate);
    }

    [Fact]
    public void Absolute_tls_paths_are_used_as_written()
    {
        var layout = Support.TestPki.Instance.Layout;
        var path = _dir.Write($$"""
            switchboard.tls { ca = "{{layout.CaCertificate}}", certificate = "{{layout.MasterCertificate}}", private-key = "{{layout.MasterKey}}" }
            """);

        var settings = SettingsLoader.LoadFile(path);

        Assert.Equal(layout.CaCertificate, settings.Tls.Ca);
    }

    [Fact]
    public void Load_throws_every_problem_in_one_exception()
    {
        var config = ConfigurationFactory.ParseString("switchboard { backoff.min = 0s, io.actors = -1 }");

        var e = Assert.Throws<SwitchboardConfigException>(() => SettingsLoader.Load(config, _dir.Path));

        Assert.Equal(
            ["switchboard.tls.ca", "switchboard.tls.certificate", "switchboard.tls.private-key", "switchboard.io.actors", "switchboard.backoff.min"],
            e.Problems.Select(p => p.Path));
        Assert.Contains("switchboard.backoff.min: must be > 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_with_only_endpoint_problems_are_still_usable_but_not_valid()
    {
        var result = _dir.Read("""
            endpoints = [
              { name = "good", host = "127.0.0.1", port = 1 }
              { name = "bad", host = "127.0.0.1", port = 0 }
            ]
            """);

        Assert.False(result.IsValid);
        Assert.NotNull(result.Settings);
        Assert.Equal(["good"], result.Settings.Endpoints.Select(e => e.Name));
        ProblemAssert.Single(result, "switchboard.endpoints[1].port", "must be between 1 and 65535, got 0");
        Assert.Throws<SwitchboardConfigException>(result.GetValidOrThrow);
    }

    [Fact]
    public void The_merged_config_is_returned_for_the_actor_system()
    {
        var result = _dir.Read("io.dispatcher.throughput = 7");

        Assert.Equal(7, result.Config!.GetInt("switchboard.io.dispatcher.throughput"));
        Assert.Equal("ForkJoinDispatcher", result.Config.GetString("switchboard.io.dispatcher.type"));
    }
}
