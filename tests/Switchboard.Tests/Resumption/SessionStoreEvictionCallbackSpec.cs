using Switchboard.Resumption;

namespace Switchboard.Tests.Resumption;

/// <summary>On the client, values are SafeHandles over SSL_SESSION*: each must be freed exactly once, by exactly one owner.</summary>
public sealed class SessionStoreEvictionCallbackSpec
{
    [Fact]
    public void Every_value_is_either_evicted_once_or_taken_never_both()
    {
        var f = new StoreFixture(maxBytes: 4 * 8192, subCaches: 4, valuesPerKey: 3, randomKeys: false, maxAge: TimeSpan.FromMinutes(5));
        var random = new Random(11);
        var taken = new List<int>();
        for (var value = 0; value < 5000; value++)
        {
            var endpoint = $"agent-{random.Next(60):D5}";
            switch (random.Next(10))
            {
                case < 5:
                    f.Store.Add(endpoint, value, random.Next(200, 1500), f.In(TimeSpan.FromMinutes(random.Next(1, 10))));
                    break;
                case < 7:
                    f.Store.Put(endpoint, value, random.Next(200, 1500), f.In(TimeSpan.FromMinutes(random.Next(1, 10))));
                    break;
                case < 9:
                    if (f.Store.TryTake(endpoint, out var t))
                    {
                        taken.Add(t);
                    }

                    break;
                default:
                    f.Store.Remove(endpoint);
                    break;
            }

            if (value % 50 == 0)
            {
                f.Clock.Advance(TimeSpan.FromSeconds(20));
            }
        }

        f.Store.Clear();

        var evicted = f.Evictions.Select(e => e.Value).ToList();
        Assert.Equal(evicted.Count, evicted.Distinct().Count());
        Assert.Empty(evicted.Intersect(taken));
        var stored = f.Store.Counters.Stored;
        Assert.Equal(stored, evicted.Count + taken.Count);
        Assert.Equal(0, f.Store.Counters.Entries);
        Assert.Equal(0, f.Store.Counters.Bytes);

        // Every cause really happened in this mix, so the test exercised each eviction path.
        Assert.All(Enum.GetValues<EvictionCause>(), cause => Assert.Contains(f.Evictions, e => e.Cause == cause));
        var c = f.Store.Counters;
        Assert.Equal(evicted.Count, c.Evicted);
        Assert.Equal(taken.Count, c.Taken);
    }

    [Fact]
    public void A_throwing_callback_does_not_lose_the_other_evicted_values()
    {
        var seen = new List<int>();
        var clock = new ManualClock();
        var store = new SessionStore<int>(
            new SessionStoreOptions(8192, 1, TimeSpan.FromHours(1), 1, true),
            (v, _) =>
            {
                seen.Add(v);
                if (v == 0)
                {
                    throw new InvalidOperationException("native free failed");
                }
            },
            clock);
        for (var i = 0; i < 3; i++)
        {
            store.Put(StoreFixture.Id(i), i, 2000, clock.UtcNow.AddHours(1));
        }

        Assert.Throws<InvalidOperationException>(() => store.Clear());
        Assert.Equal([0, 1, 2], seen);
        Assert.Equal(0, store.Counters.Entries);
    }

    [Fact]
    public void The_callback_may_call_back_into_the_store()
    {
        var clock = new ManualClock();
        SessionStore<int>? store = null;
        var lookups = 0;
        store = new SessionStore<int>(
            new SessionStoreOptions(4096, 1, TimeSpan.FromHours(1), 1, true),
            (_, _) =>
            {
                store!.TryGet(StoreFixture.Id(99), out _);
                lookups++;
            },
            clock);
        store.Put(StoreFixture.Id(1), 1, 3000, clock.UtcNow.AddHours(1));
        store.Put(StoreFixture.Id(2), 2, 3000, clock.UtcNow.AddHours(1));

        Assert.Equal(1, lookups);
        Assert.True(store.TryGet(StoreFixture.Id(2), out _));
    }

    [Fact]
    public void Live_values_can_be_visited_for_persistence_without_expired_ones()
    {
        var f = new StoreFixture(maxBytes: 4 * 8192, subCaches: 4, valuesPerKey: 2, randomKeys: false);
        f.Store.Add("agent-00001", 1, 300, f.In(TimeSpan.FromMinutes(1)));
        f.Store.Add("agent-00001", 2, 300, f.InAnHour);
        f.Store.Add("agent-00002", 3, 300, f.InAnHour);
        f.Clock.Advance(TimeSpan.FromMinutes(2));

        var seen = new List<(string, int)>();
        f.Store.ForEachLive((key, value, _) => seen.Add((System.Text.Encoding.UTF8.GetString(key), value)));

        Assert.Equal([("agent-00001", 2), ("agent-00002", 3)], seen.Order());
    }
}
