using Switchboard.Resumption;

namespace Switchboard.Tests.Resumption;

/// <summary>A store with a manual clock that records every eviction, for specs about what left and why.</summary>
internal sealed class StoreFixture
{
    public StoreFixture(long maxBytes = 8192, int subCaches = 1, int valuesPerKey = 1, bool randomKeys = true, TimeSpan? maxAge = null)
    {
        Store = new SessionStore<int>(
            new SessionStoreOptions(maxBytes, subCaches, maxAge ?? TimeSpan.FromHours(1), valuesPerKey, randomKeys),
            (value, cause) => Evictions.Add((value, cause)),
            Clock);
    }

    public ManualClock Clock { get; } = new();

    public SessionStore<int> Store { get; }

    public List<(int Value, EvictionCause Cause)> Evictions { get; } = [];

    public DateTime In(TimeSpan lifetime) => Clock.UtcNow + lifetime;

    public DateTime InAnHour => In(TimeSpan.FromHours(1));

    /// <summary>A 32-byte random-looking session ID whose first four bytes (its hash) are <paramref name="n"/> spread out.</summary>
    public static byte[] Id(int n)
    {
        var id = new byte[32];
        BitConverter.TryWriteBytes(id, (uint)n * 2654435761u);
        BitConverter.TryWriteBytes(id.AsSpan(4), n);
        id[31] = 0x5A;
        return id;
    }
}
