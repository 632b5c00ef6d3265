using System.Text;
using Switchboard.Resumption;

namespace Switchboard.Tests.Resumption;

/// <summary>A full cache gives breadth before depth: spares go before any key's last value.</summary>
public sealed class SessionStoreBreadthSpec
{
    private const int Session = 1500;

    private static byte[] Endpoint(int n) => Encoding.UTF8.GetBytes($"agent-{n:00000}|127.0.0.1:5665|ab");

    private static int EntrySize(int n) => SessionStore<int>.EntrySize(Endpoint(n).Length, Session);

    [Theory]
    [InlineData(1, 40)]
    [InlineData(1, 400)]
    [InlineData(4, 2000)]
    public void Endpoints_with_four_tickets_each_in_a_budget_for_one_and_a_half_keep_at_least_one_each(int subCaches, int endpoints)
    {
        // Room for 1.5 sessions per endpoint in every sub-cache, counted on the one that got the most endpoints.
        var probe = new StoreFixture(4096L * subCaches, subCaches, valuesPerKey: 4, randomKeys: false).Store;
        var busiest = Enumerable.Range(0, endpoints).GroupBy(n => probe.SubCacheIndex(Endpoint(n))).Max(g => g.Count());
        var f = new StoreFixture(maxBytes: subCaches * (busiest * 3L * EntrySize(0) / 2), subCaches, valuesPerKey: 4, randomKeys: false);

        // Each round every endpoint gets a new ticket, as each reconnect brings one: four rounds fill every shelf.
        for (var round = 0; round < 4; round++)
        {
            for (var n = 0; n < endpoints; n++)
            {
                Assert.True(f.Store.Add(Endpoint(n), (round * endpoints) + n, EntrySize(n), f.InAnHour));
            }
        }

        var without = Enumerable.Range(0, endpoints).Where(n => !f.Store.Holds(Endpoint(n))).ToList();
        Assert.True(without.Count == 0, $"{without.Count} of {endpoints} endpoints lost every session, first agent-{without.FirstOrDefault():00000}");
        Assert.Equal(0, f.Store.Counters.EvictedFullLast);
        Assert.True(f.Store.Counters.EvictedFull > 0, "the budget never filled: the spec proves nothing");
        Assert.Equal(endpoints, f.Store.Counters.Keys);

        // What every endpoint keeps is its newest ticket (the last round's), the one the next attempt takes.
        for (var n = 0; n < endpoints; n++)
        {
            Assert.True(f.Store.TryTake(Endpoint(n), out var newest));
            Assert.Equal((3 * endpoints) + n, newest);
        }
    }

    [Fact]
    public void Without_any_spare_left_the_oldest_last_value_goes_and_is_counted()
    {
        var f = new StoreFixture(maxBytes: 3 * EntrySize(0), valuesPerKey: 4, randomKeys: false);
        for (var n = 0; n < 4; n++)
        {
            f.Store.Add(Endpoint(n), n, EntrySize(n), f.InAnHour);
        }

        Assert.Equal([(0, EvictionCause.FullLast)], f.Evictions);
        Assert.False(f.Store.Holds(Endpoint(0)));
        Assert.Equal(1, f.Store.Counters.EvictedFullLast);
    }

    [Fact]
    public void Taking_an_endpoints_newest_ticket_makes_its_next_one_the_last_to_go()
    {
        var f = new StoreFixture(maxBytes: 4 * EntrySize(0), valuesPerKey: 4, randomKeys: false);
        f.Store.Add(Endpoint(0), 1, EntrySize(0), f.InAnHour);
        f.Store.Add(Endpoint(0), 2, EntrySize(0), f.InAnHour);
        f.Store.Add(Endpoint(1), 3, EntrySize(1), f.InAnHour);
        Assert.True(f.Store.TryTake(Endpoint(0), out var taken));
        Assert.Equal(2, taken);

        // Endpoint 0's remaining ticket leads its shelf now: filling the cache takes from endpoint 2's spares first.
        f.Store.Add(Endpoint(2), 4, EntrySize(2), f.InAnHour);
        f.Store.Add(Endpoint(2), 5, EntrySize(2), f.InAnHour);
        f.Store.Add(Endpoint(2), 6, EntrySize(2), f.InAnHour);

        Assert.Equal([(4, EvictionCause.Full)], f.Evictions);
        Assert.True(f.Store.TryGet(Endpoint(0), out var kept));
        Assert.Equal(1, kept);
    }

    [Fact]
    public void Shrinking_the_budget_scrolls_out_spares_first()
    {
        var f = new StoreFixture(maxBytes: 16384, valuesPerKey: 4, randomKeys: false);
        for (var n = 0; n < 4; n++)
        {
            f.Store.Add(Endpoint(n), n, EntrySize(n), f.InAnHour);
            f.Store.Add(Endpoint(n), 10 + n, EntrySize(n), f.InAnHour);
        }

        f.Store.Resize(4096 * 2);

        Assert.All(f.Evictions, e => Assert.Equal(EvictionCause.Full, e.Cause));
        Assert.True(Enumerable.Range(0, 4).All(n => f.Store.Holds(Endpoint(n))));
        Assert.True(f.Store.Counters.Bytes <= f.Store.MaxBytes);
    }
}
