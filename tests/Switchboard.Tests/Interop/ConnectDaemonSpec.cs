using System.Diagnostics;
using System.Text.Json;
using Switchboard.Tests.Support;
using Switchboard.Tests.Tls.Interop;

namespace Switchboard.Tests.Interop;

/// <summary><c>switchboard connect</c> as a daemon process: status file, SIGHUP reload, SIGTERM.</summary>
public sealed class ConnectDaemonSpec
{
    private static readonly TestPki Pki = TestPki.Instance;

    private static string Config(params (string Name, int Port)[] endpoints) => $$"""
        switchboard {
          tls { ca = "{{Pki.Layout.CaCertificate}}", certificate = "{{Pki.Layout.MasterCertificate}}", private-key = "{{Pki.Layout.MasterKey}}" }
          endpoints = [ {{string.Join(", ", endpoints.Select(e => $"{{ name = \"{e.Name}\", host = \"127.0.0.1\", port = {e.Port} }}"))}} ]
        }
        """;

    private static async Task<JsonElement> AwaitStatus(string file, Func<JsonElement, bool> condition, Func<string>? daemonLog = null)
    {
        JsonElement last = default;
        await Eventually.AssertAsync(async () =>
        {
            // The daemon replaces the file atomically; a reader racing its first write may find none yet.
            last = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement;
            Assert.True(condition(last), $"status file: {last}\ndaemon's log:\n{daemonLog?.Invoke()}");
        }, TimeSpan.FromSeconds(30));
        return last;
    }

    private static long Handshakes(JsonElement status) =>
        status.GetProperty("handshakes").GetProperty("full").GetInt64() + status.GetProperty("handshakes").GetProperty("resumed").GetInt64();

    [Fact]
    public async Task Connects_to_openssl_s_server_writes_the_status_file_and_a_SIGHUP_that_adds_an_endpoint_leaves_the_others_alone()
    {
        var (crt1, key1) = Pki.Agent(1);
        var (crt2, key2) = Pki.Agent(2);
        await using var server1 = await OpenSslServer.StartAsync(Pki.Layout.CaCertificate, crt1, key1, "-tls1_3", accepts: 5, TimeSpan.FromSeconds(10));
        await using var server2 = await OpenSslServer.StartAsync(Pki.Layout.CaCertificate, crt2, key2, "-tls1_3", accepts: 5, TimeSpan.FromSeconds(10));
        var directory = Directory.CreateTempSubdirectory("connect-").FullName;
        var config = Path.Combine(directory, "switchboard.conf");
        var status = Path.Combine(directory, "status.json");
        await File.WriteAllTextAsync(config, Config(("agent-00001", server1.Port)));

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { CliBinary.Dll, "connect", "--config", config, "--status-file", status })
        {
            info.ArgumentList.Add(a);
        }

        using var daemon = Process.Start(info)!;
        var output = daemon.StandardOutput.ReadToEndAsync();
        var errors = new System.Text.StringBuilder();
        daemon.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        daemon.BeginErrorReadLine();
        string Errors()
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }

        // What the daemon said so far (stderr; stdout is read at exit), for a failure message.
        string Log() => Errors();

        try
        {
            var first = await AwaitStatus(status, s => s.GetProperty("connected").GetInt32() == 1, Log);
            Assert.Equal(1, first.GetProperty("endpoints").GetInt32());
            Assert.Equal(1, Handshakes(first));

            await File.WriteAllTextAsync(config, Config(("agent-00001", server1.Port), ("agent-00002", server2.Port)));
            Signal(daemon.Id, "HUP");
            var reloaded = await AwaitStatus(status, s => s.GetProperty("connected").GetInt32() == 2, Log);
            // One new handshake, for the new endpoint; the unchanged one kept its live link.
            Assert.Equal(2, Handshakes(reloaded));

            await File.WriteAllTextAsync(config, "switchboard { endpoints = [ { name = 3 } ");
            Signal(daemon.Id, "HUP");
            // The daemon says it refused the file, and both links are still up (the status file is rewritten every
            // second, so a link lost to the refused file would show there).
            await Eventually.AssertAsync(() => Assert.Contains("HOCON syntax error", Errors()), TimeSpan.FromSeconds(15));
            var afterBroken = await AwaitStatus(status, s => true);
            Assert.Equal(2, afterBroken.GetProperty("connected").GetInt32());

            Signal(daemon.Id, "TERM");
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await daemon.WaitForExitAsync(exit.Token);
            Assert.Equal(0, daemon.ExitCode);
            var stdout = await output;
            var stderr = Errors();
            Assert.Contains("1 added, 0 removed, 1 unchanged", stdout);
            Assert.Contains("reload of", stderr);
            Assert.Contains("HOCON syntax error", stderr);
            Assert.Contains("close_notify", stdout);
        }
        finally
        {
            if (!daemon.HasExited)
            {
                daemon.Kill(entireProcessTree: true);
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString()])!;
        kill.WaitForExit(5000);
    }
}
