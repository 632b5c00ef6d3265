using Switchboard.Resumption;

namespace Switchboard.Bench.Cache;

internal sealed class SwitchboardStoreUnderTest(SessionStoreOptions options) : ICacheUnderTest
{
    private readonly SessionStore<byte[]> _store = new(options);

    public string Name => "switchboard";

    public long Bytes => _store.Counters.Bytes;

    public long Entries => _store.Counters.Entries;

    public void Put(byte[] sessionId, byte[] session, int sizeBytes, DateTime expiresAtUtc) =>
        _store.Put(sessionId, session, sizeBytes, expiresAtUtc);

    public bool TryGet(byte[] sessionId) => _store.TryGet(sessionId, out _);

    public void Remove(byte[] sessionId) => _store.Remove(sessionId);
}
