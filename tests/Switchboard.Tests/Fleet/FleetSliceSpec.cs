using Switchboard.Testing.Fleet;
using Switchboard.Testing.Pki;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Fleet;

/// <summary>
/// A fleet too big for one process's open files runs as slices (<c>agents --shard K/M</c>); together the
/// slices must be the same fleet: the same names, addresses and misbehaving agents as one process.
/// </summary>
public sealed class FleetSliceSpec
{
    [Fact]
    public async Task A_slice_has_the_names_addresses_and_faulty_agents_of_the_whole_fleet()
    {
        var faults = new FaultSpec(FaultMode.Reset, Share: 0.3);

        await using var slice = await AgentFleet.StartAsync(TestPki.Instance.Layout, 5, port: 0, faults: faults, first: 5, total: 10);

        Assert.Equal(Enumerable.Range(5, 5).Select(PkiLayout.AgentName), slice.Endpoints().Select(e => e.Name));
        Assert.Equal(Enumerable.Range(5, 5).Select(i => AgentAddresses.For(i).ToString()), slice.Endpoints().Select(e => e.Host));
        var wholeFleet = faults.FaultyIndices(10).ToArray();
        Assert.Equal(wholeFleet.Where(i => i >= 5), slice.FaultyIndices);
        Assert.NotEmpty(slice.FaultyIndices);
        Assert.All(slice.FaultyIndices, i => Assert.True(slice.IsFaulty(i)));
        Assert.Equal(5 - slice.FaultyIndices.Count, slice.HealthyEndpoints().Count);
    }

    [Fact]
    public async Task A_slice_outside_its_fleet_is_refused() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => AgentFleet.StartAsync(TestPki.Instance.Layout, 5, port: 0, first: 8, total: 10));
}
