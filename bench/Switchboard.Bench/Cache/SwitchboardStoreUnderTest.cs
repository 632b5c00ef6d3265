using Switchboard.Resumption;

namespace Switchboard.Bench.Cache;

internal sealed class SwitchboardStoreUnderTest(SessionStoreOptions options) : ICacheUnderTest
{
    private readonly SessionStore<byte[]> store = new(options);

    public string Name => "switchboard";

    public long Bytes => store.Counters.Bytes;

    public long Entries => store.Counters.Entries;

    public void Put(byte[] sessionId, byte[] session, int sizeBytes, DateTime expiresAtUtc) =>
        store.Put(sessionId, session, sizeBytes, expiresAtUtc);

    public bool TryGet(byte[] sessionId) => store.TryGet(sessionId, out _);

    public void Remove(byte[] sessionId) => store.Remove(sessionId);
}
