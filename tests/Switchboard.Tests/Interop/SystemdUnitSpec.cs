using System.Net.Sockets;
using System.Text;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Interop;

/// <summary>
/// The daemon under systemd: the shipped unit file is one systemd accepts, and <c>connect</c> speaks the
/// notify protocol the unit's <c>Type=notify</c> and <c>WatchdogSec</c> rely on.
/// </summary>
public sealed class SystemdUnitSpec
{
    private static readonly TestPki Pki = TestPki.Instance;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static string UnitFile => Path.Combine(CliBinary.RepositoryRoot(), "src", "Switchboard.Cli", "switchboard.service");

    [Fact]
    public async Task The_shipped_unit_passes_systemd_analyze_verify()
    {
        var unit = await File.ReadAllTextAsync(UnitFile);
        Assert.Contains("Type=notify\n", unit);
        Assert.Contains("ExecReload=/bin/kill -HUP $MAINPID\n", unit);

        // verify checks that ExecStart's binary exists, so the copy points at the built one.
        var directory = Directory.CreateTempSubdirectory("systemd-unit-").FullName;
        try
        {
            var apphost = Path.Combine(Path.GetDirectoryName(CliBinary.Dll)!, "switchboard");
            var copy = Path.Combine(directory, "switchboard.service");
            await File.WriteAllTextAsync(copy, unit.Replace("/usr/local/bin/switchboard", apphost, StringComparison.Ordinal));
            var run = await ProcessRun.RunAsync("systemd-analyze", ["verify", copy], Limit);
            Assert.True(run.ExitCode == 0 && run.All.Trim().Length == 0, $"systemd-analyze verify: exit {run.ExitCode}\n{run.All}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Connect_notifies_ready_its_status_line_the_watchdog_and_stopping()
    {
        var directory = Directory.CreateTempSubdirectory("systemd-notify-").FullName;
        try
        {
            var config = Path.Combine(directory, "switchboard.conf");
            await File.WriteAllTextAsync(config, $$"""
                switchboard.tls { ca = "{{Pki.Layout.CaCertificate}}", certificate = "{{Pki.Layout.MasterCertificate}}", private-key = "{{Pki.Layout.MasterKey}}" }
                """);

            // systemd's side: a datagram socket named by NOTIFY_SOCKET.
            var socketPath = Path.Combine(directory, "notify");
            using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            notify.Bind(new UnixDomainSocketEndPoint(socketPath));
            var messages = new List<string>();
            using var done = new CancellationTokenSource(Limit);
            var reader = Task.Run(async () =>
            {
                var buffer = new byte[4096];
                try
                {
                    while (true)
                    {
                        var read = await notify.ReceiveAsync(buffer, SocketFlags.None, done.Token);
                        lock (messages)
                        {
                            messages.Add(Encoding.UTF8.GetString(buffer, 0, read));
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });

            // SIGTERM after 6 s, as systemctl stop sends it.
            var run = await ProcessRun.RunAsync("env", [$"NOTIFY_SOCKET={socketPath}", "timeout", "--preserve-status", "-s", "TERM", "6", "dotnet", CliBinary.Dll, "connect", "--config", config], Limit);
            Assert.True(run.ExitCode == 0, run.All);
            await done.CancelAsync();
            await reader;

            string[] seen;
            lock (messages)
            {
                seen = messages.ToArray();
            }

            var all = string.Join(" | ", seen);
            Assert.True(seen.Length >= 4, all);
            Assert.Equal("READY=1", seen[0]);
            Assert.Contains(seen, m => m.StartsWith("STATUS=connected 0/0", StringComparison.Ordinal));
            Assert.Contains("WATCHDOG=1", seen);
            Assert.Equal("STOPPING=1", seen[^1]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
