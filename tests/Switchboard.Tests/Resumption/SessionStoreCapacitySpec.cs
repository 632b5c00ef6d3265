using Switchboard.Resumption;

namespace Switchboard.Tests.Resumption;

public sealed class SessionStoreCapacitySpec
{
    [Fact]
    public void Full_cache_scrolls_out_oldest_entries_first()
    {
        var f = new StoreFixture(maxBytes: 8192);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(f.Store.Put(StoreFixture.Id(i), i, 1000, f.InAnHour));
        }

        // 8 × 1000 bytes fit in 8192; the ninth and tenth pushed out the first two, in insertion order. Each was
        // its key's only value, so each left a key without one.
        Assert.Equal([(0, EvictionCause.FullLast), (1, EvictionCause.FullLast)], f.Evictions);
        Assert.False(f.Store.TryGet(StoreFixture.Id(0), out _));
        Assert.False(f.Store.TryGet(StoreFixture.Id(1), out _));
        for (var i = 2; i < 10; i++)
        {
            Assert.True(f.Store.TryGet(StoreFixture.Id(i), out var v));
            Assert.Equal(i, v);
        }

        Assert.Equal(8, f.Store.Counters.Entries);
        Assert.Equal(2, f.Store.Counters.EvictedFullLast);
    }

    [Fact]
    public void Full_cache_still_stores_new_sessions()
    {
        var f = new StoreFixture(maxBytes: 8192);
        for (var i = 0; i < 8; i++)
        {
            f.Store.Put(StoreFixture.Id(i), i, 1024, f.InAnHour);
        }

        Assert.Equal(8192, f.Store.Counters.Bytes);
        Assert.True(f.Store.Put(StoreFixture.Id(100), 100, 3000, f.InAnHour));
        Assert.True(f.Store.TryGet(StoreFixture.Id(100), out var v));
        Assert.Equal(100, v);

        // 3000 bytes needed three 1 KB sessions to go; the oldest three.
        Assert.Equal([0, 1, 2], f.Evictions.Select(e => e.Value));
    }

    [Fact]
    public void Byte_budget_is_never_exceeded_and_bytes_are_the_sum_of_live_sizes()
    {
        var f = new StoreFixture(maxBytes: 4 * 8192, subCaches: 4);
        var live = new Dictionary<int, int>();
        var random = new Random(7);
        for (var i = 0; i < 3000; i++)
        {
            var size = random.Next(100, 2500);
            f.Store.Put(StoreFixture.Id(i), i, size, f.InAnHour);
            live[i] = size;
            foreach (var (value, _) in f.Evictions)
            {
                live.Remove(value);
            }

            f.Evictions.Clear();
            var counters = f.Store.Counters;
            Assert.True(counters.Bytes <= f.Store.MaxBytes, $"{counters.Bytes} bytes held, budget {f.Store.MaxBytes}");
            Assert.Equal(live.Values.Sum(), counters.Bytes);
            Assert.Equal(live.Count, counters.Entries);
        }
    }

    [Fact]
    public void Entry_larger_than_a_sub_cache_share_is_refused_and_nothing_is_evicted_for_it()
    {
        var f = new StoreFixture(maxBytes: 4 * 4096, subCaches: 4);
        f.Store.Put(StoreFixture.Id(1), 1, 1000, f.InAnHour);

        Assert.False(f.Store.Put(StoreFixture.Id(2), 2, 4097, f.InAnHour));
        Assert.Empty(f.Evictions);
        Assert.Equal(1, f.Store.Counters.Rejected);
        Assert.Equal(1, f.Store.Counters.Entries);
        Assert.True(f.Store.Put(StoreFixture.Id(3), 3, (int)f.Store.MaxEntryBytes, f.InAnHour));
    }

    [Fact]
    public void Sessions_already_expired_are_refused()
    {
        var f = new StoreFixture();
        Assert.False(f.Store.Put(StoreFixture.Id(1), 1, 100, f.Clock.UtcNow));
        Assert.False(f.Store.TryGet(StoreFixture.Id(1), out _));
        Assert.Equal(1, f.Store.Counters.Rejected);
    }

    [Fact]
    public void Budget_below_a_sane_share_per_sub_cache_is_rejected_naming_the_setting()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new SessionStore<int>(new SessionStoreOptions(16 * 1024, 16, TimeSpan.FromHours(1), 1, true)));
        Assert.Contains("max-bytes", e.Message);

        var e2 = Assert.Throws<ArgumentException>(() =>
            new SessionStore<int>(new SessionStoreOptions(1 << 20, 12, TimeSpan.FromHours(1), 1, true)));
        Assert.Contains("power of two", e2.Message);
    }

    [Fact]
    public void Replacing_a_session_frees_its_bytes_before_deciding_whether_the_cache_is_full()
    {
        var f = new StoreFixture(maxBytes: 8192);
        for (var i = 0; i < 8; i++)
        {
            f.Store.Put(StoreFixture.Id(i), i, 1024, f.InAnHour);
        }

        f.Store.Put(StoreFixture.Id(3), 33, 1024, f.InAnHour);

        Assert.Equal([(3, EvictionCause.Replaced)], f.Evictions);
        Assert.True(f.Store.TryGet(StoreFixture.Id(3), out var v));
        Assert.Equal(33, v);
        Assert.True(f.Store.TryGet(StoreFixture.Id(0), out _));
    }
}
