using Akka.Actor;
using Akka.Event;
using Switchboard.Configuration;
using Switchboard.Diagnostics;
using Switchboard.IO;
using Switchboard.Tls;

namespace Switchboard.Resumption;

/// <summary>
/// Owns the client's resumption state: per key (endpoint name, address, our certificate, the CA bundle) the
/// TLS 1.2 session, or up to K TLS 1.3 tickets handed out newest first and each once (RFC 8446 advises
/// against replaying a ticket, and OpenSSL treats them as single-use). Sessions are kept in the session
/// file's certificate-free form (<see cref="CachedSession"/>) and restored for the attempt that takes them.
/// <para>
/// It sits on the connect path: an endpoint sends its <see cref="Io.OpenLink"/> here, and the cache attaches
/// the newest session and passes the request on to the IO pool. The native session restored for an attempt
/// thus has one owner at a time — this actor, then the IO actor that opens the link — and the endpoint never
/// holds one.
/// </para>
/// </summary>
internal sealed partial class ResumptionCacheActor : UntypedActor, IWithTimers
{
    private readonly ResumptionSettings _settings;
    private readonly SessionStore<CachedSession> _store;
    private readonly IActorRef _ioPool;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<TlsContext> _serverContexts = [];
    private readonly ResumptionGauges _gauges;

    // The endpoints as the cache sees them: each one's current key (its name, address and our certificate),
    // learnt from its open requests. It sizes an auto budget and counts the endpoints without a session.
    private readonly Dictionary<string, string> _keys = new(StringComparer.OrdinalIgnoreCase);

    // The chain of the session each key's current attempt was offered: what it renews on a resumption inherits it.
    private readonly Dictionary<string, SessionChain> _offeredChains = new(StringComparer.Ordinal);
    private long _storedBytes;
    private long _storedCount;
    private bool _countDue;

    // Switchboard.Cluster's replicated layer, when attached: told every session stored.
    private IActorRef? _replica;

    private TicketKeyRing? _ticketKeys;
    private SessionFileKey? _fileKey;

    // What the session file last saved: a tick with nothing new since writes nothing (quiet links, an idle disk).
    private long _savedChanges = -1;

    // The session file's writer (null without persist-path), made with the Props so it outlives a restart of
    // this actor, and the saves this incarnation still has on their way to the disk.
    private readonly SessionFileWriter? _writer;
    private int _writesInFlight;
    private int _rotations;
    private IDisposable? _sizeGauge;

