namespace Switchboard.Resumption;

/// <summary>
/// One shard of a <see cref="SessionStore{TValue}"/>: an equal share of the byte budget behind its own lock.
/// Values sit in two rings of slots in insertion order: the lead ring holds each key's newest value, the spare ring
/// every older one. Expiry and scrolling out when full only ever look at a ring's oldest end: O(1) per value, never
/// a sweep. A small chained hash index maps each key to its shelf, the key's values newest first.
/// </summary>
/// <remarks>
/// Two rings make a full cache give breadth before depth: spares go first, oldest first, and a key's last value
/// goes only when no key has a spare left. Otherwise one endpoint's third ticket could outlive another's only one.
/// </remarks>
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

    private readonly Lock _gate = new();
    private long _budget;
    private readonly int _valuesPerKey;

    private ValueSlot[] _values = new ValueSlot[InitialSlots];
    private int _valuesHighWater;
    private int _freeValue = None;
    private const int Lead = 0;
    private const int Spare = 1;

    private readonly int[] _ringOldest = [None, None];
    private readonly int[] _ringNewest = [None, None];

    private KeySlot[] _keys = new KeySlot[InitialSlots];
    private int _keysHighWater;
    private int _freeKey = None;
    private int _keyCount;
    private int _keyFrees;
    private int[] _buckets = NewBuckets(InitialSlots);

    private long _entries;
    private long _bytes;
    private long _hits;
    private long _misses;
    private long _taken;
    private long _stored;
    private long _rejected;
    private long _evictedExpired;
    private long _evictedFull;
    private long _evictedFullLast;
    private long _evictedReplaced;
    private long _evictedRemoved;
    private long _quickRejects;
    private long _keyMismatches;

    public SessionSubCache(long budget, int valuesPerKey)
    {
        this._budget = budget;
        this._valuesPerKey = valuesPerKey;
    }

    public long Budget => Volatile.Read(ref _budget);

    /// <summary>A new share of the byte budget; a smaller one scrolls out at once what no longer fits.</summary>
    public void SetBudget(long budget, long now, List<Evicted<TValue>>? evicted)
    {
        lock (_gate)
        {
            Volatile.Write(ref _budget, budget);
            while (_bytes > _budget)
            {
                ScrollOut(now, evicted);
            }
        }
    }

    /// <summary>
    /// Stores <paramref name="value"/> as the key's newest. <paramref name="replace"/> drops the key's other values
    /// first (a server session ID has one session); otherwise the key's oldest value makes way once its shelf is full.
    /// </summary>
    public bool Store(ReadOnlySpan<byte> key, uint hash, TValue value, int size, long expires, long now, bool replace, List<Evicted<TValue>>? evicted)
    {
        lock (_gate)
        {
            ReapExpired(now, MaxReapPerOperation, evicted);
            if (size > _budget || expires <= now)
            {
                _rejected++;
                return false;
            }

            var freesBefore = _keyFrees;
            var k = FindKey(key, hash);
            if (k != None)
            {
                while (_keys[k].Count > 0 && (replace || _keys[k].Count >= _valuesPerKey))
                {
                    // The last removal frees the key slot; the loop condition then reads a freed slot's zero count.
                    RemoveValue(_keys[k].Oldest, EvictionCause.Replaced, evicted);
                }
            }

            while (_bytes + size > _budget)
            {
                ScrollOut(now, evicted);
            }

            if (k == None || _keyFrees != freesBefore)
            {
                k = FindKey(key, hash);
            }

            if (k == None)
            {
                k = NewKey(key, hash);
            }

            LinkNewValue(k, value, size, expires);
            _stored++;
            return true;
        }
    }

    /// <summary>The key's newest live value; <paramref name="take"/> hands it over (single-use tickets).</summary>
    public bool TryFind(ReadOnlySpan<byte> key, uint hash, long now, bool take, List<Evicted<TValue>>? evicted, out TValue value)
    {
        lock (_gate)
        {
            ReapExpired(now, MaxReapPerOperation, evicted);
            var k = FindKey(key, hash);
            var v = k == None ? None : _keys[k].Newest;
            while (v != None)
            {
                var older = _values[v].ShelfOlder;
                if (_values[v].Expires > now)
                {
                    value = _values[v].Value;
                    _hits++;
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

            _misses++;
            value = default!;
            return false;
        }
    }

    /// <summary>Whether the key has a live value; counts no hit or miss (for gauges).</summary>
    public bool Holds(ReadOnlySpan<byte> key, uint hash, long now)
    {
        lock (_gate)
        {
            var k = FindKey(key, hash);
            for (var v = k == None ? None : _keys[k].Newest; v != None; v = _values[v].ShelfOlder)
            {
                if (_values[v].Expires > now)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Removes every value of the key; returns how many there were.</summary>
    public int Remove(ReadOnlySpan<byte> key, uint hash, long now, List<Evicted<TValue>>? evicted)
    {
        lock (_gate)
        {
            ReapExpired(now, MaxReapPerOperation, evicted);
            var k = FindKey(key, hash);
            if (k == None)
            {
                return 0;
            }

            var count = _keys[k].Count;
            for (var i = 0; i < count; i++)
            {
                RemoveValue(_keys[k].Oldest, EvictionCause.Removed, evicted);
            }

            return count;
        }
    }

    /// <summary>Advances the ring's start past every expired value: stops at the first live one, never sweeps.</summary>
    public int ReapExpired(long now, List<Evicted<TValue>>? evicted)
    {
        lock (_gate)
        {
            return ReapExpired(now, int.MaxValue, evicted);
        }
    }

    public int Clear(List<Evicted<TValue>>? evicted)
    {
        lock (_gate)
        {
            var count = 0;
            foreach (var ring in (ReadOnlySpan<int>)[Spare, Lead])
            {
                while (_ringOldest[ring] != None)
                {
                    RemoveValue(_ringOldest[ring], EvictionCause.Removed, evicted);
                    count++;
                }
            }

            return count;
        }
    }

    /// <summary>
    /// Visits live values under the lock (for persistence), spares before leads and each ring oldest first, so
    /// adding them back in this order gives every key the same newest value. The visitor must not call back in.
    /// </summary>
    public void ForEachLive(long now, SessionVisitor<TValue> visitor)
    {
        lock (_gate)
        {
            foreach (var ring in (ReadOnlySpan<int>)[Spare, Lead])
            {
                for (var v = _ringOldest[ring]; v != None; v = _values[v].Newer)
                {
                    if (_values[v].Expires > now)
                    {
                        visitor(_keys[_values[v].Key].Bytes, _values[v].Value, new DateTime(_values[v].Expires, DateTimeKind.Utc));
                    }
                }
            }
        }
    }

    public void AddCountersTo(ref SessionStoreCounters sum) =>
        sum = new SessionStoreCounters(
            sum.Entries + Volatile.Read(ref _entries),
            sum.Keys + Volatile.Read(ref _keyCount),
            sum.Bytes + Volatile.Read(ref _bytes),
            sum.Hits + Volatile.Read(ref _hits),
            sum.Misses + Volatile.Read(ref _misses),
            sum.Taken + Volatile.Read(ref _taken),
            sum.Stored + Volatile.Read(ref _stored),
            sum.Rejected + Volatile.Read(ref _rejected),
            sum.EvictedExpired + Volatile.Read(ref _evictedExpired),
            sum.EvictedFull + Volatile.Read(ref _evictedFull),
            sum.EvictedFullLast + Volatile.Read(ref _evictedFullLast),
            sum.EvictedReplaced + Volatile.Read(ref _evictedReplaced),
            sum.EvictedRemoved + Volatile.Read(ref _evictedRemoved),
            sum.QuickRejects + Volatile.Read(ref _quickRejects),
            sum.KeyMismatches + Volatile.Read(ref _keyMismatches));

    /// <summary>Breadth before depth: the oldest spare goes first; a key's last value only when no spare is left.</summary>
    private void ScrollOut(long now, List<Evicted<TValue>>? evicted)
    {
        var spare = _ringOldest[Spare] != None;
        var oldest = spare ? _ringOldest[Spare] : _ringOldest[Lead];
        var cause = _values[oldest].Expires <= now ? EvictionCause.Expired
            : spare ? EvictionCause.Full : EvictionCause.FullLast;
        RemoveValue(oldest, cause, evicted);
    }

    private int ReapExpired(long now, int max, List<Evicted<TValue>>? evicted)
    {
        var reaped = 0;
        foreach (var ring in (ReadOnlySpan<int>)[Spare, Lead])
        {
            while (reaped < max && _ringOldest[ring] != None && _values[_ringOldest[ring]].Expires <= now)
            {
                RemoveValue(_ringOldest[ring], EvictionCause.Expired, evicted);
                reaped++;
            }
        }

        return reaped;
    }
}
