using Switchboard.Resumption;

namespace Switchboard.Tests.Resumption;

public sealed class SessionStoreExpirySpec
{
    [Fact]
    public void Max_age_caps_the_lifetime_the_session_claims()
    {
        var f = new StoreFixture(maxAge: TimeSpan.FromMinutes(10));
        f.Store.Put(StoreFixture.Id(1), 1, 100, f.In(TimeSpan.FromDays(1)));

        f.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.True(f.Store.TryGet(StoreFixture.Id(1), out _));

        f.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(f.Store.TryGet(StoreFixture.Id(1), out _));
        Assert.Equal([(1, EvictionCause.Expired)], f.Evictions);
    }

    [Fact]
    public void A_shorter_session_lifetime_wins_over_max_age()
    {
        var f = new StoreFixture(maxAge: TimeSpan.FromHours(1));
        f.Store.Put(StoreFixture.Id(1), 1, 100, f.In(TimeSpan.FromMinutes(5)));

        f.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.False(f.Store.TryGet(StoreFixture.Id(1), out _));
    }

    [Fact]
    public void Entries_never_touched_are_gone_after_expiry()
    {
        var f = new StoreFixture(maxBytes: 4 * 65536, subCaches: 4, maxAge: TimeSpan.FromMinutes(10));
        for (var i = 0; i < 100; i++)
        {
            f.Store.Put(StoreFixture.Id(i), i, 500, f.InAnHour);
        }

        f.Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(100, f.Store.ReapExpired());
        Assert.Equal(0, f.Store.Counters.Entries);
        Assert.Equal(0, f.Store.Counters.Bytes);
        Assert.Equal(Enumerable.Range(0, 100), f.Evictions.Select(e => e.Value).Order());
        Assert.All(f.Evictions, e => Assert.Equal(EvictionCause.Expired, e.Cause));
    }

    [Fact]
    public void A_lookup_reaps_only_a_few_expired_entries_it_never_scans_the_backlog()
    {
        var f = new StoreFixture(maxBytes: 1 << 20, maxAge: TimeSpan.FromMinutes(10));
        for (var i = 0; i < 1000; i++)
        {
            f.Store.Put(StoreFixture.Id(i), i, 500, f.InAnHour);
        }

        f.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.False(f.Store.TryGet(StoreFixture.Id(999), out _));

        // The lookup advanced the ring start by at most its small quota, plus the entry it looked up.
        var counters = f.Store.Counters;
        Assert.InRange(counters.EvictedExpired, 1, SessionSubCache<int>.MaxReapPerOperation + 1);
        Assert.Equal(1000 - counters.EvictedExpired, counters.Entries);
        Assert.Equal(1, counters.Misses);

        // Every later operation keeps advancing it; a timer's ReapExpired finishes the rest.
        f.Store.Put(StoreFixture.Id(5000), 5000, 500, f.InAnHour);
        Assert.True(f.Store.Counters.EvictedExpired > counters.EvictedExpired);
        f.Store.ReapExpired();
        Assert.Equal(1, f.Store.Counters.Entries);
        Assert.Equal(1000, f.Evictions.Count);
    }

    [Fact]
    public void Reaping_stops_at_the_first_live_entry()
    {
        var f = new StoreFixture(maxBytes: 1 << 20);
        for (var i = 0; i < 10; i++)
        {
            f.Store.Put(StoreFixture.Id(i), i, 100, f.In(TimeSpan.FromMinutes(5)));
        }

        f.Clock.Advance(TimeSpan.FromMinutes(1));
        for (var i = 10; i < 20; i++)
        {
            f.Store.Put(StoreFixture.Id(i), i, 100, f.In(TimeSpan.FromMinutes(30)));
        }

        f.Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(10, f.Store.ReapExpired());
        Assert.Equal(10, f.Store.Counters.Entries);
        Assert.Equal(0, f.Store.ReapExpired());
        Assert.True(f.Store.TryGet(StoreFixture.Id(10), out _));
    }

    [Fact]
    public void An_expired_entry_behind_a_live_older_one_is_still_never_returned()
    {
        var f = new StoreFixture(maxBytes: 1 << 20);
        f.Store.Put(StoreFixture.Id(1), 1, 100, f.In(TimeSpan.FromMinutes(30)));
        f.Store.Put(StoreFixture.Id(2), 2, 100, f.In(TimeSpan.FromMinutes(1)));

        f.Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.False(f.Store.TryGet(StoreFixture.Id(2), out _));
        Assert.Equal([(2, EvictionCause.Expired)], f.Evictions);
        Assert.True(f.Store.TryGet(StoreFixture.Id(1), out _));
    }

    [Fact]
    public void A_full_cache_scrolls_out_expired_entries_as_expired()
    {
        var f = new StoreFixture(maxBytes: 4096);
        f.Store.Put(StoreFixture.Id(1), 1, 2000, f.In(TimeSpan.FromMinutes(30)));
        f.Store.Put(StoreFixture.Id(2), 2, 2000, f.In(TimeSpan.FromMinutes(1)));
        f.Clock.Advance(TimeSpan.FromMinutes(2));

        // The live oldest blocks the quota reaper; room is made from the oldest end anyway.
        f.Store.Put(StoreFixture.Id(3), 3, 4000, f.InAnHour);

        Assert.Equal([(1, EvictionCause.FullLast), (2, EvictionCause.Expired)], f.Evictions);
    }
}
