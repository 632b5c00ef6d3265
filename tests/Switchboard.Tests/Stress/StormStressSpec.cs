using System.Diagnostics;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;
using Xunit.Abstractions;

namespace Switchboard.Tests.Stress;

/// <summary>
/// A reconnect storm at CI size: 2,000 endpoints at once against the in-process fleet, then every agent
/// dropping its links at once. Admission must serve them all inside the (short) handshake timeout.
/// </summary>
[Collection(StressCollection.Name)]
[Trait("Category", "Stress")]
public sealed class StormStressSpec : TestKit, IAsyncLifetime
{
    private const int Endpoints = 2000;
    private const int ThreadTolerance = 8;

    private readonly ITestOutputHelper _output;
    private AgentFleet _fleet = null!;

    public StormStressSpec(ITestOutputHelper output) : base(StressConfig.Master(), output: output)
    {
        _output = output;
    }

    public async Task InitializeAsync() =>
        _fleet = await AgentFleet.StartAsync(StressPki.Layout, Endpoints, port: 0, extraConfig: StressConfig.Fleet);

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task Two_thousand_endpoints_connect_at_once_and_heal_after_an_agent_drop_without_a_handshake_timeout()
    {
        await NoErrors.InAsync(this, _fleet.System, Storm, TimeSpan.FromMinutes(3));
    }

    private async Task Storm()
    {
        var settings = SettingsLoader.Load(Sys.Settings.Config) with { Endpoints = [.. _fleet.Endpoints()] };
        var threads = new List<int>();
        var clock = Stopwatch.StartNew();
        var runtime = SwitchboardRuntime.Start(Sys, settings);
        var connected = await this.Until(runtime.Supervisor, s => s.Connected == Endpoints, TimeSpan.FromSeconds(60),
            "all endpoints connect", _ => threads.Add(ProcessProbe.Threads()));
        var cold = clock.Elapsed;
        AssertNoFailure(connected);
        Assert.Equal(Endpoints, connected.FullHandshakes + connected.ResumedHandshakes);

        var threadsConnected = await ProcessProbe.SettledThreads();
        var threadsDuringDrop = new List<int>();
        clock.Restart();
        _fleet.DropAllLinks();
        var healed = await this.Until(runtime.Supervisor,
            s => s.Connected == Endpoints && s.FullHandshakes + s.ResumedHandshakes == 2 * Endpoints,
            TimeSpan.FromSeconds(60), "every endpoint reconnects after the agents dropped their links", _ => threadsDuringDrop.Add(ProcessProbe.Threads()));
        var drop = clock.Elapsed;
        AssertNoFailure(healed);
        Assert.All(healed.Endpoints, e => Assert.Equal(2, e.FullHandshakes + e.ResumedHandshakes));

        _output.WriteLine($"cold: {cold.TotalSeconds:0.00} s; agent drop: {drop.TotalSeconds:0.00} s, {healed.ResumedHandshakes} of {Endpoints} resumed; threads {threads.Min()}..{threads.Max()} while connecting, {threadsConnected} connected, {threadsDuringDrop.Min()}..{threadsDuringDrop.Max()} while healing");
        Assert.True(healed.ResumedHandshakes >= Endpoints * 9 / 10, $"only {healed.ResumedHandshakes} of {Endpoints} reconnects resumed their session");
        // The cold storm starts the IO threads; from then on a storm must not add any.
        Assert.True(threadsDuringDrop.Max() <= threadsConnected + ThreadTolerance, $"threads grew from {threadsConnected} to {threadsDuringDrop.Max()} during the agent drop");
    }

    private static void AssertNoFailure(StatusReport status)
    {
        Assert.Equal(0, status.FailedHandshakes);
        Assert.DoesNotContain(status.Endpoints, e => e.LastError?.StartsWith("handshake_timeout", StringComparison.Ordinal) == true);
    }
}
