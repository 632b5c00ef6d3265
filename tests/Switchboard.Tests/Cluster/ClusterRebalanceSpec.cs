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

    [Fact]
    public async Task A_session_written_to_a_majority_of_masters_of_which_one_died_is_found_by_a_master_that_joined_later()
    {
        // Gossip off (an hour apart): a register lives only where its writes put it, as thousands of registers
        // do for minutes in a large cluster. When a master that held some dies, a majority of {survivor,
        // survivor, newcomer} need not include the one survivor that holds them: with majority reads, 55 of 107
        // moved endpoints resumed here; a read from every member finds them all.
        var noGossip = Akka.Configuration.ConfigurationFactory.ParseString("akka.cluster.distributed-data.gossip-interval = 1h");
        await using var masters = new LocalCluster(Stress.StressPki.Layout, _fleet.Endpoints(), replicateSessions: true, noGossip);
        await masters.AddNodesAsync(3);
        await Eventually.AssertAsync(() => Assert.All(_fleet.LinksPerAgent(), links => Assert.Equal(1, links)), TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1)); // the flush interval (200 ms) several times over: every session written

        // The oldest, as in the benchmark: the shard coordinator moves too, and the survivors re-home its shards.
        await masters.KillAsync(masters.Oldest());
        await Eventually.AssertAsync(async () =>
        {
            Assert.Equal(2, (await masters.ClusterStatusAsync(masters.Systems[0])).Nodes.Length);
            Assert.All(_fleet.LinksPerAgent(), links => Assert.Equal(1, links));
        }, TimeSpan.FromSeconds(60));
        var beforeJoin = (await masters.ConnectedAsync()).Where(e => e.Value.FullHandshakes == 1 && e.Value.ResumedHandshakes == 0)
            .Select(e => e.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        await Task.Delay(TimeSpan.FromSeconds(1));

        var joined = (await masters.AddNodesAsync(1))[0];
        await Eventually.AssertAsync(async () =>
        {
            var here = await masters.EndpointsOnAsync(joined);
            Assert.True(here.Count >= Agents / 4, $"the joining master runs {here.Count} endpoints");
            Assert.All(here.Values, e => Assert.Equal(EndpointState.Connected, e.State));
            Assert.All(_fleet.LinksPerAgent(), links => Assert.Equal(1, links));
        }, TimeSpan.FromSeconds(90));

        // The endpoints linked since the cold start, which never moved before: their register is the cold write.
        var moved = (await masters.EndpointsOnAsync(joined)).Where(e => beforeJoin.Contains(e.Key)).ToList();
        var resumed = moved.Count(e => e.Value.ResumedHandshakes > 0 && e.Value.FullHandshakes == 0);
        output.WriteLine($"{moved.Count} endpoints linked since the cold start moved to the joining master; {resumed} resumed there");
        Assert.True(moved.Count >= Agents / 8, $"only {moved.Count} cold-linked endpoints moved");
        Assert.Equal(moved.Count, resumed);
    }
}
