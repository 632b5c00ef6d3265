using Switchboard.Resumption;

namespace Switchboard.Tests.Resumption;

public sealed class ServerSessionCacheSpec
{
    private readonly ManualClock clock = new();
    private readonly ServerSessionCache cache;

    public ServerSessionCacheSpec()
    {
        cache = new ServerSessionCache(new SessionStoreOptions(1 << 20, 4, TimeSpan.FromMinutes(30), 1, true), clock);
    }

    [Fact]
    public void A_stored_session_is_found_again_and_again_until_it_expires()
    {
        var id = StoreFixture.Id(1);
        var der = Enumerable.Range(0, 900).Select(i => (byte)i).ToArray();
        cache.Store(id, der, clock.UtcNow.AddMinutes(10));

        Assert.Equal(der, cache.Find(id));
        Assert.Equal(der, cache.Find(id));

        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(cache.Find(id));
    }

    [Fact]
    public void Bytes_are_copied_in_and_out_so_nobody_can_change_a_cached_session()
    {
        var id = StoreFixture.Id(1);
        var der = new byte[] { 1, 2, 3 };
        cache.Store(id, der, clock.UtcNow.AddMinutes(10));
        der[0] = 99;

        var found = cache.Find(id)!;
        found[1] = 99;

        Assert.Equal(new byte[] { 1, 2, 3 }, cache.Find(id));
    }

    [Fact]
    public void Removed_sessions_are_not_found()
    {
        var id = StoreFixture.Id(1);
        cache.Store(id, new byte[] { 1 }, clock.UtcNow.AddMinutes(10));
        cache.Remove(id);

        Assert.Null(cache.Find(id));
    }

    [Fact]
    public void Entries_are_charged_for_id_session_and_overhead()
    {
        cache.Store(StoreFixture.Id(1), new byte[1000], clock.UtcNow.AddMinutes(10));

        Assert.Equal(32 + 1000 + SessionStore<byte[]>.EntryOverhead, cache.Sessions.Counters.Bytes);
    }

    [Fact]
    public void Invalid_session_ids_are_ignored_rather_than_thrown_into_a_handshake()
    {
        cache.Store([], new byte[] { 1 }, clock.UtcNow.AddMinutes(10));
        cache.Store(new byte[33], new byte[] { 1 }, clock.UtcNow.AddMinutes(10));

        Assert.Null(cache.Find([]));
        Assert.Null(cache.Find(new byte[33]));
        Assert.Equal(0, cache.Sessions.Counters.Entries);
    }
}
