using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.ExceptionServices;

namespace Switchboard.Resumption;

/// <summary>
/// The session cache after Apache's shmcb (architecture §9): bounded in bytes, split into sub-caches by a hash of the
/// key, each a ring in insertion order behind its own lock. Expiry is a maximum and costs O(1); a full sub-cache
/// scrolls out its oldest entries so new sessions are always stored. Serves both sides: the server's session-ID
/// cache (one value per random ID) and the client's ticket shelf (up to K values per endpoint, newest first).
/// </summary>
/// <remarks>
/// The eviction callback runs on the calling thread after the sub-cache lock is released, exactly once per value
/// the store let go of (never for values the caller took). It may call back into the store.
/// </remarks>
internal sealed partial class SessionStore<TValue>
{
    /// <summary>What an entry costs beyond its key and encoded session: index and ring slots, the key array header.</summary>
    public const int EntryOverhead = 96;

    [ThreadStatic]
    private static List<Evicted<TValue>>? _spareBatch;

    private readonly SessionSubCache<TValue>[] _subCaches;
    private readonly int _subCacheShift;
    private readonly long _maxAgeTicks;
    private readonly bool _keysAreRandom;
    private readonly Action<TValue, EvictionCause>? _onEvicted;
    private readonly TimeProvider _time;

    public SessionStore(SessionStoreOptions options, Action<TValue, EvictionCause>? onEvicted = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        this._onEvicted = onEvicted;
        this._time = time ?? TimeProvider.System;
        _maxAgeTicks = options.MaxAge.Ticks;
        _keysAreRandom = options.KeysAreRandom;
        _subCacheShift = 32 - BitOperations.Log2((uint)options.SubCaches);
        var share = options.MaxBytes / options.SubCaches;
        _subCaches = new SessionSubCache<TValue>[options.SubCaches];
        for (var i = 0; i < _subCaches.Length; i++)
        {
            _subCaches[i] = new SessionSubCache<TValue>(share, options.ValuesPerKey);
        }
    }

    public SessionStoreOptions Options { get; }

    /// <summary>The byte budget actually enforced: the sum of the sub-caches' equal shares.</summary>
    public long MaxBytes => _subCaches[0].Budget * _subCaches.Length;

    /// <summary>Largest entry the store accepts: one sub-cache's share.</summary>
    public long MaxEntryBytes => _subCaches[0].Budget;

    public SessionStoreCounters Counters
    {
        get
        {
            var sum = default(SessionStoreCounters);
            foreach (var sub in _subCaches)
            {
                sub.AddCountersTo(ref sum);
            }

            return sum;
        }
    }

    /// <summary>The size to charge for an entry: key + encoded session + <see cref="EntryOverhead"/>.</summary>
    public static int EntrySize(int keyLength, int valueLength) => keyLength + valueLength + EntryOverhead;

    /// <summary>
    /// Stores <paramref name="value"/> as the key's only value (replacing any others) until at most
    /// <paramref name="expiresAtUtc"/>, capped by the configured max-age. False, with the caller still owning the
    /// value, when it is larger than a sub-cache's share or already expired.
    /// </summary>
    public bool Put(ReadOnlySpan<byte> key, TValue value, int sizeBytes, DateTime expiresAtUtc) =>
        Store(key, value, sizeBytes, expiresAtUtc, replace: true);

    /// <summary>
    /// Adds <paramref name="value"/> to the key's shelf as its newest; when the shelf already holds
    /// <see cref="SessionStoreOptions.ValuesPerKey"/> values, the oldest of them is evicted (Replaced).
    /// </summary>
    public bool Add(ReadOnlySpan<byte> key, TValue value, int sizeBytes, DateTime expiresAtUtc) =>
        Store(key, value, sizeBytes, expiresAtUtc, replace: false);

    /// <summary>The key's newest live value, left in place (TLS 1.2 sessions are reusable).</summary>
    public bool TryGet(ReadOnlySpan<byte> key, [MaybeNullWhen(false)] out TValue value) => Find(key, take: false, out value);

    /// <summary>Removes and hands over the key's newest live value (TLS 1.3 tickets are single-use); the caller owns it.</summary>
    public bool TryTake(ReadOnlySpan<byte> key, [MaybeNullWhen(false)] out TValue value) => Find(key, take: true, out value);

    /// <summary>Whether the key has a live value. Unlike a lookup, it counts no hit or miss.</summary>
    public bool Holds(ReadOnlySpan<byte> key)
    {
        var hash = Hash(key);
        return SubCacheFor(hash).Holds(key, hash, Now());
    }

