using Akka.Actor;
using Akka.Configuration;
using Switchboard.Configuration;
using Switchboard.Resumption;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Resumption;

/// <summary>A manager restarted on its session file resumes instead of re-handshaking.</summary>
public sealed class RestartResumptionSpec : IAsyncLifetime
{
    private AgentFleet _fleet = null!;
    private readonly string _directory = Directory.CreateTempSubdirectory("restart-").FullName;

    public async Task InitializeAsync() => _fleet = await AgentFleet.StartAsync(TestPki.Instance.Layout, 4, port: 0);

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<(ActorSystem, StatusReport)> RunManagerAsync(string name, string persistPath, string tls = "1.3")
    {
        var config = ConfigurationFactory.ParseString($$"""
            switchboard.resumption.persist-path = "{{persistPath}}"
            switchboard.tls.max-version = "{{tls}}"
            akka.loglevel = WARNING
            """).WithFallback(Support.Settings.Config());
        var system = ActorSystem.Create(name, config);
        var runtime = SwitchboardRuntime.Start(system, SettingsLoader.Load(config) with { Endpoints = [.. _fleet.Endpoints()] });
        StatusReport status = null!;
        await Eventually.AssertAsync(async () =>
        {
            status = await runtime.Supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(3));
            Assert.True(status.Connected == 4, $"{status.Connected} of 4 connected");
        }, TimeSpan.FromSeconds(20));

        // TLS 1.3 tickets arrive after the handshake: the shutdown saves what the cache holds, so wait for a session per endpoint.
        await Eventually.AssertAsync(async () =>
        {
            var stats = await runtime.Cache!.Ask<ResumptionCacheActor.CacheStats>(new ResumptionCacheActor.GetCacheStats(), TimeSpan.FromSeconds(3));
            Assert.True(stats.Entries >= 4, $"{stats.Entries} sessions cached of 4");
        }, TimeSpan.FromSeconds(10));
        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        return (system, status);
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public async Task A_new_actor_system_on_the_same_session_file_resumes_every_endpoint(string tls)
    {
        var file = Path.Combine(_directory, $"sessions-{tls}");
        var (_, cold) = await RunManagerAsync("cold", file, tls);
        Assert.Equal((4, 4, 0), (cold.Connected, (int)cold.FullHandshakes, (int)cold.ResumedHandshakes));
        Assert.True(File.Exists(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        var (_, warm) = await RunManagerAsync("warm", file, tls);
        Assert.Equal((4, 0, 4), (warm.Connected, (int)warm.FullHandshakes, (int)warm.ResumedHandshakes));
    }

    [Fact]
    public async Task A_tampered_session_file_is_ignored_and_costs_full_handshakes_not_a_failure()
    {
        var file = Path.Combine(_directory, "sessions-tampered");
        await RunManagerAsync("cold", file);
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0x5A;
        await File.WriteAllBytesAsync(file, bytes);

        var (_, warm) = await RunManagerAsync("warm", file);
        Assert.Equal((4, 4, 0), (warm.Connected, (int)warm.FullHandshakes, (int)warm.ResumedHandshakes));
    }
}
