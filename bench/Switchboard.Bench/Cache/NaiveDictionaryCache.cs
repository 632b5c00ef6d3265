using System.Collections.Concurrent;
using System.Diagnostics;

namespace Switchboard.Bench.Cache;

/// <summary>
/// The naive way, for comparison in the same run: a ConcurrentDictionary with a periodic sweep over every entry
/// for expiry and, once full, a scan of every entry to find the oldest to evict (what shmht-like caches do).
/// </summary>
internal sealed class NaiveDictionaryCache(long budget, TimeSpan sweepPeriod) : ICacheUnderTest
{
    private readonly ConcurrentDictionary<byte[], Entry> _entries = new(ByteArrayComparer.Instance);
    private readonly long _sweepTicks = (long)(sweepPeriod.TotalSeconds * Stopwatch.Frequency);
    private long _bytes;
    private long _sequence;
    private long _nextSweep = Stopwatch.GetTimestamp();
    private int _sweeping;

    public string Name => "dictionary";

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Entries => _entries.Count;

    public void Put(byte[] sessionId, byte[] session, int sizeBytes, DateTime expiresAtUtc)
    {
        SweepIfDue();
        while (Interlocked.Read(ref _bytes) + sizeBytes > budget && !_entries.IsEmpty)
        {
            EvictOldest();
        }

        var entry = new Entry(session, sizeBytes, expiresAtUtc, Interlocked.Increment(ref _sequence));
        _entries.AddOrUpdate(
            sessionId,
            _ =>
            {
                Interlocked.Add(ref _bytes, sizeBytes);
                return entry;
            },
            (_, old) =>
            {
                Interlocked.Add(ref _bytes, sizeBytes - old.Size);
                return entry;
            });
    }

    public bool TryGet(byte[] sessionId)
    {
        SweepIfDue();
        return _entries.TryGetValue(sessionId, out var entry) && entry.ExpiresAtUtc > DateTime.UtcNow;
    }

    public void Remove(byte[] sessionId)
    {
        if (_entries.TryRemove(sessionId, out var old))
        {
            Interlocked.Add(ref _bytes, -old.Size);
        }
    }

    private void EvictOldest()
    {
        KeyValuePair<byte[], Entry>? oldest = null;
        foreach (var pair in _entries)
        {
            if (oldest is null || pair.Value.Sequence < oldest.Value.Value.Sequence)
            {
                oldest = pair;
            }
        }

        if (oldest is { } victim && _entries.TryRemove(victim))
        {
            Interlocked.Add(ref _bytes, -victim.Value.Size);
        }
    }

    private void SweepIfDue()
    {
        var now = Stopwatch.GetTimestamp();
        if (now < Volatile.Read(ref _nextSweep) || Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        var utcNow = DateTime.UtcNow;
        foreach (var pair in _entries)
        {
            if (pair.Value.ExpiresAtUtc <= utcNow && _entries.TryRemove(pair))
            {
                Interlocked.Add(ref _bytes, -pair.Value.Size);
            }
        }

        Volatile.Write(ref _nextSweep, Stopwatch.GetTimestamp() + _sweepTicks);
        Volatile.Write(ref _sweeping, 0);
    }

    private sealed record Entry(byte[] Session, int Size, DateTime ExpiresAtUtc, long Sequence);

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => BitConverter.ToInt32(obj);
    }
}
