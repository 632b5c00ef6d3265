using System.Text.Json;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Interop;

/// <summary><c>switchboard connect --log-format json</c>: one JSON object per line, Switchboard's own events under their class.</summary>
public sealed class DaemonLogFormatSpec
{
    private static readonly TestPki Pki = TestPki.Instance;

    [Fact]
    public async Task With_json_every_line_is_a_JSON_event_with_time_level_and_category()
    {
        var directory = Directory.CreateTempSubdirectory("connect-json-").FullName;
        try
        {
            // A session file that is not one: the cache says so at start, a warning from a known class.
            var sessions = Path.Combine(directory, "switchboard.sessions");
            await File.WriteAllBytesAsync(sessions, "not a session file"u8.ToArray());
            File.SetUnixFileMode(sessions, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var config = Path.Combine(directory, "switchboard.conf");
            await File.WriteAllTextAsync(config, $$"""
                switchboard {
                  tls { ca = "{{Pki.Layout.CaCertificate}}", certificate = "{{Pki.Layout.MasterCertificate}}", private-key = "{{Pki.Layout.MasterKey}}" }
                  resumption.persist-path = "{{sessions}}"
                }
                """);

            // The daemon runs until SIGTERM; bounded here by the run's deadline, which ends it with a kill.
            var run = await ProcessRun.RunAsync("timeout", ["-s", "TERM", "6", "dotnet", CliBinary.Dll, "connect", "--config", config, "--log-format", "json"], TimeSpan.FromSeconds(60));
            var events = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToArray();
            Assert.NotEmpty(events);
            Assert.All(events, e =>
            {
                Assert.True(e.TryGetProperty("Timestamp", out _), e.ToString());
                Assert.True(e.TryGetProperty("LogLevel", out _), e.ToString());
                Assert.True(e.TryGetProperty("Category", out _), e.ToString());
            });
            Assert.Contains(events, e => e.GetProperty("Category").GetString() == "Switchboard.Resumption.ResumptionCacheActor"
                                         && e.GetProperty("LogLevel").GetString() == "Warning"
                                         && e.GetProperty("Message").GetString()!.Contains("ignoring session file", StringComparison.Ordinal));
            Assert.Contains(events, e => e.GetProperty("Category").GetString() == "Switchboard.Cli.Daemon"
                                         && e.GetProperty("Message").GetString()!.StartsWith("connected 0/0", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task An_unknown_log_format_names_the_valid_ones_and_exits_2()
    {
        var run = await ProcessRun.RunAsync("dotnet", [CliBinary.Dll, "connect", "--config", "x.conf", "--log-format", "xml"], TimeSpan.FromSeconds(60));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'xml' not recognized", run.Stderr);
        Assert.Contains("'text'", run.Stderr);
        Assert.Contains("'json'", run.Stderr);
    }
}
