namespace Switchboard.Resumption;

/// <summary>
/// One shard of a <see cref="SessionStore{TValue}"/>: an equal share of the byte budget behind its own lock.
/// Values sit in a ring of slots in insertion order (oldest at <see cref="ringOldest"/>), so both expiry and
/// scrolling out when full only ever look at the oldest end: O(1) per value, never a sweep. A small chained
/// hash index maps each key to its shelf, the key's values newest first.
/// </summary>
/// <remarks>
/// Slots live in arrays linked by index rather than in node objects, so a busy server allocates nothing per
/// session once the arrays have grown to the working set. Counters are written under the lock and read
/// without it (aligned 64-bit reads are atomic).
/// </remarks>
internal sealed partial class SessionSubCache<TValue>
{
    /// <summary>Ordinary operations reap at most this many expired values, so none of them pays for a backlog.</summary>
    internal const int MaxReapPerOperation = 8;

    private const int None = -1;
    private const int InitialSlots = 16;

    private readonly Lock gate = new();
    private readonly long budget;
    private readonly int valuesPerKey;

    private ValueSlot[] values = new ValueSlot[InitialSlots];
    private int valuesHighWater;
    private int freeValue = None;
    private int ringOldest = None;
    private int ringNewest = None;

    private KeySlot[] keys = new KeySlot[InitialSlots];
    private int keysHighWater;
    private int freeKey = None;
    private int keyCount;
    private int keyFrees;
    private int[] buckets = NewBuckets(InitialSlots);

    private long entries;
    private long bytes;
    private long hits;
    private long misses;
    private long taken;
    private long stored;
    private long rejected;
    private long evictedExpired;
    private long evictedFull;
    private long evictedReplaced;
    private long evictedRemoved;
    private long quickRejects;
    private long keyMismatches;

    public SessionSubCache(long budget, int valuesPerKey)
    {
        this.budget = budget;
        this.valuesPerKey = valuesPerKey;
    }

    public long Budget => budget;

    /// <summary>
    /// Stores <paramref name="value"/> as the key's newest. <paramref name="replace"/> drops the key's other values
    /// first (a server session ID has one session); otherwise the key's oldest value makes way once its shelf is full.
    /// </summary>
    public bool Store(ReadOnlySpan<byte> key, uint hash, TValue value, int size, long expires, long now, bool replace, List<Evicted<TValue>>? evicted)
    {
        lock (gate)
        {
            ReapExpired(now, MaxReapPerOperation, evicted);
            if (size > budget || expires <= now)
            {
                rejected++;
                return false;
            }

            var freesBefore = keyFrees;
            var k = FindKey(key, hash);
            if (k != None)
            {
                while (keys[k].Count > 0 && (replace || keys[k].Count >= valuesPerKey))
                {
                    // The last removal frees the key slot; the loop condition then reads a freed slot's zero count.
                    RemoveValue(keys[k].Oldest, EvictionCause.Replaced, evicted);
                }
            }

            while (bytes + size > budget)
            {
                var oldest = ringOldest;
                RemoveValue(oldest, values[oldest].Expires <= now ? EvictionCause.Expired : EvictionCause.Full, evicted);
            }

            if (k == None || keyFrees != freesBefore)
            {
                k = FindKey(key, hash);
            }

            if (k == None)
            {
                k = NewKey(key, hash);
            }

            LinkNewValue(k, value, size, expires);
            stored++;
            return true;
        }
    }

    /// <summary>The key's newest live value; <paramref name="take"/> hands it over (single-use tickets).</summary>
    public bool TryFind(ReadOnlySpan<byte> key, uint hash, long now, bool take, List<Evicted<TValue>>? evicted, out TValue value)
    {
        lock (gate)
        {
            ReapExpired(now, MaxReapPerOperation, evicted);
            var k = FindKey(key, hash);
            var v = k == None ? None : keys[k].Newest;
            while (v != None)
            {
                var older = values[v].ShelfOlder;
                if (values[v].Expires > now)
                {
                    value = values[v].Value;
                    hits++;
                    if (take)
                    {
                        RemoveValue(v, cause: null, evicted);
                    }

                    return true;
                }

                // Lifetimes differ per session, so an expired value may sit behind the ring's live oldest end.
                RemoveValue(v, EvictionCause.Expired, evicted);
                v = older;
            }

            misses++;
            value = default!;
            return false;
        }
    }

    /// <summary>Removes every value of the key; returns how many there were.</summary>
    public int Remove(ReadOnlySpan<byte> key, uint hash, long now, List<Evicted<TValue>>? evicted)
    {
        lock (gate)
        {
            ReapExpired(now, MaxReapPerOperation, evicted);
            var k = FindKey(key, hash);
            if (k == None)
            {
                return 0;
            }

            var count = keys[k].Count;
            for (var i = 0; i < count; i++)
            {
                RemoveValue(keys[k].Oldest, EvictionCause.Removed, evicted);
            }

            return count;
        }
    }

    /// <summary>Advances the ring's start past every expired value: stops at the first live one, never sweeps.</summary>
    public int ReapExpired(long now, List<Evicted<TValue>>? evicted)
    {
        lock (gate)
        {
            return ReapExpired(now, int.MaxValue, evicted);
        }
    }

    public int Clear(List<Evicted<TValue>>? evicted)
    {
        lock (gate)
        {
            var count = 0;
            while (ringOldest != None)
            {
                RemoveValue(ringOldest, EvictionCause.Removed, evicted);
                count++;
            }

            return count;
        }
    }

    /// <summary>Visits live values oldest first under the lock (for persistence); the visitor must not call back in.</summary>
    public void ForEachLive(long now, SessionVisitor<TValue> visitor)
    {
        lock (gate)
        {
            for (var v = ringOldest; v != None; v = values[v].Newer)
            {
                if (values[v].Expires > now)
                {
                    visitor(keys[values[v].Key].Bytes, values[v].Value, new DateTime(values[v].Expires, DateTimeKind.Utc));
                }
            }
        }
    }

    public void AddCountersTo(ref SessionStoreCounters sum) =>
        sum = new SessionStoreCounters(
            sum.Entries + Volatile.Read(ref entries),
            sum.Bytes + Volatile.Read(ref bytes),
            sum.Hits + Volatile.Read(ref hits),
            sum.Misses + Volatile.Read(ref misses),
            sum.Taken + Volatile.Read(ref taken),
            sum.Stored + Volatile.Read(ref stored),
            sum.Rejected + Volatile.Read(ref rejected),
            sum.EvictedExpired + Volatile.Read(ref evictedExpired),
            sum.EvictedFull + Volatile.Read(ref evictedFull),
            sum.EvictedReplaced + Volatile.Read(ref evictedReplaced),
            sum.EvictedRemoved + Volatile.Read(ref evictedRemoved),
            sum.QuickRejects + Volatile.Read(ref quickRejects),
            sum.KeyMismatches + Volatile.Read(ref keyMismatches));

    private int ReapExpired(long now, int max, List<Evicted<TValue>>? evicted)
    {
        var reaped = 0;
        while (reaped < max && ringOldest != None && values[ringOldest].Expires <= now)
        {
            RemoveValue(ringOldest, EvictionCause.Expired, evicted);
            reaped++;
        }

        return reaped;
    }
}
