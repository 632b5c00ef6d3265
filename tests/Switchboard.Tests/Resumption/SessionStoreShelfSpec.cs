using Switchboard.Resumption;

namespace Switchboard.Tests.Resumption;

/// <summary>The client side: several TLS 1.3 tickets per endpoint, newest first, each handed out once.</summary>
public sealed class SessionStoreShelfSpec
{
    [Fact]
    public void Tickets_are_handed_out_newest_first_and_each_only_once()
    {
        var f = new StoreFixture(valuesPerKey: 4, randomKeys: false);
        f.Store.Add("agent-00001", 1, 300, f.InAnHour);
        f.Store.Add("agent-00001", 2, 300, f.InAnHour);
        f.Store.Add("agent-00001", 3, 300, f.InAnHour);

        var handed = new List<int>();
        while (f.Store.TryTake("agent-00001", out var ticket) && handed.Count < 10)
        {
            handed.Add(ticket);
        }

        Assert.Equal([3, 2, 1], handed);
        Assert.Empty(f.Evictions);
        var counters = f.Store.Counters;
        Assert.Equal(3, counters.Taken);
        Assert.Equal(0, counters.Entries);
        Assert.Equal(0, counters.Bytes);
        Assert.Equal(1, counters.Misses);
    }

    [Fact]
    public void A_full_shelf_pushes_out_its_oldest_ticket()
    {
        var f = new StoreFixture(valuesPerKey: 4, randomKeys: false);
        for (var i = 1; i <= 6; i++)
        {
            f.Store.Add("agent-00001", i, 300, f.InAnHour);
        }

        Assert.Equal([(1, EvictionCause.Replaced), (2, EvictionCause.Replaced)], f.Evictions);
        Assert.Equal(4, f.Store.Counters.Entries);
        var handed = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            Assert.True(f.Store.TryTake("agent-00001", out var ticket));
            handed.Add(ticket);
        }

        Assert.Equal([6, 5, 4, 3], handed);
    }

    [Fact]
    public void Endpoints_keep_separate_shelves()
    {
        var f = new StoreFixture(valuesPerKey: 2, randomKeys: false);
        f.Store.Add("agent-00001", 11, 300, f.InAnHour);
        f.Store.Add("agent-00002", 21, 300, f.InAnHour);
        f.Store.Add("agent-00001", 12, 300, f.InAnHour);

        Assert.True(f.Store.TryTake("agent-00002", out var a));
        Assert.Equal(21, a);
        Assert.False(f.Store.TryTake("agent-00002", out _));
        Assert.True(f.Store.TryTake("agent-00001", out var b));
        Assert.Equal(12, b);
    }

    [Fact]
    public void Expired_tickets_are_skipped_and_evicted_while_a_live_older_one_is_handed_out()
    {
        var f = new StoreFixture(valuesPerKey: 4, randomKeys: false);
        f.Store.Add("agent-00001", 1, 300, f.In(TimeSpan.FromMinutes(30)));
        f.Store.Add("agent-00001", 2, 300, f.In(TimeSpan.FromMinutes(1)));
        f.Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.True(f.Store.TryTake("agent-00001", out var ticket));
        Assert.Equal(1, ticket);
        Assert.Equal([(2, EvictionCause.Expired)], f.Evictions);
    }

    [Fact]
    public void Get_leaves_a_reusable_session_in_place()
    {
        var f = new StoreFixture(valuesPerKey: 4, randomKeys: false);
        f.Store.Add("agent-00001", 1, 300, f.InAnHour);

        Assert.True(f.Store.TryGet("agent-00001", out var first));
        Assert.True(f.Store.TryGet("agent-00001", out var second));
        Assert.Equal(1, first);
        Assert.Equal(1, second);
        Assert.Equal(2, f.Store.Counters.Hits);
        Assert.Equal(1, f.Store.Counters.Entries);
    }

    [Fact]
    public void Put_replaces_every_ticket_of_the_endpoint()
    {
        var f = new StoreFixture(valuesPerKey: 4, randomKeys: false);
        f.Store.Add("agent-00001", 1, 300, f.InAnHour);
        f.Store.Add("agent-00001", 2, 300, f.InAnHour);
        f.Store.Put("agent-00001", 3, 300, f.InAnHour);

        Assert.Equal([(1, EvictionCause.Replaced), (2, EvictionCause.Replaced)], f.Evictions);
        Assert.True(f.Store.TryTake("agent-00001", out var only));
        Assert.Equal(3, only);
        Assert.False(f.Store.TryTake("agent-00001", out _));
    }

    [Fact]
    public void Remove_evicts_every_ticket_of_the_endpoint_once()
    {
        var f = new StoreFixture(valuesPerKey: 4, randomKeys: false);
        f.Store.Add("agent-00001", 1, 300, f.InAnHour);
        f.Store.Add("agent-00001", 2, 300, f.InAnHour);

        Assert.Equal(2, f.Store.Remove("agent-00001"));
        Assert.Equal(0, f.Store.Remove("agent-00001"));
        Assert.Equal([(1, EvictionCause.Removed), (2, EvictionCause.Removed)], f.Evictions);
    }

    [Fact]
    public void Long_endpoint_names_work_as_keys()
    {
        var f = new StoreFixture(valuesPerKey: 2, randomKeys: false);
        var name = new string('x', 1000) + "-agent";
        f.Store.Add(name, 7, 1500, f.InAnHour);

        Assert.True(f.Store.TryTake(name, out var v));
        Assert.Equal(7, v);
    }
}
