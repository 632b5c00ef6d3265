using Switchboard.Resumption;

namespace Switchboard.Tests.Resumption;

public sealed class SessionStoreIndexSpec
{
    private static byte[] Key(byte b0, byte b3, byte last)
    {
        var key = new byte[32];
        key[0] = b0;
        key[3] = b3;
        key[31] = last;
        return key;
    }

    [Fact]
    public void A_lookup_rejects_a_different_session_on_its_stored_first_bytes_without_comparing_keys()
    {
        var f = new StoreFixture();
        f.Store.Put(Key(1, 0, 0xAA), 1, 100, f.InAnHour);
        var before = f.Store.Counters;

        // Same low bits (same bucket), different first four bytes: dismissed on the stored hash alone.
        Assert.False(f.Store.TryGet(Key(1, 0x80, 0xAA), out _));

        var after = f.Store.Counters;
        Assert.Equal(before.QuickRejects + 1, after.QuickRejects);
        Assert.Equal(before.KeyMismatches, after.KeyMismatches);
    }

    [Fact]
    public void A_key_that_passes_the_quick_check_is_still_compared_in_full()
    {
        var f = new StoreFixture();
        f.Store.Put(Key(1, 0, 0xAA), 1, 100, f.InAnHour);

        Assert.False(f.Store.TryGet(Key(1, 0, 0xBB), out _));
        Assert.Equal(1, f.Store.Counters.KeyMismatches);
        Assert.True(f.Store.TryGet(Key(1, 0, 0xAA), out var v));
        Assert.Equal(1, v);
    }

    [Fact]
    public void Keys_of_different_lengths_never_match()
    {
        var f = new StoreFixture();
        var key = Key(1, 0, 0xAA);
        f.Store.Put(key, 1, 100, f.InAnHour);

        Assert.False(f.Store.TryGet(key.AsSpan(0, 16), out _));
    }

    [Fact]
    public void A_full_sub_cache_evicts_only_its_own_entries()
    {
        var f = new StoreFixture(maxBytes: 4 * 8192, subCaches: 4);
        var bySubCache = Enumerable.Range(0, 400).GroupBy(i => f.Store.SubCacheIndex(StoreFixture.Id(i))).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(4, bySubCache.Count);

        var others = bySubCache.Where(g => g.Key != 0).SelectMany(g => g.Value.Take(2)).ToList();
        foreach (var i in others)
        {
            f.Store.Put(StoreFixture.Id(i), i, 1000, f.InAnHour);
        }

        // Overfill sub-cache 0 many times over.
        foreach (var i in bySubCache[0].Take(40))
        {
            f.Store.Put(StoreFixture.Id(i), i, 1000, f.InAnHour);
        }

        Assert.All(f.Evictions, e => Assert.Equal(0, f.Store.SubCacheIndex(StoreFixture.Id(e.Value))));
        Assert.Equal(40 - 8, f.Evictions.Count);
        Assert.All(others, i => Assert.True(f.Store.TryGet(StoreFixture.Id(i), out _), $"session {i} of another sub-cache was lost"));
    }

    [Fact]
    public void Random_session_ids_spread_over_all_sub_cache_shares()
    {
        var f = new StoreFixture(maxBytes: 16 * 65536, subCaches: 16);
        var random = new Random(3);
        var id = new byte[32];
        var counts = new int[16];
        for (var i = 0; i < 1600; i++)
        {
            random.NextBytes(id);
            counts[f.Store.SubCacheIndex(id)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 50, 150));
    }
}
