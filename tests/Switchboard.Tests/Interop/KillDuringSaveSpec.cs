using System.Diagnostics;
using Switchboard.Resumption;
using Switchboard.Testing.Fleet;
using Switchboard.Tests.Support;
using Switchboard.Tls;

namespace Switchboard.Tests.Interop;

/// <summary>
/// kill -9 of the daemon while it saves its sessions: the file it leaves is always either a complete,
/// valid session file or one the next start ignores with a reason. Never a crash, never a bad session.
/// </summary>
[Trait("Category", "Stress")]
public sealed class KillDuringSaveSpec : IAsyncLifetime
{
    private static readonly TestPki Pki = TestPki.Instance;
    private AgentFleet _fleet = null!;
    private readonly string _directory = Directory.CreateTempSubdirectory("killsave-").FullName;

    public async Task InitializeAsync() => _fleet = await AgentFleet.StartAsync(Pki.Layout, 10, port: 0);

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_daemon_killed_mid_save_leaves_a_file_that_loads_whole_or_is_ignored_with_a_reason()
    {
        var sessions = Path.Combine(_directory, "switchboard.sessions");
        var config = Path.Combine(_directory, "switchboard.conf");
        var endpoints = string.Join(", ", _fleet.Endpoints().Select(e => $"{{ name = \"{e.Name}\", host = \"{e.Host}\", port = {e.Port} }}"));
        await File.WriteAllTextAsync(config, $$"""
            switchboard {
              tls { ca = "{{Pki.Layout.CaCertificate}}", certificate = "{{Pki.Layout.MasterCertificate}}", private-key = "{{Pki.Layout.MasterKey}}" }
              endpoints = [ {{endpoints}} ]
              # Save all the time, so a kill lands in the middle of one.
              resumption { persist-path = "{{sessions}}", persist-interval = 20ms }
            }
            """);

        var random = new Random(7);
        var sessionsSeen = 0;
        for (var kill = 0; kill < 4; kill++)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { CliBinary.Dll, "connect", "--config", config })
            {
                info.ArgumentList.Add(a);
            }

            using var daemon = Process.Start(info)!;
            _ = daemon.StandardOutput.ReadToEndAsync();
            _ = daemon.StandardError.ReadToEndAsync();
            // Wait until this daemon has saved at least once itself, so the kill lands among its saves.
            var before = File.Exists(sessions) ? File.GetLastWriteTimeUtc(sessions) : DateTime.MinValue;
            await Eventually.AssertAsync(() => Assert.True(File.Exists(sessions) && File.GetLastWriteTimeUtc(sessions) != before, "the daemon never saved its sessions"),
                TimeSpan.FromSeconds(20));
            // Part of the scenario, not a wait for a condition: the kill lands at a random point among the saves.
            await Task.Delay(random.Next(300, 900));
            daemon.Kill(); // SIGKILL: no shutdown, no final save
            await daemon.WaitForExitAsync();

            var load = SessionFile.Load(sessions, DateTime.UtcNow, SessionFileKey.FromPrivateKeyFile(Pki.Layout.MasterKey));
            if (load.Warnings.Count == 0)
            {
                // Whole: possibly empty (a save before any link was up), but every session in it restores.
                sessionsSeen += load.Contents.Sessions.Count;
                foreach (var persisted in load.Contents.Sessions)
                {
                    using var session = TlsSession.Import(persisted.Der);
                    Assert.True(session is { IsResumable: true }, $"session of {persisted.Key} does not restore");
                }
            }
            else
            {
                Assert.All(load.Warnings, w => Assert.False(string.IsNullOrWhiteSpace(w)));
                Assert.Empty(load.Contents.Sessions);
            }
        }

        Assert.True(sessionsSeen > 0, "no kill landed on a file holding sessions; the test exercised nothing");
    }
}
