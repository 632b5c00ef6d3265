namespace Switchboard.Resumption;

/// <summary>The slot arrays: the insertion-order rings (lead and spare), the per-key shelves and the chained key index.</summary>
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
        for (var k = _buckets[hash & (uint)(_buckets.Length - 1)]; k != None; k = _keys[k].BucketNext)
        {
            ref var slot = ref _keys[k];
            if (slot.Hash != hash || slot.Bytes.Length != key.Length)
            {
                _quickRejects++;
                continue;
            }

            if (key.SequenceEqual(slot.Bytes))
            {
                return k;
            }

            _keyMismatches++;
        }

        return None;
    }

    private int NewKey(ReadOnlySpan<byte> key, uint hash)
    {
        if (_keyCount + 1 > _buckets.Length)
        {
            Rehash(_buckets.Length * 2);
        }

        int k;
        if (_freeKey != None)
        {
            k = _freeKey;
            _freeKey = _keys[k].BucketNext;
        }
        else
        {
            if (_keysHighWater == _keys.Length)
            {
                Array.Resize(ref _keys, _keys.Length * 2);
            }

            k = _keysHighWater++;
        }

        ref var slot = ref _keys[k];

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
        _keyCount++;
        var bucket = hash & (uint)(_buckets.Length - 1);
        slot.BucketNext = _buckets[bucket];
        _buckets[bucket] = k;
        return k;
    }

    private void FreeKey(int k)
    {
        ref var slot = ref _keys[k];
        var bucket = slot.Hash & (uint)(_buckets.Length - 1);
        if (_buckets[bucket] == k)
        {
            _buckets[bucket] = slot.BucketNext;
        }
        else
        {
            var previous = _buckets[bucket];
            while (_keys[previous].BucketNext != k)
            {
                previous = _keys[previous].BucketNext;
            }

            _keys[previous].BucketNext = slot.BucketNext;
        }

        slot.Count = 0;
        slot.BucketNext = _freeKey;
        _freeKey = k;
        _keyCount--;
        _keyFrees++;
    }

    /// <summary>Doubling keeps the chains short; it costs O(keys) once per doubling, O(1) amortised per key.</summary>
    private void Rehash(int bucketCount)
    {
        _buckets = NewBuckets(bucketCount);
        var mask = (uint)(bucketCount - 1);
        for (var k = 0; k < _keysHighWater; k++)
        {
            // Every live key holds at least one value; freed slots have a zero count.
            if (_keys[k].Count == 0)
            {
                continue;
            }

            var bucket = _keys[k].Hash & mask;
            _keys[k].BucketNext = _buckets[bucket];
            _buckets[bucket] = k;
        }
    }

    private void LinkNewValue(int k, TValue value, int size, long expires)
    {
        int v;
        if (_freeValue != None)
        {
            v = _freeValue;
            _freeValue = _values[v].Newer;
        }
        else
        {
            if (_valuesHighWater == _values.Length)
            {
                Array.Resize(ref _values, _values.Length * 2);
            }

            v = _valuesHighWater++;
        }

        ref var slot = ref _values[v];
        slot.Value = value;
        slot.Key = k;
        slot.Size = size;
        slot.Expires = expires;

        ref var key = ref _keys[k];
        if (key.Newest != None)
        {
            // The key's previous newest becomes a spare: first to go when the sub-cache is full.
            UnlinkRing(key.Newest);
            LinkRing(key.Newest, Spare);
        }

        LinkRing(v, Lead);
        slot.ShelfOlder = key.Newest;
        slot.ShelfNewer = None;
        if (key.Newest != None)
        {
            _values[key.Newest].ShelfNewer = v;
        }
        else
        {
            key.Oldest = v;
        }

        key.Newest = v;
        key.Count++;

        _entries++;
        _bytes += size;
    }

    /// <summary>Unlinks a value from the ring and its shelf; a null <paramref name="cause"/> means the caller took it.</summary>
    private void RemoveValue(int v, EvictionCause? cause, List<Evicted<TValue>>? evicted)
    {
        ref var slot = ref _values[v];
        UnlinkRing(v);
        if (slot.ShelfNewer == None && slot.ShelfOlder != None)
        {
            // The key's newest leaves: its next value takes the lead.
            UnlinkRing(slot.ShelfOlder);
            LinkRing(slot.ShelfOlder, Lead);
        }

        ref var key = ref _keys[slot.Key];
        if (slot.ShelfOlder != None)
        {
            _values[slot.ShelfOlder].ShelfNewer = slot.ShelfNewer;
        }
        else
        {
            key.Oldest = slot.ShelfNewer;
        }

        if (slot.ShelfNewer != None)
        {
            _values[slot.ShelfNewer].ShelfOlder = slot.ShelfOlder;
        }
        else
        {
            key.Newest = slot.ShelfOlder;
        }

        if (--key.Count == 0)
        {
            FreeKey(slot.Key);
        }

        _entries--;
        _bytes -= slot.Size;
        switch (cause)
        {
            case null:
                _taken++;
                break;
            case EvictionCause.Expired:
                _evictedExpired++;
                break;
            case EvictionCause.Full:
                _evictedFull++;
                break;
            case EvictionCause.FullLast:
                _evictedFullLast++;
                break;
            case EvictionCause.Replaced:
                _evictedReplaced++;
                break;
            default:
                _evictedRemoved++;
                break;
        }

        if (cause is { } c)
        {
            evicted?.Add(new Evicted<TValue>(slot.Value, c));
        }

        // Drop the reference so an evicted value (and its native handle) is not kept alive by a free slot.
        slot.Value = default!;
        slot.Newer = _freeValue;
        _freeValue = v;
    }

    /// <summary>Appends a value at the newest end of a ring.</summary>
    private void LinkRing(int v, int ring)
    {
        ref var slot = ref _values[v];
        slot.Ring = ring;
        slot.Older = _ringNewest[ring];
        slot.Newer = None;
        if (_ringNewest[ring] != None)
        {
            _values[_ringNewest[ring]].Newer = v;
        }
        else
        {
            _ringOldest[ring] = v;
        }

        _ringNewest[ring] = v;
    }

    private void UnlinkRing(int v)
    {
        ref var slot = ref _values[v];
        if (slot.Older != None)
        {
            _values[slot.Older].Newer = slot.Newer;
        }
        else
        {
            _ringOldest[slot.Ring] = slot.Newer;
        }

        if (slot.Newer != None)
        {
            _values[slot.Newer].Older = slot.Older;
        }
        else
        {
            _ringNewest[slot.Ring] = slot.Older;
        }
    }

    private struct ValueSlot
    {
        public int Ring;
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
