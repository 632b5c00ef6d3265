namespace Switchboard.Resumption;

/// <summary>The slot arrays: the insertion-order ring, the per-key shelves and the chained key index.</summary>
internal sealed partial class SessionSubCache<TValue>
{
    private static int[] NewBuckets(int count)
    {
        var b = new int[count];
        Array.Fill(b, None);
        return b;
    }

    /// <summary>
    /// Walks the key's bucket chain. A candidate whose stored hash or length differs is dismissed without touching
    /// its key bytes (for random session IDs the hash IS the first key bytes), so wrong sessions are rarely compared.
    /// </summary>
    private int FindKey(ReadOnlySpan<byte> key, uint hash)
    {
        for (var k = buckets[hash & (uint)(buckets.Length - 1)]; k != None; k = keys[k].BucketNext)
        {
            ref var slot = ref keys[k];
            if (slot.Hash != hash || slot.Bytes.Length != key.Length)
            {
                quickRejects++;
                continue;
            }

            if (key.SequenceEqual(slot.Bytes))
            {
                return k;
            }

            keyMismatches++;
        }

        return None;
    }

    private int NewKey(ReadOnlySpan<byte> key, uint hash)
    {
        if (keyCount + 1 > buckets.Length)
        {
            Rehash(buckets.Length * 2);
        }

        int k;
        if (freeKey != None)
        {
            k = freeKey;
            freeKey = keys[k].BucketNext;
        }
        else
        {
            if (keysHighWater == keys.Length)
            {
                Array.Resize(ref keys, keys.Length * 2);
            }

            k = keysHighWater++;
        }

        ref var slot = ref keys[k];

        // Session IDs all have one length, so a freed slot's array usually fits the next key: no allocation.
        if (slot.Bytes is null || slot.Bytes.Length != key.Length)
        {
            slot.Bytes = key.ToArray();
        }
        else
        {
            key.CopyTo(slot.Bytes);
        }

        slot.Hash = hash;
        slot.Newest = None;
        slot.Oldest = None;
        slot.Count = 0;
        keyCount++;
        var bucket = hash & (uint)(buckets.Length - 1);
        slot.BucketNext = buckets[bucket];
        buckets[bucket] = k;
        return k;
    }

    private void FreeKey(int k)
    {
        ref var slot = ref keys[k];
        var bucket = slot.Hash & (uint)(buckets.Length - 1);
        if (buckets[bucket] == k)
        {
            buckets[bucket] = slot.BucketNext;
        }
        else
        {
            var previous = buckets[bucket];
            while (keys[previous].BucketNext != k)
            {
                previous = keys[previous].BucketNext;
            }

            keys[previous].BucketNext = slot.BucketNext;
        }

        slot.Count = 0;
        slot.BucketNext = freeKey;
        freeKey = k;
        keyCount--;
        keyFrees++;
    }

    /// <summary>Doubling keeps the chains short; it costs O(keys) once per doubling, O(1) amortised per key.</summary>
    private void Rehash(int bucketCount)
    {
        buckets = NewBuckets(bucketCount);
        var mask = (uint)(bucketCount - 1);
        for (var k = 0; k < keysHighWater; k++)
        {
            // Every live key holds at least one value; freed slots have a zero count.
            if (keys[k].Count == 0)
            {
                continue;
            }

            var bucket = keys[k].Hash & mask;
            keys[k].BucketNext = buckets[bucket];
            buckets[bucket] = k;
        }
    }

    private void LinkNewValue(int k, TValue value, int size, long expires)
    {
        int v;
        if (freeValue != None)
        {
            v = freeValue;
            freeValue = values[v].Newer;
        }
        else
        {
            if (valuesHighWater == values.Length)
            {
                Array.Resize(ref values, values.Length * 2);
            }

            v = valuesHighWater++;
        }

        ref var slot = ref values[v];
        slot.Value = value;
        slot.Key = k;
        slot.Size = size;
        slot.Expires = expires;

        slot.Older = ringNewest;
        slot.Newer = None;
        if (ringNewest != None)
        {
            values[ringNewest].Newer = v;
        }
        else
        {
            ringOldest = v;
        }

        ringNewest = v;

        ref var key = ref keys[k];
        slot.ShelfOlder = key.Newest;
        slot.ShelfNewer = None;
        if (key.Newest != None)
        {
            values[key.Newest].ShelfNewer = v;
        }
        else
        {
            key.Oldest = v;
        }

        key.Newest = v;
        key.Count++;

        entries++;
        bytes += size;
    }

    /// <summary>Unlinks a value from the ring and its shelf; a null <paramref name="cause"/> means the caller took it.</summary>
    private void RemoveValue(int v, EvictionCause? cause, List<Evicted<TValue>>? evicted)
    {
        ref var slot = ref values[v];

        if (slot.Older != None)
        {
            values[slot.Older].Newer = slot.Newer;
        }
        else
        {
            ringOldest = slot.Newer;
        }

        if (slot.Newer != None)
        {
            values[slot.Newer].Older = slot.Older;
        }
        else
        {
            ringNewest = slot.Older;
        }

        ref var key = ref keys[slot.Key];
        if (slot.ShelfOlder != None)
        {
            values[slot.ShelfOlder].ShelfNewer = slot.ShelfNewer;
        }
        else
        {
            key.Oldest = slot.ShelfNewer;
        }

        if (slot.ShelfNewer != None)
        {
            values[slot.ShelfNewer].ShelfOlder = slot.ShelfOlder;
        }
        else
        {
            key.Newest = slot.ShelfOlder;
        }

        if (--key.Count == 0)
        {
            FreeKey(slot.Key);
        }

        entries--;
        bytes -= slot.Size;
        switch (cause)
        {
            case null:
                taken++;
                break;
            case EvictionCause.Expired:
                evictedExpired++;
                break;
            case EvictionCause.Full:
                evictedFull++;
                break;
            case EvictionCause.Replaced:
                evictedReplaced++;
                break;
            default:
                evictedRemoved++;
                break;
        }

        if (cause is { } c)
        {
            evicted?.Add(new Evicted<TValue>(slot.Value, c));
        }

        // Drop the reference so an evicted value (and its native handle) is not kept alive by a free slot.
        slot.Value = default!;
        slot.Newer = freeValue;
        freeValue = v;
    }

    private struct ValueSlot
    {
        public TValue Value;
        public int Key;
        public int Size;
        public long Expires;
        public int Older;
        public int Newer;
        public int ShelfOlder;
        public int ShelfNewer;
    }

    private struct KeySlot
    {
        public byte[] Bytes;
        public uint Hash;
        public int BucketNext;
        public int Newest;
        public int Oldest;
        public int Count;
    }
}
