using Switchboard.Configuration;

namespace Switchboard.Tests.Configuration;

/// <summary>Each class of problem is reported at the right path, with a message that says what is wrong.</summary>
public sealed class ValidationSpec : IDisposable
{
    private readonly ConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("connection.connect-timeout = 0s", "switchboard.connection.connect-timeout", "must be > 0")]
    [InlineData("backoff.min = 0", "switchboard.backoff.min", "must be > 0")]
    [InlineData("backoff.max = soon", "switchboard.backoff.max", "must be a duration such as 500ms, 15s or 2h, got 'soon'")]
    [InlineData("backoff.stable-after = -5s", "switchboard.backoff.stable-after", "must be a duration")]
    [InlineData("connection.handshake-timeout = 2d", "switchboard.connection.handshake-timeout", "must be at most 24h, got '2d'")]
    [InlineData("resumption.max-age = 8d", "switchboard.resumption.max-age", "must be at most")]
    [InlineData("io.receive-buffer-size = lots", "switchboard.io.receive-buffer-size", "must be a size such as 16 KiB or 1 MiB, got 'lots'")]
    [InlineData("io.receive-buffer-size = 100", "switchboard.io.receive-buffer-size", "must be between 1 KiB and 16 MiB, got 100 bytes")]
    [InlineData("io.max-frame-size = 2 MiB", "switchboard.io.max-frame-size", "must not exceed max-send-buffer (1 MiB), got 2 MiB")]
    [InlineData("io.actors = many", "switchboard.io.actors", "must be an integer, got 'many'")]
    [InlineData("io.actors = 2.5", "switchboard.io.actors", "must be an integer, got '2.5'")]
    [InlineData("io.actors = 5000", "switchboard.io.actors", "must be between 0 and 1024, got 5000")]
    [InlineData("io.actors = [1, 2]", "switchboard.io.actors", "must be a single value, got a list")]
    [InlineData("io.actors { a = 1 }", "switchboard.io.actors", "must be a single value, got an object")]
    [InlineData("connection.tcp-keepalive = maybe", "switchboard.connection.tcp-keepalive", "must be on or off")]
    [InlineData("connection.acknowledgements = sometimes", "switchboard.connection.acknowledgements", "must be on or off")]
    [InlineData("connection.send-queue-size = 0", "switchboard.connection.send-queue-size", "must be between 1 and 10000000, got 0")]
    [InlineData("connection.idle-timeout = 20s", "switchboard.connection.idle-timeout", "must be longer than heartbeat-interval (20s), got 20s")]
    [InlineData("admission.handshakes-per-second = -1", "switchboard.admission.handshakes-per-second", "must be between 0 and 1000000, got -1")]
    [InlineData("admission.handshakes-per-second = fast", "switchboard.admission.handshakes-per-second", "must be a number, got 'fast'")]
    [InlineData("listener.host = \"not a host\"", "switchboard.listener.host", "must be an IP address to bind to (or localhost), got 'not a host'")]
    [InlineData("listener.host = \"master.example.com\"", "switchboard.listener.host", "must be an IP address to bind to (or localhost), got 'master.example.com'")]
    [InlineData("listener.host = \"127.1\"", "switchboard.listener.host", "must be an IP address to bind to")]
    [InlineData("listener.port = 70000", "switchboard.listener.port", "must be between 0 and 65535, got 70000")]
    [InlineData("listener.backlog = 0", "switchboard.listener.backlog", "must be between 1 and 1000000, got 0")]
    [InlineData("listener.max-pending-per-address = 0", "switchboard.listener.max-pending-per-address", "must be between 1 and 1000000, got 0")]
    [InlineData("admission.inbound-share = 0", "switchboard.admission.inbound-share", "must be between 0.01 and 1, got 0")]
    [InlineData("io.trim-native-heap = later", "switchboard.io.trim-native-heap", "must be on or off")]
    [InlineData("io.endpoints-on-io-threads = sometimes", "switchboard.io.endpoints-on-io-threads", "must be on or off")]
    [InlineData("io.resumption-cache-on-io-threads = maybe", "switchboard.io.resumption-cache-on-io-threads", "must be on or off")]
    [InlineData("io.receive-window = 1 KiB", "switchboard.io.receive-window", "must be between 64 KiB and 16 GiB, got 1 KiB")]
    [InlineData("metrics.prometheus.host = \"0.0.0.0\"", "switchboard.metrics.prometheus.host", "0.0.0.0 is not a loopback address")]
    [InlineData("metrics.prometheus.host = \"metrics.example\"", "switchboard.metrics.prometheus.host", "must be an IP address to bind to")]
    [InlineData("metrics.otlp.endpoint = \"collector:4318\"", "switchboard.metrics.otlp.endpoint", "must be an http:// or https:// URL")]
    [InlineData("metrics.ready-share = 2", "switchboard.metrics.ready-share", "must be between 0 and 1, got 2")]
    [InlineData("resumption { max-bytes = 64 KiB, sub-caches = 32 }", "switchboard.resumption.sub-caches", "32 sub-caches leave 2 KiB each of max-bytes (64 KiB); each needs at least 4 KiB")]
    [InlineData("resumption.max-bytes = 1k", "switchboard.resumption.max-bytes", "must be between 64 KiB and 64 GiB, got 1 KiB")]
    [InlineData("resumption.max-bytes = lots", "switchboard.resumption.max-bytes", "must be auto or a size such as 16 MiB, got 'lots'")]
    [InlineData("resumption.tickets-per-endpoint = 0", "switchboard.resumption.tickets-per-endpoint", "must be between 1 and 64, got 0")]
    [InlineData("tls.min-version = \"1.1\"", "switchboard.tls.min-version", "unknown TLS version '1.1' (expected \"1.2\" or \"1.3\")")]
    [InlineData("tls.max-version = \"TLSv1.4\"", "switchboard.tls.max-version", "unknown TLS version 'TLSv1.4'")]
    [InlineData("tls { min-version = \"1.3\", max-version = \"1.2\" }", "switchboard.tls.min-version", "1.3 is above max-version 1.2")]
    [InlineData("tls.tls13-resumption-key-exchange = psk_only", "switchboard.tls.tls13-resumption-key-exchange", "must be \"psk_dhe_ke\" or \"psk_ke\", got 'psk_only'")]
    [InlineData("connection.hanshake-timeout = 5s", "switchboard.connection.hanshake-timeout", "unknown setting")]
    [InlineData("retries = 3", "switchboard.retries", "unknown setting")]
    [InlineData("io = 4", "switchboard.io", "must be an object")]
    [InlineData("endpoints = \"agent-00001\"", "switchboard.endpoints", "must be a list of { name, host, port } objects")]
    public void A_bad_value_is_reported_at_its_path(string body, string path, string message)
    {
        var result = _dir.Read(body);

        ProblemAssert.Single(result, path, message);
        Assert.Null(result.Settings);
    }

    [Fact]
    public void Backoff_min_above_max_is_reported_at_min()
    {
        var result = _dir.Read("backoff { min = 2m, max = 60s }");

        ProblemAssert.Single(result, "switchboard.backoff.min", "must not exceed max (1m), got 2m");
    }

    [Fact]
    public void Akka_dispatcher_settings_are_not_unknown_keys()
    {
        var result = _dir.Read("io.dispatcher { throughput = 10, throughput-deadline-time = 1s }");

        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Psk_ke_allows_resumption_without_dhe()
    {
        var result = _dir.Read("tls.tls13-resumption-key-exchange = \"psk_ke\"");

        Assert.True(result.Settings!.Tls.AllowPskWithoutDhe);
    }

    [Fact]
    public void A_missing_tls_file_names_the_path_as_written_and_where_it_was_looked_for()
    {
        var result = _dir.Read("tls.ca = \"pki/missing-ca.crt\"");

        var problem = ProblemAssert.Single(result, "switchboard.tls.ca", "file not found: pki/missing-ca.crt");
        Assert.Contains(_dir.PathOf("pki/missing-ca.crt"), problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_tls_path_is_required()
    {
        var result = _dir.Read("tls.private-key = \"\"");

        ProblemAssert.Single(result, "switchboard.tls.private-key", "required");
    }

    [Fact]
    public void A_private_key_of_another_certificate_is_reported()
    {
        File.Copy(Support.TestPki.Instance.Agent(0).Key, _dir.PathOf("pki/agent.key"));

        var result = _dir.Read("tls.private-key = \"pki/agent.key\"");

        ProblemAssert.Single(result, "switchboard.tls.private-key", $"{_dir.PathOf("pki/agent.key")} is not the private key of the certificate {_dir.PathOf("pki/master.crt")}");
    }

    [Fact]
    public void A_ca_file_without_certificates_is_reported()
    {
        File.WriteAllText(_dir.PathOf("pki/empty.crt"), "not a certificate\n");

        var result = _dir.Read("tls.ca = \"pki/empty.crt\"");

        ProblemAssert.Single(result, "switchboard.tls.ca", "no PEM certificate");
    }

    [Fact]
    public void A_certificate_file_that_is_not_pem_is_reported()
    {
        File.WriteAllText(_dir.PathOf("pki/garbage.crt"), "garbage\n");

        var result = _dir.Read("tls.certificate = \"pki/garbage.crt\"");

        ProblemAssert.Single(result, "switchboard.tls.certificate", "not a PEM certificate");
    }

    [Fact]
    public void A_directory_as_persist_path_is_reported()
    {
        Directory.CreateDirectory(_dir.PathOf("state"));

        var result = _dir.Read("resumption.persist-path = state");

        ProblemAssert.Single(result, "switchboard.resumption.persist-path", "is a directory");
    }

    [Fact]
    public void All_problems_are_reported_not_just_the_first()
    {
        var result = _dir.Read("""
            tls.ca = "pki/nope.crt"
            endpoints = [
              { name = "agent-00000", host = "127.0.0.1", port = 5665 }
              { name = "agent-00001", host = "127.0.0.1", port = "abc" }
            ]
            backoff { min = 0s, max = never }
            connection.send-queue-size = 0
            resumption.max-age = 0s
            """);

        Assert.Equal(
            [
                "switchboard.tls.ca",
                "switchboard.connection.send-queue-size",
                "switchboard.backoff.min",
                "switchboard.backoff.max",
                "switchboard.resumption.max-age",
                "switchboard.endpoints[1].port",
            ],
            result.Problems.Select(p => p.Path));
        Assert.Equal("must be an integer, got 'abc'", result.Problems[^1].Message);
    }
}