    /// <summary>
    /// A new byte budget, shared equally by the sub-caches as at construction. Shrinking scrolls out at once
    /// (spares first) what no longer fits.
    /// </summary>
    public void Resize(long maxBytes)
    {
        (Options with { MaxBytes = maxBytes }).Validate();
        var share = maxBytes / _subCaches.Length;
        var now = Now();
        var batch = RentBatch();
        foreach (var sub in _subCaches)
        {
            sub.SetBudget(share, now, batch);
        }

        Flush(batch);
    }

    /// <summary>Evicts every value of the key (Removed); returns how many there were.</summary>
    public int Remove(ReadOnlySpan<byte> key)
    {
        var hash = Hash(key);
        var batch = RentBatch();
        var count = SubCacheFor(hash).Remove(key, hash, Now(), batch);
        Flush(batch);
        return count;
    }

    /// <summary>
    /// Advances every sub-cache's ring start past its expired entries (for an owner's timer, so native handles are
    /// freed promptly even in idle sub-caches). Stops at each ring's first live entry: it never scans live ones.
    /// </summary>
    public int ReapExpired()
    {
        var now = Now();
        var batch = RentBatch();
        var count = 0;
        foreach (var sub in _subCaches)
        {
            count += sub.ReapExpired(now, batch);
        }

        Flush(batch);
        return count;
    }

    /// <summary>Evicts everything (Removed), e.g. at shutdown so the owner frees every native handle.</summary>
    public int Clear()
    {
        var batch = RentBatch();
        var count = 0;
        foreach (var sub in _subCaches)
        {
            count += sub.Clear(batch);
        }

        Flush(batch);
        return count;
    }

    /// <summary>Visits every live value, one sub-cache at a time under its lock, oldest first within each.</summary>
    public void ForEachLive(SessionVisitor<TValue> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        var now = Now();
        foreach (var sub in _subCaches)
        {
            sub.ForEachLive(now, visitor);
        }
    }

    /// <summary>Which sub-cache a key lands in (tests use it to prove sub-caches are independent).</summary>
    internal int SubCacheIndex(ReadOnlySpan<byte> key) => SubCacheIndex(Hash(key));

    private bool Store(ReadOnlySpan<byte> key, TValue value, int sizeBytes, DateTime expiresAtUtc, bool replace)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException("a session key must not be empty", nameof(key));
        }

        if (sizeBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sizeBytes), sizeBytes, "an entry's size must be positive");
        }

        var now = Now();
        var expires = Math.Min(ToUtcTicks(expiresAtUtc), now + _maxAgeTicks);
        var hash = Hash(key);
        var batch = RentBatch();
        var stored = SubCacheFor(hash).Store(key, hash, value, sizeBytes, expires, now, replace, batch);
        Flush(batch);
        return stored;
    }

    private bool Find(ReadOnlySpan<byte> key, bool take, [MaybeNullWhen(false)] out TValue value)
    {
        var hash = Hash(key);
        var batch = RentBatch();
        var found = SubCacheFor(hash).TryFind(key, hash, Now(), take, batch, out value);
        Flush(batch);
        return found;
    }

    private SessionSubCache<TValue> SubCacheFor(uint hash) => _subCaches[SubCacheIndex(hash)];

    // The top bits pick the sub-cache and the low bits the bucket inside it, so the two choices stay independent.
    private int SubCacheIndex(uint hash) => _subCacheShift == 32 ? 0 : (int)(hash >> _subCacheShift);

    private uint Hash(ReadOnlySpan<byte> key)
    {
        if (_keysAreRandom && key.Length >= sizeof(uint))
        {
            // A server session ID is random: its first bytes are as good a hash as any, and cost nothing.
            return BitConverter.ToUInt32(key);
        }

        var hash = new HashCode();
        hash.AddBytes(key);
        return (uint)hash.ToHashCode();
    }

    private long Now() => _time.GetUtcNow().UtcTicks;

    private static long ToUtcTicks(DateTime t) => t.Kind == DateTimeKind.Local ? t.ToUniversalTime().Ticks : t.Ticks;

    private List<Evicted<TValue>>? RentBatch()
    {
        if (_onEvicted is null)
        {
            return null;
        }

        var batch = _spareBatch ?? [];
        _spareBatch = null;
        return batch;
    }

    private void Flush(List<Evicted<TValue>>? batch)
    {
        if (batch is null)
        {
            return;
        }

        Exception? first = null;
        if (batch.Count > 0)
        {
            // Every evicted value reaches the owner even if one callback throws, or native handles would leak.
            for (var i = 0; i < batch.Count; i++)
            {
                try
                {
                    _onEvicted!(batch[i].Value, batch[i].Cause);
                }
                catch (Exception e)
                {
                    first ??= e;
                }
            }

            batch.Clear();
        }

        if (batch.Capacity <= 1024)
        {
            _spareBatch = batch;
        }

        if (first is not null)
        {
            ExceptionDispatchInfo.Throw(first);
        }
    }
}
