
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Configuration;

/// <summary><c>switchboard check</c> end to end through the command line, capturing the console.</summary>
public sealed class CheckCommandSpec : IDisposable
{
    private readonly ConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_valid_config_exits_0_with_a_summary_line_and_when_its_certificates_run_out()
    {
        var path = _dir.WriteSwitchboard("""
            endpoints = [
              { name = "agent-00000", host = "127.10.0.1", port = 5665 }
              { name = "agent-00001", host = "127.10.0.2", port = 5665 }
              { name = "agent-00002", host = "127.10.0.3", port = 5665 }
            ]
            resumption.persist-path = "var/switchboard.sessions"
            """);

        var (exit, stdout, stderr) = await RunAsync("check", "--config", path);

        Assert.Equal(0, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"ok: 3 endpoints, tls 1.2–1.3, resumption persisted to {_dir.PathOf("var/switchboard.sessions")}", lines[0]);
        Assert.Matches(@"^certificate valid until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(\d+ days left\)$", lines[1]);
        Assert.StartsWith("ca valid until ", lines[2]);
        Assert.Equal(string.Empty, stderr);
    }

    [Fact]
    public async Task Summary_says_when_resumption_is_in_memory_or_off_and_names_the_listener()
    {
        var memory = _dir.WriteSwitchboard("tls.min-version = \"1.3\"", "memory.conf");
        var off = _dir.WriteSwitchboard("resumption.enabled = off\nlistener { host = \"127.0.0.1\", port = 5665 }", "off.conf");

        var (_, memoryOut, _) = await RunAsync("check", "--config", memory);
        var (_, offOut, _) = await RunAsync("check", "--config", off);

        Assert.Equal("ok: 0 endpoints, tls 1.3, resumption in memory", memoryOut.Split('\n')[0]);
        Assert.Equal("ok: 0 endpoints, tls 1.2–1.3, resumption off, listening on 127.0.0.1:5665", offOut.Split('\n')[0]);
    }

    [Fact]
    public async Task An_invalid_config_exits_2_with_every_problem_as_path_and_message_on_stderr()
    {
        var path = _dir.WriteSwitchboard("""
            endpoints = [
              { name = "agent-00000", host = "127.10.0.1", port = 70000 }
              { name = "agent-00000", host = "127.10.0.2", port = 5665 }
            ]
            backoff.min = 0s
            """);

        var (exit, stdout, stderr) = await RunAsync("check", "--config", path);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(
            [
                "switchboard.backoff.min: must be > 0, got '0s'",
                "switchboard.endpoints[0].port: must be between 1 and 65535, got 70000",
            ],
            Lines(stderr));
    }

    [Fact]
    public async Task Replicated_sessions_over_plain_remoting_exit_2_naming_the_setting()
    {
        var path = _dir.WriteSwitchboard("cluster.replicate-sessions = on");

        var (exit, _, stderr) = await RunAsync("check", "--config", path);

        Assert.Equal(2, exit);
        Assert.StartsWith("switchboard.cluster.replicate-sessions: replicated sessions carry resumption secrets and may only travel over Akka.Remote with mutual TLS, but akka.remote.dot-netty.tcp.enable-ssl is off", Lines(stderr).Single());
    }

    [Fact]
    public async Task A_missing_file_exits_2_naming_the_file()
    {
        var path = _dir.PathOf("absent.conf");

        var (exit, _, stderr) = await RunAsync("check", "--config", path);

        Assert.Equal(2, exit);
        Assert.Equal([$"{path}: config file not found"], Lines(stderr));
    }

    [Fact]
    public async Task A_syntax_error_exits_2_naming_the_file_and_position()
    {
        var path = _dir.Write("switchboard {\n  tls {\n", "broken.conf");

        var (exit, _, stderr) = await RunAsync("check", "--config", path);

        Assert.Equal(2, exit);
        Assert.Equal([$"{path}: HOCON syntax error: '{{' at line 2, column 7 is never closed"], Lines(stderr));
    }

    [Fact]
    public async Task Missing_or_unknown_options_are_usage_errors()
    {
        var (missingExit, _, missingErr) = await RunAsync("check");
        var (unknownExit, _, unknownErr) = await RunAsync("check", "--config", "x.conf", "--verbose");

        Assert.Equal(2, missingExit);
        Assert.Contains("Option '--config' is required", missingErr, StringComparison.Ordinal);
        Assert.Equal(2, unknownExit);
        Assert.Contains("Unrecognized command or argument '--verbose'", unknownErr, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var result = await ProcessRun.SwitchboardAsync(TimeSpan.FromSeconds(60), args);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}