    public ResumptionCacheActor(ResumptionSettings settings, IActorRef ioPool, ResumptionGauges gauges, SessionFileKey? fileKey, SessionFileWriter? writer)
    {
        _settings = settings;
        _ioPool = ioPool;
        _gauges = gauges;
        _fileKey = fileKey;
        _writer = writer;
        _store = new SessionStore<CachedSession>(SessionStoreOptions.ForClient(settings), OnEvicted);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="ioPool">Where open requests go once a session is attached.</param>
    /// <param name="gauges">Where the cache publishes its figures for status and metrics.</param>
    /// <param name="fileKey">Seals the session file; null when there is none (no persist-path).</param>
    public static Props Props(ResumptionSettings settings, IActorRef ioPool, ResumptionGauges gauges, SessionFileKey? fileKey = null)
    {
        var writer = settings.PersistPath is { } path ? new SessionFileWriter(path) : null;
        return Akka.Actor.Props.Create(() => new ResumptionCacheActor(settings, ioPool, gauges, fileKey, writer));
    }

    /// <summary>An endpoint was removed: its sessions can never be used, and it no longer counts towards the budget.</summary>
    internal sealed record ForgetEndpoint(string Name, string Key);

    internal sealed record GetCacheStats;

    internal sealed record CacheStats(long Entries, long Bytes, long Hits, long Misses, long Evicted, long Budget, int Endpoints, int EndpointsWithoutSession);

    private sealed record ReapTick;

    private sealed record CountTick;

    /// <summary>How stale the count of endpoints without a session may be; it is recounted only after a change.</summary>
    private static readonly TimeSpan CountInterval = TimeSpan.FromSeconds(5);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Io.OpenLink m: OnOpen(m); break;
            case ClientSessionsReceived m: OnReceived(m); break;
            case ForgetEndpoint m: OnForget(m); break;
            case ReapTick: OnReapTick(); break;
            case CountTick when _countDue: Publish(recount: true); break;
            case CountTick: break;
            case GetCacheStats: Sender.Tell(Stats()); break;
            default:
                if (!Persistence(message) && !Replication(message))
                {
                    Unhandled(message);
                }

                break;
        }
    }

    protected override void PreStart()
    {
        var store = _store;
        _gauges.Attach(() => store.Counters);
        _gauges.Publish(_store.MaxBytes, 0, 0);
        _sizeGauge = SwitchboardMetrics.ObserveCache(_gauges);
        // Lookups already expire what they pass; the reaper frees native sessions in idle sub-caches too.
        Timers.StartPeriodicTimer("reap", new ReapTick(), TimeSpan.FromSeconds(30));
        Timers.StartPeriodicTimer("count", new CountTick(), CountInterval);
        LoadPersisted();
        if (_settings.PersistPath is not null)
        {
            Timers.StartPeriodicTimer("persist", new PersistTick(), _settings.PersistInterval);
        }
    }

    protected override void PostStop()
    {
        _sizeGauge?.Dispose();
        SaveNow();
        _store.Clear();
    }

    private void OnOpen(Io.OpenLink open)
    {
        var (session, chain) = open.ResumptionKey is { } key ? Take(key) : (null, null);
        _ioPool.Tell(open with { Resume = session, ResumeChain = chain });
        if (open.ResumptionKey is { } current)
        {
            Track(open.EndpointName, current);
            _countDue = true;
        }
    }

    private void Track(string name, string key)
    {
        if (_keys.TryGetValue(name, out var previous))
        {
            if (previous == key)
            {
                return;
            }

            // A renewed certificate or a moved endpoint: what was stored under the old key can never be offered.
            _store.Remove(previous);
        }

        _keys[name] = key;
        if (previous is null)
        {
            GrowBudget();
        }
    }

    private void OnForget(ForgetEndpoint forget)
    {
        _countDue = true;
        _store.Remove(forget.Key);
        // A replacement of the same name may already have opened under another key: that one stays.
        if (_keys.TryGetValue(forget.Name, out var current) && current == forget.Key)
        {
            _keys.Remove(forget.Name);
        }
    }

    private void OnReapTick()
    {
        _store.ReapExpired();
        if (_settings.MaxBytes is null)
        {
            var wanted = Wanted();
            // Shrinking costs sessions, so it waits for a clear drop; growing is never held back.
            if (wanted > _store.MaxBytes || wanted < _store.MaxBytes * 3 / 4)
            {
                _store.Resize(wanted);
            }
        }

        Publish(recount: true);
    }

    /// <summary>
    /// Auto: a new endpoint must find room for its sessions at once, not after the next tick. Grows a quarter
    /// ahead, so thousands of endpoints starting one by one resize the store a few dozen times, not thousands.
    /// </summary>
    private void GrowBudget()
    {
        if (_settings.MaxBytes is null && Wanted() is var wanted && wanted > _store.MaxBytes)
        {
            _store.Resize(Math.Min(ResumptionBudget.Ceiling, wanted / 4 * 5 / _settings.SubCaches * _settings.SubCaches));
            Publish(recount: false);
        }
    }

    /// <summary>
    /// Counts the keys in the store too: after a restart, endpoints that have not asked yet (still queued for
    /// admission) must not see their restored sessions shrunk away.
    /// </summary>
    private long Wanted() =>
        ResumptionBudget.For((int)Math.Max(_keys.Count, _store.Counters.Keys), _storedCount == 0 ? 0 : _storedBytes / _storedCount, _settings.SubCaches);

    /// <param name="recount">Count the endpoints without a session: O(endpoints) lookups, so on a tick after a change, not per attempt.</param>
    private void Publish(bool recount)
    {
        var without = _gauges.EndpointsWithoutSession;
        if (recount)
        {
            _countDue = false;
            without = 0;
            foreach (var key in _keys.Values)
            {
                without += _store.Holds(key) ? 0 : 1;
            }
        }

        _gauges.Publish(_store.MaxBytes, _keys.Count, without);
    }

    /// <summary>The newest resumable session of <paramref name="key"/>, owned by the caller, and its chain; nulls on a miss.</summary>
    private (TlsSession? Session, SessionChain? Chain) Take(string key)
    {
        TlsSession? offer = null;
        _offeredChains.Remove(key);
        if (_store.TryTake(key, out var cached))
        {
            offer = cached.TakeForAttempt();
            if (offer is not null)
            {
                _offeredChains[key] = cached.Chain;
            }

            if (cached.SingleUse || offer is null)
            {
                cached.Dispose();
            }
            else
            {
                // TLS 1.2: the session stays reusable; the link got its own reference, the shelf keeps one.
                _store.Put(key, cached, EntrySize(key, cached.EncodedLength), cached.ExpiresAtUtc);
            }
        }

        SwitchboardMetrics.CacheLookups.Add(1, new KeyValuePair<string, object?>("result", offer is null ? "miss" : "hit"));
        return (offer, offer is null ? null : cached!.Chain);
    }

    private void OnReceived(ClientSessionsReceived received)
    {
        // OpenSSL's server sends two TLS 1.3 tickets per handshake; they are interchangeable, so one is
        // kept: a budget that must first hold one ticket for every endpoint is better spent on endpoints
        // than on twins.
        TlsSession? newest = null;
        foreach (var session in received.Sessions)
        {
            if (!session.IsResumable)
            {
                session.Dispose();
                continue;
            }

            newest?.Dispose();
            newest = session;
        }

        if (newest is not null)
        {
            var chain = ChainOf(received);
            var cached = CachedSession.FromHandshake(newest, ExpiresAt(newest, chain), chain);
            Replicate(received.Key, cached);
            Store(received.Key, cached);
            _countDue = true;
        }
    }

    /// <summary>TLS 1.2 has one current session per key; TLS 1.3 keeps a shelf of fresh tickets.</summary>
    private void Store(string key, CachedSession cached)
    {
        var size = EntrySize(key, cached.EncodedLength);
        _storedBytes += size;
        _storedCount++;
        var stored = cached.SingleUse
            ? _store.Add(key, cached, size, cached.ExpiresAtUtc)
            : _store.Put(key, cached, size, cached.ExpiresAtUtc);
        if (!stored)
        {
            cached.Dispose();
        }
    }

    /// <summary>
    /// A full handshake starts a chain; a resumption continues the one its offered session belonged to. A resumed
    /// link whose offer is unknown (it cannot happen on this actor's own path) vouches for nothing.
    /// </summary>
    private SessionChain ChainOf(ClientSessionsReceived received)
    {
        if (received.Resumed)
        {
            return _offeredChains.TryGetValue(received.Key, out var inherited) ? inherited : SessionChain.Unknown;
        }

        return received.PeerNotAfterUtc is { } notAfter ? new SessionChain(DateTime.UtcNow, notAfter, received.PeerSerial) : SessionChain.Unknown;
    }

    /// <summary>
    /// Expiry is a maximum: the server's lifetime for the session, capped by max-age, by the chain's age and by
    /// the peer certificate's NotAfter. The store enforces it in O(1), so an aged session is simply never found.
    /// </summary>
    private DateTime ExpiresAt(TlsSession session, SessionChain chain)
    {
        var lifetime = session.Lifetime > TimeSpan.Zero && session.Lifetime < _settings.MaxAge ? session.Lifetime : _settings.MaxAge;
        var expires = session.CreatedUtc + lifetime;
        var limit = chain.OfferableUntil(_settings.ChainAge);
        return expires < limit ? expires : limit;
    }

    /// <summary>What a session under <paramref name="key"/> costs the store's byte budget.</summary>
    private static int EntrySize(string key, int encodedLength) =>
        SessionStore<CachedSession>.EntrySize(SessionStore<CachedSession>.KeyLength(key), encodedLength);

    private static void OnEvicted(CachedSession session, EvictionCause cause)
    {
        SwitchboardMetrics.CacheEvictions.Add(1, new KeyValuePair<string, object?>("cause", cause.Tag()));
        session.Dispose();
    }

    private CacheStats Stats()
    {
        Publish(recount: true);
        var counters = _store.Counters;
        return new CacheStats(counters.Entries, counters.Bytes, counters.Hits, counters.Misses, counters.Evicted,
            _gauges.Budget, _gauges.Endpoints, _gauges.EndpointsWithoutSession);
    }
}
