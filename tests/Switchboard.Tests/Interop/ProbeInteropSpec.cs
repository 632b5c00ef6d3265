using System.Text.Json;
using Switchboard.Tests.Support;
using Switchboard.Tests.Tls.Interop;

namespace Switchboard.Tests.Interop;

/// <summary><c>switchboard probe</c>, as a process, against the real <c>openssl s_server</c> with mutual TLS.</summary>
public sealed class ProbeInteropSpec
{
    private static readonly TestPki Pki = TestPki.Instance;

    private static List<JsonElement> Lines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    private static string[] Probe(int port, string name, params string[] more) =>
        ["probe", "--certs", Pki.Layout.Directory, "--name", name, "--host", "127.0.0.1", "--port", port.ToString(), .. more];

    [Theory]
    [InlineData("1.2", "-tls1_2", "TLSv1.2")]
    [InlineData("1.3", "-tls1_3", "TLSv1.3")]
    public async Task Probe_connections_2_to_K_resume_and_s_server_reports_them_reused(string tls, string flag, string protocol)
    {
        var (crt, key) = Pki.Agent(1);
        await using var server = await OpenSslServer.StartAsync(Pki.Layout.CaCertificate, crt, key, flag, accepts: 3, TimeSpan.FromSeconds(10));
        var run = await ProcessRun.SwitchboardAsync(TimeSpan.FromSeconds(60), Probe(server.Port, "agent-00001", "--count", "3", "--tls", tls));

        Assert.True(run.ExitCode == 0, run.All);
        var lines = Lines(run.Stdout);
        Assert.Equal([1, 2, 3], lines.Select(l => l.GetProperty("n").GetInt32()));
        Assert.All(lines, l => Assert.Equal(protocol, l.GetProperty("protocol").GetString()));
        Assert.Equal([false, true, true], lines.Select(l => l.GetProperty("resumed").GetBoolean()));
        Assert.True(server.Output.Split('\n').Count(l => l.Contains("Reused", StringComparison.Ordinal)) >= 2, server.Output);
    }

    [Fact]
    public async Task A_session_file_resumes_in_a_new_process()
    {
        var (crt, key) = Pki.Agent(1);
        var file = Path.Combine(Path.GetTempPath(), $"probe-{Guid.NewGuid():N}.sess");
        try
        {
            await using var server = await OpenSslServer.StartAsync(Pki.Layout.CaCertificate, crt, key, "-tls1_3", accepts: 2, TimeSpan.FromSeconds(10));
            var first = await ProcessRun.SwitchboardAsync(TimeSpan.FromSeconds(60), Probe(server.Port, "agent-00001", "--session-file", file));
            var second = await ProcessRun.SwitchboardAsync(TimeSpan.FromSeconds(60), Probe(server.Port, "agent-00001", "--session-file", file));

            Assert.False(Lines(first.Stdout)[0].GetProperty("resumed").GetBoolean(), first.All);
            Assert.True(Lines(second.Stdout)[0].GetProperty("resumed").GetBoolean(), second.All);
            Assert.StartsWith("-----BEGIN SSL SESSION PARAMETERS-----", await File.ReadAllTextAsync(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_server_whose_certificate_names_another_endpoint_fails_with_the_identity_error()
    {
        var (crt, key) = Pki.Agent(2);
        await using var server = await OpenSslServer.StartAsync(Pki.Layout.CaCertificate, crt, key, "-tls1_3", accepts: 1, TimeSpan.FromSeconds(10));
        var run = await ProcessRun.SwitchboardAsync(TimeSpan.FromSeconds(60), Probe(server.Port, "agent-00001"));

        Assert.Equal(1, run.ExitCode);
        var line = Lines(run.Stdout).Single();
        Assert.False(line.GetProperty("ok").GetBoolean());
        Assert.Equal("peer identity 'agent-00002' does not match endpoint 'agent-00001'", line.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_listener_that_never_answers_fails_at_the_handshake_timeout_with_that_reason()
    {
        using var silent = new RawPeer(RawPeer.Behaviour.Silent);
        var run = await ProcessRun.SwitchboardAsync(TimeSpan.FromSeconds(60), Probe(silent.Endpoint.Port, "agent-00001"));

        Assert.Equal(1, run.ExitCode);
        var error = Lines(run.Stdout).Single().GetProperty("error").GetString();
        Assert.Contains("did not complete within 10 s", error);
        Assert.Contains("sent nothing", error);
    }

    [Fact]
    public async Task Wrong_arguments_print_usage_and_exit_2()
    {
        var run = await ProcessRun.SwitchboardAsync(TimeSpan.FromSeconds(60), "probe", "--certs", "x", "--name", "a", "--host", "h", "--port", "99999");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--port must be between 1 and 65535, got 99999", run.Stderr);
        Assert.Contains("run 'switchboard probe --help' for its options", run.Stderr);
    }
}
