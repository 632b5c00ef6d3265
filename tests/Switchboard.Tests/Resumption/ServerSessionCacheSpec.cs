using Switchboard.Resumption;

namespace Switchboard.Tests.Resumption;

public sealed class ServerSessionCacheSpec
{
    private readonly ManualClock _clock = new();
    private readonly ServerSessionCache _cache;

    public ServerSessionCacheSpec()
    {
        _cache = new ServerSessionCache(new SessionStoreOptions(1 << 20, 4, TimeSpan.FromMinutes(30), 1, true), _clock);
    }

    [Fact]
    public void A_stored_session_is_found_again_and_again_until_it_expires()
    {
        var id = StoreFixture.Id(1);
        var der = Enumerable.Range(0, 900).Select(i => (byte)i).ToArray();
        _cache.Store(id, der, _clock.UtcNow.AddMinutes(10));

        Assert.Equal(der, _cache.Find(id));
        Assert.Equal(der, _cache.Find(id));

        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(_cache.Find(id));
    }

    [Fact]
    public void Bytes_are_copied_in_and_out_so_nobody_can_change_a_cached_session()
    {
        var id = StoreFixture.Id(1);
        var der = new byte[] { 1, 2, 3 };
        _cache.Store(id, der, _clock.UtcNow.AddMinutes(10));
        der[0] = 99;

        var found = _cache.Find(id)!;
        found[1] = 99;

        Assert.Equal(new byte[] { 1, 2, 3 }, _cache.Find(id));
    }

    [Fact]
    public void Removed_sessions_are_not_found()
    {
        var id = StoreFixture.Id(1);
        _cache.Store(id, new byte[] { 1 }, _clock.UtcNow.AddMinutes(10));
        _cache.Remove(id);

        Assert.Null(_cache.Find(id));
    }

    [Fact]
    public void Entries_are_charged_for_id_session_and_overhead()
    {
        _cache.Store(StoreFixture.Id(1), new byte[1000], _clock.UtcNow.AddMinutes(10));

        Assert.Equal(32 + 1000 + SessionStore<byte[]>.EntryOverhead, _cache.Sessions.Counters.Bytes);
    }

    [Fact]
    public void Invalid_session_ids_are_ignored_rather_than_thrown_into_a_handshake()
    {
        _cache.Store([], new byte[] { 1 }, _clock.UtcNow.AddMinutes(10));
        _cache.Store(new byte[33], new byte[] { 1 }, _clock.UtcNow.AddMinutes(10));

        Assert.Null(_cache.Find([]));
        Assert.Null(_cache.Find(new byte[33]));
        Assert.Equal(0, _cache.Sessions.Counters.Entries);
    }
}
