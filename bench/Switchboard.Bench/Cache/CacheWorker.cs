using System.Diagnostics;

namespace Switchboard.Bench.Cache;

/// <summary>
/// One server thread's traffic: mostly resumptions (lookups of IDs it issued recently) and some new ~1 KB
/// sessions with random 32-byte IDs. Below 100 % fill, each new session is matched by one ending (its oldest),
/// so the fill stays put; at 100 % nothing ends and the cache must scroll out to store new sessions.
/// </summary>
internal sealed class CacheWorker(int seed, byte[] session, int entryBytes, bool holdFill, int recentWindow)
{
    private const int LookupPercent = 90;

    private readonly Random _random = new(seed);
    private readonly byte[][] _recent = new byte[recentWindow][];
    private readonly Queue<byte[]> _issued = new();
    private int _recentCount;
    private int _recentNext;

    public long Lookups { get; private set; }

    public long Hits { get; private set; }

    public long Inserts { get; private set; }

    /// <summary>Stores a new session as part of the fill before timing starts.</summary>
    public void Prefill(ICacheUnderTest cache, DateTime expiresAtUtc) => Insert(cache, expiresAtUtc, removeOldest: false);

    /// <summary>Runs the mix until <paramref name="stopAt"/> (a Stopwatch timestamp); returns operations done.</summary>
    public long Run(ICacheUnderTest cache, long stopAt, DateTime expiresAtUtc)
    {
        var operations = 0L;
        while (true)
        {
            // Reading the clock every 64 operations keeps its cost out of the measurement.
            if ((operations & 63) == 0 && Stopwatch.GetTimestamp() >= stopAt)
            {
                return operations;
            }

            if (_random.Next(100) < LookupPercent && _recentCount > 0)
            {
                Lookups++;
                if (cache.TryGet(_recent[_random.Next(_recentCount)]))
                {
                    Hits++;
                }
            }
            else
            {
                Insert(cache, expiresAtUtc, holdFill);
            }

            operations++;
        }
    }

    private void Insert(ICacheUnderTest cache, DateTime expiresAtUtc, bool removeOldest)
    {
        var id = new byte[32];
        _random.NextBytes(id);
        cache.Put(id, session, entryBytes, expiresAtUtc);
        Inserts++;
        _recent[_recentNext] = id;
        _recentNext = (_recentNext + 1) % recentWindow;
        _recentCount = Math.Min(_recentCount + 1, recentWindow);
        if (holdFill)
        {
            _issued.Enqueue(id);
            if (removeOldest)
            {
                cache.Remove(_issued.Dequeue());
            }
        }
    }
}
