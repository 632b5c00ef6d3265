namespace Switchboard.Bench.Cache;

/// <summary>What a TLS server asks of its session-ID cache, so both caches run the very same workload.</summary>
internal interface ICacheUnderTest
{
    string Name { get; }

    long Bytes { get; }

    long Entries { get; }

    void Put(byte[] sessionId, byte[] session, int sizeBytes, DateTime expiresAtUtc);

    bool TryGet(byte[] sessionId);

    void Remove(byte[] sessionId);
}
