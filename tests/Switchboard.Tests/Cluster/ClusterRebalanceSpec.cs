using System.Diagnostics;
using Switchboard.Supervision;
using Switchboard.Testing.Cluster;
using Switchboard.Testing.Fleet;
using Switchboard.Tests.Support;
using Xunit.Abstractions;

namespace Switchboard.Tests.Cluster;

/// <summary>
/// A third master joins two that hold every endpoint: sharding rebalances shards to it, each moved endpoint
/// is handed off (its link closed, its newest session written to a majority) and started on the new node,
/// which imports that session, so the rebalanced endpoints resume instead of paying full handshakes.
/// </summary>
[Collection(Stress.StressCollection.Name)]
[Trait("Category", "Stress")]
public sealed class ClusterRebalanceSpec(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Agents = 300;

    private AgentFleet _fleet = null!;

    public async Task InitializeAsync() => _fleet = await AgentFleet.StartAsync(Stress.StressPki.Layout, Agents, port: 0);

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Endpoints_rebalanced_to_a_joining_master_resume_their_sessions_there_when_replicated(bool replicateSessions)
    {
        await using var masters = new LocalCluster(Stress.StressPki.Layout, _fleet.Endpoints(), replicateSessions);
        await masters.AddNodesAsync(2);
        await Eventually.AssertAsync(() => Assert.All(_fleet.LinksPerAgent(), links => Assert.Equal(1, links)), TimeSpan.FromSeconds(60));

        var clock = Stopwatch.StartNew();
        var joined = (await masters.AddNodesAsync(1))[0];

        // The rebalance is gradual (a few shards per round); it is done when the new node holds its share.
        await Eventually.AssertAsync(async () =>
        {
            var here = await masters.EndpointsOnAsync(joined);
            Assert.True(here.Count >= Agents / 4, $"the joining master runs {here.Count} endpoints");
            Assert.All(_fleet.LinksPerAgent(), links => Assert.Equal(1, links));
        }, TimeSpan.FromSeconds(60));
        await Eventually.AssertAsync(async () =>
            Assert.All((await masters.EndpointsOnAsync(joined)).Values, e => Assert.Equal(EndpointState.Connected, e.State)), TimeSpan.FromSeconds(30));

        var moved = await masters.EndpointsOnAsync(joined);
        var resumed = moved.Values.Count(e => e.ResumedHandshakes > 0 && e.FullHandshakes == 0);
        output.WriteLine($"replication {(replicateSessions ? "on" : "off")}: {moved.Count} endpoints rebalanced to the joining master within {clock.Elapsed.TotalSeconds:0.0} s; {resumed} resumed after the hand-off");
        if (replicateSessions)
        {
            Assert.True(resumed >= moved.Count * 95 / 100, $"{resumed} of {moved.Count} rebalanced endpoints resumed");
        }
        else
        {
            // The joining master never linked these agents: without a replica there is nothing to resume.
            Assert.Equal(0, resumed);
        }
    }
}
