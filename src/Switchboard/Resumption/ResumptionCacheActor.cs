using Akka.Actor;
using Akka.Event;
using Switchboard.Configuration;
using Switchboard.Diagnostics;
using Switchboard.IO;
using Switchboard.Tls;

namespace Switchboard.Resumption;

/// <summary>
/// Owns the client's resumption state: per key (endpoint name, address, our certificate) the TLS 1.2
/// session, or up to K TLS 1.3 tickets handed out newest first and each once (RFC 8446 advises against
/// replaying a ticket, and OpenSSL treats them as single-use). Native sessions stay in memory and bytes
/// are used only for the session file.
/// <para>
/// It sits on the connect path: an endpoint sends its <see cref="Io.OpenLink"/> here, and the cache attaches
/// the newest session and passes the request on to the IO pool. A native session thus has one owner at a
/// time — this actor, then the IO actor that opens the link — and the endpoint never holds one.
/// </para>
/// </summary>
internal sealed partial class ResumptionCacheActor : UntypedActor, IWithTimers
{
    private readonly ResumptionSettings _settings;
    private readonly SessionStore<CachedSession> _store;
    private readonly IActorRef _ioPool;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<TlsContext> _serverContexts = [];
    private TicketKeyRing? _ticketKeys;
    private IDisposable? _sizeGauge;

    public ResumptionCacheActor(ResumptionSettings settings, IActorRef ioPool)
    {
        _settings = settings;
        _ioPool = ioPool;
        _store = new SessionStore<CachedSession>(SessionStoreOptions.ForClient(settings), OnEvicted);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="ioPool">Where open requests go once a session is attached.</param>
    public static Props Props(ResumptionSettings settings, IActorRef ioPool) => Akka.Actor.Props.Create(() => new ResumptionCacheActor(settings, ioPool));

    internal sealed record GetCacheStats;

    internal sealed record CacheStats(long Entries, long Bytes, long Hits, long Misses, long Evicted);

    private sealed record ReapTick;

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Io.OpenLink m: OnOpen(m); break;
            case ClientSessionsReceived m: OnReceived(m); break;
            case ReapTick: _store.ReapExpired(); break;
            case GetCacheStats: Sender.Tell(Stats()); break;
            default:
                if (!Persistence(message))
                {
                    Unhandled(message);
                }

                break;
        }
    }

    protected override void PreStart()
    {
        var store = _store;
        _sizeGauge = SwitchboardMetrics.ObserveCache(() => (store.Counters.Entries, store.Counters.Bytes));
        // Lookups already expire what they pass; the reaper frees native sessions in idle sub-caches too.
        Timers.StartPeriodicTimer("reap", new ReapTick(), TimeSpan.FromSeconds(30));
        LoadPersisted();
        if (_settings.PersistPath is not null)
        {
            Timers.StartPeriodicTimer("persist", new PersistTick(), _settings.PersistInterval);
        }
    }

    protected override void PostStop()
    {
        _sizeGauge?.Dispose();
        SavePersisted();
        _store.Clear();
    }

    private void OnOpen(Io.OpenLink open)
    {
        var session = open.ResumptionKey is { } key ? Take(key) : null;
        _ioPool.Tell(open with { Resume = session });
    }

    /// <summary>The newest resumable session of <paramref name="key"/>, owned by the caller; null on a miss.</summary>
    private TlsSession? Take(string key)
    {
        TlsSession? offer = null;
        if (_store.TryTake(key, out var cached))
        {
            offer = cached.TakeForAttempt();
            if (cached.SingleUse || offer is null)
            {
                cached.Dispose();
            }
            else
            {
                // TLS 1.2: the session stays reusable; the link got its own reference, the shelf keeps one.
                _store.Put(key, cached, SessionStore<CachedSession>.EntrySize(SessionStore<CachedSession>.KeyLength(key), cached.EncodedLength), cached.ExpiresAtUtc);
            }
        }

        SwitchboardMetrics.CacheLookups.Add(1, new KeyValuePair<string, object?>("result", offer is null ? "miss" : "hit"));
        return offer;
    }

    private void OnReceived(ClientSessionsReceived received)
    {
        // OpenSSL's server sends two TLS 1.3 tickets per handshake; they are interchangeable, so one is
        // kept. Each carries both certificates (~1.5 KB with P-256, ~3 KB with RSA-4096), and a budget
        // that must first hold one ticket for every endpoint is better spent on endpoints than on twins.
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
            Store(received.Key, CachedSession.FromHandshake(newest, ExpiresAt(newest)));
        }
    }

    /// <summary>TLS 1.2 has one current session per key; TLS 1.3 keeps a shelf of fresh tickets.</summary>
    private void Store(string key, CachedSession cached)
    {
        if (cached.SingleUse && _store.TryGet(key, out var previousNewest))
        {
            previousNewest.Demote();
        }

        var size = SessionStore<CachedSession>.EntrySize(SessionStore<CachedSession>.KeyLength(key), cached.EncodedLength);
        var stored = cached.SingleUse
            ? _store.Add(key, cached, size, cached.ExpiresAtUtc)
            : _store.Put(key, cached, size, cached.ExpiresAtUtc);
        if (!stored)
        {
            cached.Dispose();
        }
    }

    /// <summary>Expiry is a maximum: the server's lifetime for the session, capped by max-age (the store caps too).</summary>
    private DateTime ExpiresAt(TlsSession session)
    {
        var lifetime = session.Lifetime > TimeSpan.Zero && session.Lifetime < _settings.MaxAge ? session.Lifetime : _settings.MaxAge;
        return session.CreatedUtc + lifetime;
    }

    private static void OnEvicted(CachedSession session, EvictionCause cause)
    {
        SwitchboardMetrics.CacheEvictions.Add(1, new KeyValuePair<string, object?>("cause", cause.ToString().ToLowerInvariant()));
        session.Dispose();
    }

    private CacheStats Stats()
    {
        var counters = _store.Counters;
        return new CacheStats(counters.Entries, counters.Bytes, counters.Hits, counters.Misses, counters.Evicted);
    }
}
